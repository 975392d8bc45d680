/**
 * What a link holder's request is made of (the reveal and the link holder's delete,
 * shares.reveal.ts): the tokens they send, hashed as the repository's conditions take them, and
 * what a refusal carries back.
 */
import type { AppError } from "../../errors.js";
import { hashBase64UrlBytes } from "../../lib/tokens.js";
import { emailCodeHash, spentEmailCodeHash } from "./email-codes.js";
import type { LockAfter } from "./shares.lock.js";
import type * as sharesRepository from "./shares.repository.js";
import type { GoneStatus } from "./shares.repository.js";

export interface Viewer {
  ip: string | null;
  userId: string | null;
}

/**
 * A view request as the repository's conditions take it (hashes only, never the tokens), with
 * the whole viewer where the repository needs only their user id.
 */
export type LinkHolderRequest = Omit<sharesRepository.ViewRequest, "viewerId"> & {
  viewer: Viewer;
};

export interface Refusal {
  ok: false;
  error: AppError;
  destroyed: GoneStatus | null;
  wrongPassword?: boolean;
  /** The last attempt was taken, the lock is still to run (shares.lock.ts). */
  lockAfter?: LockAfter;
}

/** What a link holder sends: the view token, and the verifier of the password if there is one. */
export interface LinkTokens {
  viewToken: string;
  verifier?: string | undefined;
  /** The code e-mailed to an external recipient's address (issue 19). */
  emailCode?: string | undefined;
}

export function linkHolderRequest(
  id: string,
  tokens: LinkTokens,
  viewer: Viewer,
  now: number,
): LinkHolderRequest {
  return {
    id,
    viewTokenHash: hashBase64UrlBytes(tokens.viewToken),
    verifierHash: tokens.verifier ? hashBase64UrlBytes(tokens.verifier) : null,
    emailCodeHash: tokens.emailCode ? emailCodeHash(id, tokens.emailCode) : null,
    spentCodeHash: tokens.emailCode ? spentEmailCodeHash(id, tokens.emailCode) : null,
    now,
    viewer,
  };
}
