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

/** Constant-time equality of two stored hashes (or any two strings). */
export function safeEqual(a: string | null | undefined, b: string | null | undefined): boolean {
  if (typeof a !== "string" || typeof b !== "string") return false;
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
