/**
 * encryptStream and decryptStream with `parallel` > 1 (what the web page uses): several chunks
 * go through WebCrypto at once, yet the output is the same bytes in the same order, memory stays
 * at a few chunks, and a bad chunk still stops everything after it.
 */
import { afterEach, describe, expect, it, vi } from "vitest";

import { concatBytes } from "./encoding.js";

import {
  decryptStream,
  eachOf,
  encryptFile,
  encryptStream,
  FILE_CHUNK_BYTES,
  FileDecryptionError,
  type EncryptedChunk,
} from "./files.js";
import { digest, patterned, piecewise } from "./testing.js";

const key = new Uint8Array(32).fill(11);

/** Counts the WebCrypto calls of one kind in flight at once, and the most there ever were. */
function inFlightOf(method: "encrypt" | "decrypt") {
  const subtle = globalThis.crypto.subtle;
  const original = subtle[method].bind(subtle) as (...args: unknown[]) => Promise<ArrayBuffer>;
  const seen = { now: 0, most: 0 };
  vi.spyOn(subtle, method).mockImplementation(async (...args: unknown[]) => {
    seen.now++;
    seen.most = Math.max(seen.most, seen.now);
    try {
      return await original(...args);
    } finally {
      seen.now--;
    }
  });
  return seen;
}

async function plaintextOf(encrypted: Uint8Array, parallel: number, size?: number) {
  const parts: Uint8Array[] = [];
  const options = size === undefined ? { parallel } : { parallel, expectedSize: size };
  await eachOf(piecewise(encrypted, 70_001).pipeThrough(decryptStream(key, options)), (p) =>
    parts.push(p),
  );
  return parts;
}

afterEach(() => vi.restoreAllMocks());

describe("protocol v1 files: chunks in parallel", () => {
  it("encrypts four chunks at once into the same chunks, in order", async () => {
    const plaintext = patterned(9 * FILE_CHUNK_BYTES + 3);
    const expected = await encryptFile(key, plaintext);
    const seen = inFlightOf("encrypt");
    const chunks: EncryptedChunk[] = [];
    await eachOf(
      piecewise(plaintext, 65_536).pipeThrough(encryptStream(key, { parallel: 4 })),
      (c) => chunks.push(c),
    );
    expect(seen.most).toBe(4);
    expect(chunks.map((c) => c.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(chunks.map((c) => c.last)).toEqual([...new Array<boolean>(9).fill(false), true]);
    expect(await digest(concatBytes(...chunks.map((c) => c.bytes)))).toBe(await digest(expected));
  });

  it("decrypts four chunks at once into the file, in order, checking its size", async () => {
    const plaintext = patterned(7 * FILE_CHUNK_BYTES + 1);
    const encrypted = await encryptFile(key, plaintext);
    const seen = inFlightOf("decrypt");
    const parts = await plaintextOf(encrypted, 4, plaintext.length);
    expect(seen.most).toBe(4);
    expect(await digest(concatBytes(...parts))).toBe(await digest(plaintext));
    await expect(plaintextOf(encrypted, 4, plaintext.length + 1)).rejects.toThrow(
      FileDecryptionError,
    );
  });

  it("releases nothing from the bad chunk on, even when later ones decrypt first", async () => {
    const plaintext = patterned(6 * FILE_CHUNK_BYTES);
    const encrypted = await encryptFile(key, plaintext);
    const chunk = FILE_CHUNK_BYTES + 16;
    encrypted[2 * chunk + 100]! ^= 1;
    const parts: Uint8Array[] = [];
    const failure = await eachOf(
      piecewise(encrypted, chunk).pipeThrough(decryptStream(key, { parallel: 4 })),
      (p) => parts.push(p),
    ).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(FileDecryptionError);
    expect((failure as FileDecryptionError).chunk).toBe(2);
    expect(await digest(concatBytes(...parts))).toBe(
      await digest(plaintext.subarray(0, 2 * FILE_CHUNK_BYTES)),
    );
  });

  it("refuses two chunks swapped and a dropped last chunk", async () => {
    const encrypted = await encryptFile(key, patterned(3 * FILE_CHUNK_BYTES + 9));
    const chunk = FILE_CHUNK_BYTES + 16;
    const swapped = encrypted.slice();
    swapped.set(encrypted.subarray(chunk, 2 * chunk), 0);
    swapped.set(encrypted.subarray(0, chunk), chunk);
    await expect(plaintextOf(swapped, 4)).rejects.toThrow(FileDecryptionError);
    await expect(plaintextOf(encrypted.subarray(0, 3 * chunk), 4)).rejects.toThrow(
      FileDecryptionError,
    );
  });

  it("wants at least one chunk at a time", () => {
    expect(() => decryptStream(key, { parallel: 0 })).toThrow(RangeError);
    expect(() => encryptStream(key, { parallel: 1.5 })).toThrow(RangeError);
  });
});
