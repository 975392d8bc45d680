/**
 * Encryption at rest with the instance root key (SPEC §3): what the server must keep for a while
 * but must not keep readable, such as the outbox entries that carry a share's link.
 *
 * Format: `v1.<keyId>.<iv>.<ciphertext+tag>`, base64url fields. The key id is the first 8
 * base64url characters of SHA-256(rootKey): it names the key without revealing it, so after a
 * rotation the server can tell "sealed under the old key" from "tampered with". The AAD binds a
 * sealed value to its place (table, row, column), so a value copied into another row will not open.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

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

function checkKey(rootKey: Buffer): void {
  if (rootKey.length !== KEY_BYTES) throw new Error("The root key must be 32 bytes.");
}

/** The public name of a root key: first 8 base64url characters of its SHA-256. */
export function rootKeyId(rootKey: Buffer): string {
  checkKey(rootKey);
  return createHash("sha256").update(rootKey).digest("base64url").slice(0, 8);
}

export function sealWithRootKey(rootKey: Buffer, plaintext: string, aad: string): string {
  checkKey(rootKey);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", rootKey, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad, "utf8"));
  const body = Buffer.concat([
    cipher.update(plaintext, "utf8"),
    cipher.final(),
    cipher.getAuthTag(),
  ]);
  return [VERSION, rootKeyId(rootKey), iv.toString("base64url"), body.toString("base64url")].join(
    ".",
  );
}

/**
 * Opens a value sealed by sealWithRootKey. Pass the current key, or the current key followed by
 * retired ones during a rotation: the key id picks the right one.
 */
export function openWithRootKey(
  rootKey: Buffer | readonly Buffer[],
  sealed: string,
  aad: string,
): string {
  const parts = sealed.split(".");
  const [version, keyId, ivText, bodyText] = parts;
  const base64url = /^[A-Za-z0-9_-]+$/;
  if (
    parts.length !== 4 ||
    version !== VERSION ||
    keyId === undefined ||
    ivText === undefined ||
    bodyText === undefined ||
    !base64url.test(keyId) ||
    !base64url.test(ivText) ||
    !base64url.test(bodyText)
  ) {
    throw new SealError("sealed_malformed", "The sealed value is not in the v1 format.");
  }
  const iv = Buffer.from(ivText, "base64url");
  const body = Buffer.from(bodyText, "base64url");
  if (iv.length !== IV_BYTES || body.length < TAG_BYTES) {
    throw new SealError("sealed_malformed", "The sealed value is not in the v1 format.");
  }
  const keys: readonly Buffer[] = Buffer.isBuffer(rootKey) ? [rootKey] : rootKey;
  const key = keys.find((k) => rootKeyId(k) === keyId);
  if (!key) {
    throw new SealError(
      "sealed_unknown_key",
      `The value was sealed under root key ${keyId}, which is not configured.`,
    );
  }
  const decipher = createDecipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(aad, "utf8"));
  decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
  try {
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
