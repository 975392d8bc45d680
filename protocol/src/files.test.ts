import { describe, expect, it } from "vitest";

import vectorsFile from "../test-vectors/protocol-v1-ext-vectors.json" with { type: "json" };
import { sha256 } from "./crypto.js";
import { concatBytes, fromBase64Url, toBase64Url } from "./encoding.js";
import {
  BLOB_ID_BYTES,
  blobLayout,
  chunkCount,
  chunkIv,
  decryptFile,
  decryptStream,
  eachOf,
  encryptedChunkLength,
  encryptedSize,
  encryptFile,
  encryptStream,
  FILE_CHUNK_BYTES,
  FileDecryptionError,
  type EncryptedChunk,
} from "./files.js";
import type { ExtVectorsFile, FileVector } from "./test-vectors.js";
import { digest, piecewise } from "./testing.js";

const file = vectorsFile as ExtVectorsFile;

/** The vectors' plaintext: given outright, or by the rule byte i = (i * 7 + 3) mod 256. */
function plaintextOf(v: FileVector): Uint8Array {
  if (v.plaintext !== undefined) return fromBase64Url(v.plaintext);
  expect(v.plaintextRule).toBe("byte i = (i * 7 + 3) mod 256");
  const bytes = new Uint8Array(v.size);
  for (let i = 0; i < v.size; i++) bytes[i] = (i * 7 + 3) % 256;
  return bytes;
}

async function chunksOf(key: Uint8Array, plaintext: Uint8Array, piece = 65_521) {
  const out: EncryptedChunk[] = [];
  await eachOf(piecewise(plaintext, piece).pipeThrough(encryptStream(key)), (c) => out.push(c));
  return out;
}

async function decryptAll(key: Uint8Array, parts: Uint8Array[]): Promise<Uint8Array> {
  return decryptFile(key, concatBytes(...parts));
}

const b64 = toBase64Url;
/** The digest of the plaintext that encrypted chunks open to, joined as a download joins them. */
const openedDigest = async (key: Uint8Array, chunks: EncryptedChunk[]) =>
  digest(
    await decryptAll(
      key,
      chunks.map((c) => c.bytes),
    ),
  );

describe("protocol v1 files: known-answer vectors", () => {
  it("has the published chunk size and four file vectors", () => {
    expect(file.chunkSize).toBe(FILE_CHUNK_BYTES);
    expect(file.files.map((v) => v.name)).toEqual([
      "empty file: one empty chunk",
      "five bytes",
      "exactly one chunk",
      "one chunk and three bytes: two chunks",
    ]);
  });

  describe.each(file.files)("$name", (v) => {
    it("reproduces every chunk, size and hash", async () => {
      const key = fromBase64Url(v.key);
      expect(fromBase64Url(v.blob)).toHaveLength(BLOB_ID_BYTES);
      const plaintext = plaintextOf(v);
      expect(b64(await sha256(plaintext))).toBe(v.plaintextSha256);
      expect(encryptedSize(v.size)).toBe(v.encryptedSize);
      expect(chunkCount(v.size)).toBe(v.chunks.length);
      expect(blobLayout(v.encryptedSize)?.size).toBe(v.size);

      const chunks = await chunksOf(key, plaintext);
      const got = await Promise.all(
        chunks.map(async (c) => ({
          n: c.index,
          iv: b64(chunkIv(c.index, c.last)),
          plaintextBytes: c.bytes.length - 16,
          encryptedBytes: c.bytes.length,
          encryptedSha256: b64(await sha256(c.bytes)),
          tag: b64(c.bytes.subarray(c.bytes.length - 16)),
          ...(c.bytes.length <= 64 ? { encrypted: b64(c.bytes) } : {}),
        })),
      );
      expect(got).toEqual(v.chunks);
      for (const c of v.chunks) {
        expect(encryptedChunkLength(v.encryptedSize, c.n)).toBe(c.encryptedBytes);
      }
      expect(encryptedChunkLength(v.encryptedSize, v.chunks.length)).toBeNull();

      expect(await openedDigest(key, chunks)).toBe(v.plaintextSha256);
    });
  });
});

