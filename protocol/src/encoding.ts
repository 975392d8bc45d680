/**
 * base64url without padding (RFC 4648 §5), the encoding of every binary field in protocol v1.
 * Written on atob/btoa so the same code runs in browsers, Node and the CLI.
 */

const BASE64URL = /^[A-Za-z0-9_-]*$/;

export function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Throws on anything that is not canonical unpadded base64url. */
export function fromBase64Url(text: string): Uint8Array {
  if (!BASE64URL.test(text) || text.length % 4 === 1) {
    throw new TypeError("not base64url");
  }
  const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  // Reject non-canonical encodings (stray low bits in the last character), so one value has one spelling.
  if (toBase64Url(bytes) !== text) throw new TypeError("not canonical base64url");
  return bytes;
}

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/**
 * Whether the last character of unpadded base64url `text` leaves its unused low bits at zero (4
 * of them when the length is 2 more than a multiple of 4, 2 when it is 3 more), i.e. whether the
 * text is the one spelling of its bytes: decoders drop those bits, so "AB" and "AA" both decode
 * to one zero byte. Looks at the last character only, so it costs nothing on a long ciphertext.
 */
export function hasCanonicalEnd(text: string): boolean {
  const rest = text.length % 4;
  if (rest === 0) return true;
  if (rest === 1) return false;
  const value = ALPHABET.indexOf(text.charAt(text.length - 1));
  return value >= 0 && (value & (rest === 2 ? 0b1111 : 0b11)) === 0;
}

/** Length in bytes that a base64url string of `length` characters decodes to, or null if impossible. */
export function decodedLength(length: number): number | null {
  if (length % 4 === 1) return null;
  return Math.floor((length * 3) / 4);
}

/**
 * Whether unpadded base64url `text` has a length some bytes encode to. A named refinement, so a
 * server may check it without zod's parse and know it by identity (as `hasCanonicalEnd`).
 */
export function hasWholeLength(text: string): boolean {
  return decodedLength(text.length) !== null;
}

export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
