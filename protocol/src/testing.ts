/**
 * Helpers for this package's file tests (files.test.ts, parallel.test.ts, decrypt-body.test.ts),
 * kept out of the build (tsconfig.build.json): patterned bytes, byte streams fed in odd pieces and
 * digests to compare.
 */
import { sha256 } from "./crypto.js";
import { toBase64Url } from "./encoding.js";

/** Feeds `bytes` in pieces of `piece` bytes, so chunk boundaries never line up with the input. */
export function piecewise(bytes: Uint8Array, piece: number): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + piece));
      offset += piece;
    },
  });
}

/** Large byte arrays compare by digest: element-wise deep equality of megabytes is very slow. */
export const digest = async (bytes: Uint8Array) => toBase64Url(await sha256(bytes));

/** `size` bytes of a pattern that repeats only every 251 bytes, so chunks never look alike. */
export function patterned(size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 13 + 5) % 251;
  return bytes;
}