describe("protocol v1 files: what must fail to decrypt", () => {
  const key = fromBase64Url(file.files[3]!.key);
  // Three chunks, so "reorder" and "drop the last" each have a meaningful target.
  const plaintext = patterned(2 * FILE_CHUNK_BYTES + 1000, 31);
  const sealed = chunksOf(key, plaintext);

  it("opens when untouched", async () => {
    const chunks = await sealed;
    expect(chunks.map((c) => [c.index, c.last, c.bytes.length])).toEqual([
      [0, false, FILE_CHUNK_BYTES + 16],
      [1, false, FILE_CHUNK_BYTES + 16],
      [2, true, 1016],
    ]);
    expect(await openedDigest(key, chunks)).toBe(await digest(plaintext));
  });

  it("refuses one flipped byte (in any chunk, ciphertext or tag)", async () => {
    const chunks = (await sealed).map((c) => c.bytes);
    for (const [chunk, at] of [
      [0, 0],
      [1, 500_000],
      [2, 1015],
    ] as const) {
      const tampered = chunks.map((c) => c.slice());
      tampered[chunk]![at]! ^= 0x01;
      await expect(decryptAll(key, tampered)).rejects.toBeInstanceOf(FileDecryptionError);
    }
  });

  it("refuses two chunks swapped", async () => {
    const [a, b, c] = (await sealed).map((x) => x.bytes);
    await expect(decryptAll(key, [b!, a!, c!])).rejects.toThrow(/chunk 0/);
  });

  it("refuses a blob whose last chunk was dropped", async () => {
    const [a, b] = (await sealed).map((x) => x.bytes);
    await expect(decryptAll(key, [a!, b!])).rejects.toThrow(/chunk 1/);
  });

  it("refuses a truncated chunk, in the middle or at the end", async () => {
    const [a, b, c] = (await sealed).map((x) => x.bytes);
    await expect(decryptAll(key, [a!, b!.subarray(0, 1000), c!])).rejects.toBeInstanceOf(
      FileDecryptionError,
    );
    await expect(decryptAll(key, [a!, b!, c!.subarray(0, 1015)])).rejects.toBeInstanceOf(
      FileDecryptionError,
    );
    await expect(decryptAll(key, [a!, b!, c!.subarray(0, 10)])).rejects.toBeInstanceOf(
      FileDecryptionError,
    );
  });

  it("refuses an empty download and a size other than the one the share lists", async () => {
    await expect(decryptAll(key, [])).rejects.toBeInstanceOf(FileDecryptionError);
    const chunks = (await sealed).map((c) => c.bytes);
    const whole = await encryptFile(key, plaintext);
    expect(await digest(whole)).toBe(
      await digest(new Uint8Array(Buffer.concat(chunks.map((c) => Buffer.from(c))))),
    );
    const wrongSize = piecewiseOf(whole).pipeThrough(
      decryptStream(key, { expectedSize: plaintext.length + 1 }),
    );
    await expect(eachOf(wrongSize, () => undefined)).rejects.toBeInstanceOf(FileDecryptionError);
  });

  it("refuses another file's key", async () => {
    const other = fromBase64Url(file.files[2]!.key);
    await expect(
      decryptAll(
        other,
        (await sealed).map((c) => c.bytes),
      ),
    ).rejects.toThrow(/chunk 0/);
  });
});

function patterned(size: number, step: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * step) % 251;
  return bytes;
}

function piecewiseOf(bytes: Uint8Array) {
  return piecewise(bytes, 300_007);
}

