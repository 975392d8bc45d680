import { hash, randomBytes, randomFillSync, randomUUID, timingSafeEqual } from "node:crypto";

// Node's one-shot `hash` (20.12+) gives createHash().update().digest()'s bytes without a Hash
// object and its stream machinery: 6.1 → 3.9 µs per view-token hash in a loop at load 15
// (issue 24, fifteenth round). Every reveal, metadata-free delete and create hashes a token.

/** base64url SHA-256, the form in which every token is stored. */
export function hashToken(token: string): string {
  return hash("sha256", token, "base64url");
}

/** SHA-256 of the bytes a base64url value encodes: the protocol's viewToken / verifier hash. */
export function hashBase64UrlBytes(value: string): string {
  return hash("sha256", Buffer.from(value, "base64url"), "base64url");
}

/**
 * Random bytes for tokens, drawn from the CSPRNG 4 KiB at a time, as Node's randomUUID keeps its
 * own cache: one `randomFillSync` per 128 tokens of 32 bytes instead of one `randomBytes` call
 * each, which was 3.4% of a create's CPU (issue 24, the manage token). Every byte is handed out
 * once: the offset only moves forward, the bytes of a token are zeroed in the pool as it is
 * taken, and the pool is refilled from the CSPRNG when what is left is too short.
 */
const POOL_BYTES = 4096;
const pool = Buffer.allocUnsafeSlow(POOL_BYTES);
let poolOffset = POOL_BYTES;

export function newToken(bytes = 32): string {
  if (bytes > POOL_BYTES / 8) return randomBytes(bytes).toString("base64url");
  if (poolOffset + bytes > POOL_BYTES) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const start = poolOffset;
  poolOffset += bytes;
  const token = pool.toString("base64url", start, poolOffset);
  pool.fill(0, start, poolOffset);
  return token;
}

export function newId(): string {
  return randomUUID();
}

let lastMs = 0;
let sequence = 0;

/**
 * A UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, the version, a 12-bit sequence, then 62
 * random bits taken from a v4 UUID. Within a process the ids only grow (the sequence counts up
 * within a millisecond, and borrows the next millisecond when it runs out), so they order events
 * that share a timestamp. For rows inserted at a high rate whose index should grow at its end (an
 * access-log entry), not for anything whose creation time should stay private.
 */
export function newTimeOrderedId(now = Date.now()): string {
  if (now > lastMs) {
    lastMs = now;
    sequence = 0;
  } else if (++sequence > 0xfff) {
    lastMs += 1;
    sequence = 0;
  }
  const ms = lastMs.toString(16).padStart(12, "0");
  const seq = sequence.toString(16).padStart(3, "0");
  // A v4 UUID is xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx: keep its variant and random tail.
  return `${ms.slice(0, 8)}-${ms.slice(8)}-7${seq}${randomUUID().slice(18)}`;
}

/** Constant-time equality of two stored hashes (or any two strings). */
export function safeEqual(a: string | null | undefined, b: string | null | undefined): boolean {
  if (typeof a !== "string" || typeof b !== "string") return false;
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
