/**
 * One link per recipient (extension, F14): the same payload sealed once per recipient, each with
 * a link secret of its own, so each link has its own id, view token and (with a password) its own
 * salt and verifier. The share itself gets an id of 16 random bytes that opens nothing.
 */
import { ID_BYTES } from "./constants.js";
import { seal, type KdfParams, type SealedShare, type SealOptions } from "./crypto.js";
import { toBase64Url } from "./encoding.js";

export interface RecipientLinkBody {
  email: string;
  id: string;
  viewToken: string;
  ciphertext: string;
  iv: string;
  password?: { kdf: KdfParams; verifier: string };
  linkSecret: string;
}

export interface SealedForRecipients {
  /** The share's id; its body carries `recipientLinks` instead of a link of its own. */
  id: string;
  recipientLinks: RecipientLinkBody[];
  /** The files' blobs (SPEC §3.1), uploaded once for every link; absent without files. */
  blobs?: { id: string; size: number }[];
}

/** One recipient's entry of `recipientLinks`, from a share sealed for that recipient alone. */
export function recipientLinkFrom(
  email: string,
  { linkSecret, body }: SealedShare,
): RecipientLinkBody {
  return {
    email,
    id: body.id,
    viewToken: body.viewToken,
    ciphertext: body.ciphertext,
    iv: body.iv,
    ...(body.password ? { password: body.password } : {}),
    linkSecret,
  };
}

/** The id of a share whose every link is a recipient's: 16 random bytes that open nothing. */
export function newRecipientShareId(): string {
  return toBase64Url(globalThis.crypto.getRandomValues(new Uint8Array(ID_BYTES)));
}

/**
 * Seals `text` for each address. With a password, each link runs Argon2id once (its salt comes
 * from its own link secret), so n recipients cost n key derivations. Files are encrypted once
 * under keys of their own (SPEC §3.1): every link's payload carries the same `files` entries,
 * blob ids and keys, so one upload serves every link.
 * A client may run the key derivations in parallel with `seal` and `recipientShareFrom` instead
 * (the web does, in workers).
 */
export async function sealForRecipients(
  text: string,
  emails: string[],
  options: Omit<SealOptions, "linkSecret" | "iv"> = {},
): Promise<SealedForRecipients> {
  const sealed: SealedShare[] = [];
  for (let i = 0; i < emails.length; i++) sealed.push(await seal(text, options));
  return recipientShareFrom(emails, sealed);
}

/**
 * The share of `sealed[i]` for `emails[i]`, each sealed with the same payload (text, note and
 * `files` entries): a new share id, a link per recipient, and the files' blobs declared once.
 */
export function recipientShareFrom(emails: string[], sealed: SealedShare[]): SealedForRecipients {
  if (sealed.length !== emails.length) throw new Error("one sealed share per recipient");
  const recipientLinks = emails.map((email, i) => recipientLinkFrom(email, sealed[i]!));
  // The same files in every payload, so the same blobs: those of any one link.
  const blobs = sealed[0]?.body.blobs;
  return { id: newRecipientShareId(), recipientLinks, ...(blobs ? { blobs } : {}) };
}
