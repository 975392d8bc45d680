/**
 * Envelope encryption for values the server must be able to read back (SPEC §3: secret requests,
 * which the requester reads in the dashboard). Each value gets its own random 32-byte data key;
 * the value is sealed with AES-256-GCM under that data key, and only the data key is sealed with
 * the instance root key (lib/sealing.ts, whose output names the root key by its id).
 *
 * Why two layers: rotating the root key then means re-sealing 32-byte keys, never the values, and
 * a value is readable only with both its own row (value + wrapped key) and the root key.
 *
 * Both layers carry an AAD built from `context` (e.g. "hushlink/requests/<id>"), so a value or a
 * wrapped key copied into another row does not open there.
 *
 * Value format: `v1.<iv>.<ciphertext+tag>`, base64url fields.
 */
import { randomBytes } from "node:crypto";

import { gcmOpen, gcmSeal, parseSealed, VERSION } from "./aes-gcm.js";
import { openWithRootKey, rootKeyId, sealWithRootKey, SealError } from "./sealing.js";

const DATA_KEY_BYTES = 32;

export interface SealedValue {
  /** The value under its data key. */
  value: string;
  /** The data key under the root key (sealWithRootKey format, which carries the key id). */
  wrappedKey: string;
  /** Id of the root key that wrapped the data key (rootKeyId), stored beside it for rotation. */
  keyId: string;
}

const valueAad = (context: string) => Buffer.from(`${context}/value`, "utf8");
const keyAad = (context: string) => `${context}/data_key`;

function asList(rootKeys: Buffer | readonly Buffer[]): readonly Buffer[] {
  return Buffer.isBuffer(rootKeys) ? [rootKeys] : rootKeys;
}

/** Seals `plaintext` under a fresh data key, and the data key under `rootKey`. */
export function sealValue(rootKey: Buffer, plaintext: string, context: string): SealedValue {
  const dataKey = randomBytes(DATA_KEY_BYTES);
  try {
    return {
      value: `${VERSION}.${gcmSeal(dataKey, plaintext, valueAad(context))}`,
      wrappedKey: sealWithRootKey(rootKey, dataKey.toString("base64url"), keyAad(context)),
      keyId: rootKeyId(rootKey),
    };
  } finally {
    // Best effort: the key does not linger in this buffer (V8 may have copied it elsewhere).
    dataKey.fill(0);
  }
}

function unwrap(rootKeys: readonly Buffer[], wrappedKey: string, context: string): Buffer {
  const dataKey = Buffer.from(openWithRootKey(rootKeys, wrappedKey, keyAad(context)), "base64url");
  if (dataKey.length !== DATA_KEY_BYTES) {
    throw new SealError("sealed_malformed", "The wrapped data key has the wrong length.");
  }
  return dataKey;
}

/**
 * Opens a value sealed by sealValue. `rootKeys` is the current key followed by retired ones: the
 * wrapped key's id picks the one that opens it. Throws SealError (never quoting the value).
 */
export function openValue(
  rootKeys: Buffer | readonly Buffer[],
  sealed: { value: string; wrappedKey: string },
  context: string,
): string {
  const fields = parseSealed(sealed.value, 0);
  const dataKey = unwrap(asList(rootKeys), sealed.wrappedKey, context);
  try {
    return gcmOpen(dataKey, fields, valueAad(context));
  } finally {
    dataKey.fill(0);
  }
}

/**
 * Re-wraps a data key under the current root key (`rootKeys[0]`), for root key rotation. The
 * value itself is untouched. Returns null when the key is already wrapped by the current key.
 */
export function rewrapKey(
  rootKeys: readonly Buffer[],
  wrappedKey: string,
  context: string,
): { wrappedKey: string; keyId: string } | null {
  const current = rootKeys[0];
  if (!current) throw new Error("rewrapKey needs at least the current root key");
  const currentId = rootKeyId(current);
  if (wrappedKeyId(wrappedKey) === currentId) return null;
  const dataKey = unwrap(rootKeys, wrappedKey, context);
  try {
    return {
      wrappedKey: sealWithRootKey(current, dataKey.toString("base64url"), keyAad(context)),
      keyId: currentId,
    };
  } finally {
    dataKey.fill(0);
  }
}

/** The root key id named inside a wrapped key (`v1.<keyId>.…`), or null if it is not one. */
export function wrappedKeyId(wrappedKey: string): string | null {
  const parts = wrappedKey.split(".");
  return parts.length === 4 && parts[0] === VERSION ? (parts[1] ?? null) : null;
}
