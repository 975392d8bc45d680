/**
 * Steps the account services share (sign-up, verification, reset): sessions, single-use e-mail
 * tokens, the wipe of an unproven holder, taking an invitation. Each takes the Kysely instance to
 * run on, so it works inside the caller's transaction.
 */
import type { Kysely } from "kysely";

import type { Clock } from "../../clock.js";
import type { Database } from "../../db/schema.js";
import type { SessionMethod } from "../../db/schema/accounts.js";
import { ForbiddenError, NotFoundError } from "../../errors.js";
import * as invitations from "../../lib/invitations.js";
import { hashToken, newToken } from "../../lib/tokens.js";
import { SESSION_ABSOLUTE_MS } from "./auth.context.js";
import * as repo from "./auth.repository.js";

export const VERIFY_TTL_MS = 48 * 3600 * 1000;
const RESET_TTL_MS = 30 * 60 * 1000;

export interface NewSession {
  token: string;
  csrfToken: string;
  expiresAt: number;
}

export function createAccountSteps(clock: Clock) {
  /** `method`: how the caller proved who they are (`requireSso` refuses all but `sso`). */
  async function createSession(
    db: Kysely<Database>,
    userId: string,
    method: SessionMethod,
  ): Promise<NewSession> {
    const now = clock.now();
    const session = {
      token: newToken(),
      csrfToken: newToken(24),
      expiresAt: now + SESSION_ABSOLUTE_MS,
    };
    await repo.insertSession(db, {
      token_hash: hashToken(session.token),
      user_id: userId,
      csrf_token: session.csrfToken,
      created_at: now,
      last_seen_at: now,
      expires_at: session.expiresAt,
      method,
    });
    return session;
  }

  async function issueEmailToken(
    db: Kysely<Database>,
    userId: string,
    purpose: "verify" | "reset",
  ) {
    const token = newToken();
    const now = clock.now();
    await repo.insertEmailToken(db, {
      token_hash: hashToken(token),
      user_id: userId,
      purpose,
      created_at: now,
      expires_at: now + (purpose === "verify" ? VERIFY_TTL_MS : RESET_TTL_MS),
    });
    return token;
  }

  /** Consumes a single-use token: the DELETE that finds it is the one that spends it. */
  async function spendEmailToken(db: Kysely<Database>, token: string, purpose: "verify" | "reset") {
    return repo.spendEmailToken(db, { tokenHash: hashToken(token), purpose, now: clock.now() });
  }

  /**
   * The owner of the address has just proven it (verification link or reset from the inbox).
   * While it was unproven, whoever typed the address at sign-up held the account: their API
   * tokens and sessions go (but `keepSession`, the prover's own), and so do memberships in
   * organizations with other people and the invitations they sent, which only data from before
   * unverified accounts were held back can contain. Their own empty organization stays the owner's.
   */
  async function wipeUnprovenHolder(
    trx: Kysely<Database>,
    userId: string,
    keepSession: string | null,
  ) {
    await repo.wipeHolder(trx, userId, keepSession);
  }

  /** Marks a pending invitation to `email` accepted (one conditional UPDATE) or throws. */
  async function takeInvitation(trx: Kysely<Database>, token: string, email: string, now: number) {
    const tokenHash = hashToken(token);
    const taken = await invitations.acceptInvitation(trx, { tokenHash, email, now });
    if (taken) return taken;
    const other = (await invitations.pendingInvitationEmail(trx, tokenHash, now)) !== undefined;
    if (other)
      throw new ForbiddenError(
        "invitation_email_mismatch",
        "This invitation was sent to another e-mail address. Sign up with that address.",
      );
    throw new NotFoundError(
      "invitation_not_found",
      "This invitation is not valid any more. Ask for a new one.",
    );
  }

  return { createSession, issueEmailToken, spendEmailToken, wipeUnprovenHolder, takeInvitation };
}

export type AccountSteps = ReturnType<typeof createAccountSteps>;
