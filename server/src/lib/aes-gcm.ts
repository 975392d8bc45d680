/**
 * AES-256-GCM as both at-rest formats use it (sealing.ts with the root key, data-keys.ts with a
 * value's own data key): a 12-byte random IV, a 16-byte tag after the ciphertext, an AAD that binds
 * the value to its place, base64url fields joined by dots after a version. Failures are SealErrors
 * that never quote the value.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

export const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export type SealErrorCode = "sealed_malformed" | "sealed_unknown_key" | "sealed_tampered";

/** Thrown when a sealed value cannot be opened. The message never quotes the value. */
export class SealError extends Error {
  constructor(
    readonly code: SealErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "SealError";
  }
}

const malformed = () =>
  new SealError("sealed_malformed", "The sealed value is not in the v1 format.");

/** Encrypts `plaintext` under `key`: the `<iv>.<ciphertext+tag>` fields, base64url. */
export function gcmSeal(key: Buffer, plaintext: string, aad: Buffer): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const body = Buffer.concat([
    cipher.update(plaintext, "utf8"),
    cipher.final(),
    cipher.getAuthTag(),
  ]);
  return `${iv.toString("base64url")}.${body.toString("base64url")}`;
}

export interface SealedFields {
  /** The fields between the version and the IV (the key id, for root-key sealing). */
  names: string[];
  iv: Buffer;
  body: Buffer;
}

/**
 * Splits `v1.<name>….<iv>.<ciphertext+tag>` with `nameCount` fields before the IV, checking the
 * version, the alphabet and the IV and tag lengths.
 */
export function parseSealed(sealed: string, nameCount: number): SealedFields {
  const parts = sealed.split(".");
  if (parts.length !== nameCount + 3 || parts[0] !== VERSION) throw malformed();
  const fields = parts.slice(1);
  if (!fields.every((f) => BASE64URL.test(f))) throw malformed();
  const iv = Buffer.from(fields[nameCount]!, "base64url");
  const body = Buffer.from(fields[nameCount + 1]!, "base64url");
  if (iv.length !== IV_BYTES || body.length < TAG_BYTES) throw malformed();
  return { names: fields.slice(0, nameCount), iv, body };
}

/** Decrypts what parseSealed found; a wrong key, AAD or any changed byte is `sealed_tampered`. */
export function gcmOpen(
  key: Buffer,
  sealed: Pick<SealedFields, "iv" | "body">,
  aad: Buffer,
): string {
  const { iv, body } = sealed;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad);
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    return Buffer.concat([
      decipher.update(body.subarray(0, body.length - TAG_BYTES)),
      decipher.final(),
    ]).toString("utf8");
  } catch {
    throw new SealError(
      "sealed_tampered",
      "The sealed value does not authenticate (changed, or moved).",
    );
  }
}
