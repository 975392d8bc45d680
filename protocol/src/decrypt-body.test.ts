/**
 * decryptBody (issue 17): a download's body read with a BYOB reader into one reused chunk buffer
 * gives the same plaintext as decryptStream, keeps every check (order, truncation, size, a bad
 * chunk stops everything after it and the download), stays bounded by a few chunks, and takes any
 * other stream through decryptStream.
 */
import { describe, expect, it } from "vitest";

import { decryptBody } from "./decrypt-body.js";
import { concatBytes } from "./encoding.js";
import {
  decryptStream,
  eachOf,
  ENCRYPTED_CHUNK_BYTES,
  encryptFile,
  FILE_CHUNK_BYTES,
  FileDecryptionError,
} from "./files.js";
import { digest, patterned, piecewise } from "./testing.js";

const key = new Uint8Array(32).fill(7);

/**
 * `bytes` as a byte stream (what fetch's body is) in pieces of `piece` bytes, counting how its
 * reads came: into a reader's own buffer (BYOB) or as pieces the stream allocated.
 */
function byteBody(bytes: Uint8Array, piece = 70_001) {
  const seen = { byob: 0, plain: 0, given: 0, cancelled: false };
  let offset = 0;
  const body = new ReadableStream({
    type: "bytes",
    pull(controller) {
      if (offset >= bytes.length) {
        controller.close();
        controller.byobRequest?.respond(0);
        return;
      }
      const request = controller.byobRequest;
      if (request?.view) {
        seen.byob++;
        const view = new Uint8Array(request.view.buffer, request.view.byteOffset);
        const n = Math.min(piece, view.length, bytes.length - offset);
        view.set(bytes.subarray(offset, offset + n));
        request.respond(n);
        offset += n;
      } else {
        seen.plain++;
        const n = Math.min(piece, bytes.length - offset);
        controller.enqueue(bytes.slice(offset, offset + n));
        offset += n;
      }
      seen.given = offset;
    },
    cancel() {
      seen.cancelled = true;
    },
  });
  return { body, seen };
}

async function plaintextOf(stream: ReadableStream<Uint8Array>) {
  const parts: Uint8Array[] = [];
  await eachOf(stream, (part) => parts.push(part));
  return concatBytes(...parts);
}

describe("decryptBody: a download's body read into one chunk buffer", () => {
  it("opens files around the chunk boundary, as decryptStream does, through a BYOB reader", async () => {
    for (const size of [0, 1, FILE_CHUNK_BYTES - 1, FILE_CHUNK_BYTES, FILE_CHUNK_BYTES + 1]) {
      const plaintext = patterned(size);
      const blob = await encryptFile(key, plaintext);
      for (const parallel of [1, 4]) {
        const { body, seen } = byteBody(blob);
        const opened = await plaintextOf(decryptBody(body, key, { expectedSize: size, parallel }));
        expect(await digest(opened), `${size} bytes, ${parallel} at once`).toBe(
          await digest(plaintext),
        );
        expect(seen).toMatchObject({ plain: 0, given: blob.length });
        expect(seen.byob).toBeGreaterThan(0);
      }
    }
  });

  it("gives decryptStream's parts for a file of several chunks", async () => {
    const plaintext = patterned(3 * FILE_CHUNK_BYTES + 5);
    const blob = await encryptFile(key, plaintext);
    const parts: Uint8Array[] = [];
    await eachOf(decryptBody(byteBody(blob, 65_536).body, key, { parallel: 4 }), (p) =>
      parts.push(p),
    );
    const expected: Uint8Array[] = [];
    await eachOf(piecewise(blob, 65_536).pipeThrough(decryptStream(key)), (p) => expected.push(p));
    expect(parts.map((p) => p.length)).toEqual(expected.map((p) => p.length));
    expect(await digest(concatBytes(...parts))).toBe(await digest(plaintext));
  });

  it("refuses swapped, altered, dropped and cut chunks, a wrong size and an empty body", async () => {
    const size = 3 * FILE_CHUNK_BYTES + 10;
    const blob = await encryptFile(key, patterned(size));
    const [a, b, c, d] = [0, 1, 2, 3].map((n) =>
      blob.subarray(n * ENCRYPTED_CHUNK_BYTES, (n + 1) * ENCRYPTED_CHUNK_BYTES),
    );
    const flipped = blob.slice();
    flipped[ENCRYPTED_CHUNK_BYTES + 99]! ^= 1;
    const cases: [string, Uint8Array, RegExp, number?][] = [
      ["swapped", concatBytes(b!, a!, c!, d!), /chunk 0/],
      ["altered", flipped, /chunk 1/],
      ["last dropped", concatBytes(a!, b!, c!), /chunk 2/],
      ["cut in the last", blob.subarray(0, blob.length - 5), /chunk 3/],
      ["a byte more", concatBytes(blob, new Uint8Array(1)), /chunk 3/],
      ["empty", new Uint8Array(0), /chunk 0/],
      ["another size", blob, /chunk 3/, size + 1],
    ];
    for (const [name, bytes, error, expectedSize] of cases) {
      const { body } = byteBody(bytes);
      const out = decryptBody(body, key, { parallel: 4, expectedSize: expectedSize ?? size });
      await expect(plaintextOf(out), name).rejects.toThrow(error);
      if (expectedSize !== undefined) continue;
      // One chunk at a time and no size given: still refused.
      await expect(plaintextOf(decryptBody(byteBody(bytes).body, key))).rejects.toBeInstanceOf(
        FileDecryptionError,
      );
    }
  });

  it("releases nothing after a bad chunk and stops the download", async () => {
    const blob = await encryptFile(key, patterned(12 * FILE_CHUNK_BYTES));
    blob[2 * ENCRYPTED_CHUNK_BYTES + 5]! ^= 1;
    const { body, seen } = byteBody(blob);
    const released: number[] = [];
    await expect(
      eachOf(decryptBody(body, key, { parallel: 4 }), (p) => released.push(p.length)),
    ).rejects.toThrow(/chunk 2/);
    expect(released).toEqual([FILE_CHUNK_BYTES, FILE_CHUNK_BYTES]);
    expect(seen.cancelled).toBe(true);
    expect(seen.given).toBeLessThan(blob.length);
  });

  it("reads a few chunks ahead of its reader, not the file", async () => {
    const blob = await encryptFile(key, patterned(16 * FILE_CHUNK_BYTES));
    const { body, seen } = byteBody(blob);
    const reader = decryptBody(body, key, { parallel: 4 }).getReader();
    expect((await reader.read()).value?.length).toBe(FILE_CHUNK_BYTES);
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    // The chunk read, four in WebCrypto, one released and waiting, and the byte after them.
    expect(seen.given).toBeLessThanOrEqual(6 * ENCRYPTED_CHUNK_BYTES + 1);
    await reader.cancel();
    expect(seen.cancelled).toBe(true);
  });

  it("takes a stream that is not a byte stream through decryptStream", async () => {
    const plaintext = patterned(2 * FILE_CHUNK_BYTES + 3);
    const blob = await encryptFile(key, plaintext);
    const opened = await plaintextOf(decryptBody(piecewise(blob, 70_001), key, { parallel: 4 }));
    expect(await digest(opened)).toBe(await digest(plaintext));
    expect(() => decryptBody(piecewise(blob, 1), key, { parallel: 0 })).toThrow(RangeError);
  });
});
