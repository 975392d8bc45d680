/**
 * Encryption at rest with the instance root key (SPEC §3): what the server must keep for a while
 * but must not keep readable, such as the outbox entries that carry a share's link.
 *
 * Format: `v1.<keyId>.<iv>.<ciphertext+tag>`, base64url fields. The key id is the first 8
 * base64url characters of SHA-256(rootKey): it names the key without revealing it, so after a
 * rotation the server can tell "sealed under the old key" from "tampered with". The AAD binds a
 * sealed value to its place (table, row, column), so a value copied into another row will not open.
 */
import { createHash } from "node:crypto";

import { gcmOpen, gcmSeal, parseSealed, SealError, VERSION } from "./aes-gcm.js";

export { SealError, type SealErrorCode } from "./aes-gcm.js";

const KEY_BYTES = 32;

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
  return `${VERSION}.${rootKeyId(rootKey)}.${gcmSeal(rootKey, plaintext, Buffer.from(aad, "utf8"))}`;
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
  const fields = parseSealed(sealed, 1);
  const keyId = fields.names[0];
  const keys: readonly Buffer[] = Buffer.isBuffer(rootKey) ? [rootKey] : rootKey;
  const key = keys.find((k) => rootKeyId(k) === keyId);
  if (!key) {
    throw new SealError(
      "sealed_unknown_key",
      `The value was sealed under root key ${keyId}, which is not configured.`,
    );
  }
  return gcmOpen(key, fields, Buffer.from(aad, "utf8"));
}