describe("protocol v1 files: sizes and streaming", () => {
  it("knows which encrypted sizes are possible", () => {
    expect(blobLayout(15)).toBeNull();
    expect(blobLayout(16)).toEqual({ chunks: 1, lastChunkBytes: 16, size: 0 });
    expect(blobLayout(FILE_CHUNK_BYTES + 16)).toEqual({
      chunks: 1,
      lastChunkBytes: FILE_CHUNK_BYTES + 16,
      size: FILE_CHUNK_BYTES,
    });
    // One byte more than a full chunk cannot be: a second chunk carries a tag and a byte.
    for (let extra = 1; extra <= 16; extra++) {
      expect(blobLayout(FILE_CHUNK_BYTES + 16 + extra)).toBeNull();
    }
    expect(blobLayout(FILE_CHUNK_BYTES + 16 + 17)?.chunks).toBe(2);
    expect(blobLayout(encryptedSize(1024 ** 3))).toEqual({
      chunks: 1024,
      lastChunkBytes: FILE_CHUNK_BYTES + 16,
      size: 1024 ** 3,
    });
    expect(encryptedChunkLength(100, -1)).toBeNull();
    expect(encryptedChunkLength(100, 0.5)).toBeNull();
  });

  it("round-trips sizes around the chunk boundary, fed in odd pieces", async () => {
    const key = new Uint8Array(32).fill(7);
    for (const size of [0, 1, 5, FILE_CHUNK_BYTES - 1, FILE_CHUNK_BYTES, FILE_CHUNK_BYTES + 1]) {
      const plaintext = patterned(size, 1);
      for (const piece of [1 << 20, 4096, 333_333]) {
        const chunks = await chunksOf(key, plaintext, piece);
        expect(chunks).toHaveLength(chunkCount(size));
        expect(chunks.reduce((n, c) => n + c.bytes.length, 0)).toBe(encryptedSize(size));
        expect(await openedDigest(key, chunks)).toBe(await digest(plaintext));
      }
    }
  });

  it("skips the chunks a resumed upload already sent, without changing the others", async () => {
    const key = new Uint8Array(32).fill(9);
    const plaintext = patterned(3 * FILE_CHUNK_BYTES, 5);
    const all = await chunksOf(key, plaintext);
    const rest: EncryptedChunk[] = [];
    await eachOf(
      piecewise(plaintext, 1 << 16).pipeThrough(encryptStream(key, { skip: (n) => n < 2 })),
      (c) => rest.push(c),
    );
    expect(rest.map((c) => [c.index, c.last])).toEqual([[2, true]]);
    expect(await digest(rest[0]!.bytes)).toBe(await digest(all[2]!.bytes));
  });

  // 64 MiB (48 MiB four at once) generated on demand and consumed as it comes: if a stage
  // buffered the file, the chunks in flight would grow with it; they stay at a handful. Four at
  // once: four being encrypted and four being decrypted, plus the pieces the stages hold.
  it.each([
    { parallel: 1, chunks: 64, most: 8 },
    { parallel: 4, chunks: 48, most: 16 },
  ])(
    "holds no more than a few chunks while a large file passes through, $parallel at once",
    async ({ parallel, chunks, most }) => {
      const key = new Uint8Array(32).fill(3);
      const total = chunks * FILE_CHUNK_BYTES;
      let produced = 0;
      let consumed = 0;
      let maxAhead = 0;
      const source = new ReadableStream<Uint8Array>(
        {
          pull(controller) {
            if (produced >= total) return controller.close();
            controller.enqueue(new Uint8Array(256 * 1024).fill(produced % 255));
            produced += 256 * 1024;
            maxAhead = Math.max(maxAhead, produced - consumed);
          },
        },
        { highWaterMark: 1 },
      );
      const decrypted = source
        .pipeThrough(encryptStream(key, { parallel }))
        .pipeThrough(
          new TransformStream<EncryptedChunk, Uint8Array>({
            transform: (c, controller) => controller.enqueue(c.bytes),
          }),
        )
        .pipeThrough(decryptStream(key, { expectedSize: total, parallel }));
      await eachOf(decrypted, (part) => {
        consumed += part.length;
      });
      expect(consumed).toBe(total);
      expect(maxAhead).toBeLessThanOrEqual(most * FILE_CHUNK_BYTES);
    },
  );
});
