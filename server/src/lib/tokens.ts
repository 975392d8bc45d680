import { createHash, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";

/** base64url SHA-256, the form in which every token is stored. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("base64url");
}

/** SHA-256 of the bytes a base64url value encodes: the protocol's viewToken / verifier hash. */
export function hashBase64UrlBytes(value: string): string {
  return createHash("sha256").update(Buffer.from(value, "base64url")).digest("base64url");
}

export function newToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

export function newId(): string {
  return randomUUID();
}

/**
 * A UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then the version and 74 random bits taken from
 * a v4 UUID. For rows inserted at a high rate whose index should grow at its end (an access-log
 * entry), not for anything whose creation time should stay private.
 */
export function newTimeOrderedId(now = Date.now()): string {
  const ms = now.toString(16).padStart(12, "0");
  // A v4 UUID is xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx: keep all after the version digit.
  return `${ms.slice(0, 8)}-${ms.slice(8)}-7${randomUUID().slice(15)}`;
}

/** Constant-time equality of two stored hashes (or any two strings). */
export function safeEqual(a: string | null | undefined, b: string | null | undefined): boolean {
  if (typeof a !== "string" || typeof b !== "string") return false;
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
