/**
 * The chunk route reads each body into a few reused slabs (features/blobs/chunk-body.ts, issue 17:
 * server memory while files move), not into a fresh 1 MiB Buffer per chunk: the store is given
 * the same memory again and again, the bytes stay each chunk's own however many arrive at once,
 * and the route's limits answer as before. On SQLite and PostgreSQL, database and S3 stores.
 */
import { Readable } from "node:stream";

import { ENCRYPTED_CHUNK_BYTES, FILE_CHUNK_BYTES } from "@hushlink/protocol";
import { describe, expect, it } from "vitest";

import { createBlobStore, type BlobStore } from "../src/features/blobs/store/index.js";
import { createTestApp, testConfig } from "./helpers/app.js";
import { buildShare } from "./helpers/builders.js";
import {
  databasesAndStores,
  decryptedSha256,
  download,
  makeFile,
  putChunk,
  sha256,
  storedChunks,
  type TestFile,
} from "./helpers/files.js";
import { createShare, json, reveal } from "./helpers/http.js";
import { startS3 } from "./helpers/s3.js";
import { clockPerTest, madeBeforeAll } from "./helpers/suite.js";

const MiB = FILE_CHUNK_BYTES;

/** The configured store, noting the memory under every chunk it is given. */
function watched(inner: BlobStore) {
  const memory = new Set<ArrayBufferLike>();
  const store: BlobStore = {
    kind: inner.kind,
    put(key, bytes) {
      memory.add(bytes.buffer);
      return inner.put(key, bytes);
    },
    get: (db, key) => inner.get(db, key),
    remove: (keys) => inner.remove(keys),
    close: () => inner.close(),
  };
  return { store, memory };
}

describe.each(databasesAndStores)("chunk bodies on %s, %s store", (dialect, kind) => {
  const clock = clockPerTest();
  const app = madeBeforeAll(
    async () => {
      const s3 = kind === "s3" ? await startS3() : null;
      const env = { ...s3?.env, ANONYMOUS_MAX_FILE_BYTES: String(16 * MiB) };
      const watch = watched(createBlobStore(testConfig(env).files, { dialect, file: null }));
      const made = await createTestApp(dialect, { clock, env, blobStore: watch.store });
      return { ...made, s3, watch };
    },
    async (t) => {
      try {
        await t.close();
        await t.watch.store.close();
      } finally {
        await t.s3?.close();
      }
    },
  );

  async function shareOf(file: TestFile) {
    const share = await buildShare();
    const res = await createShare(app.app, { ...share.body, blobs: [file.declaration] });
    expect(res.statusCode, res.body).toBe(201);
    return { share, id: share.body.id, token: json<{ uploadToken: string }>(res).uploadToken };
  }

  async function downloaded(share: Awaited<ReturnType<typeof shareOf>>, file: TestFile) {
    const res = await reveal(app.app, share.id, { viewToken: share.share.body.viewToken });
    expect(res.statusCode, res.body).toBe(200);
    const token = json<{ downloadToken: string }>(res).downloadToken;
    const got = await download(app, { id: share.id, blobId: file.blobId, token });
    expect(got.statusCode).toBe(200);
    return decryptedSha256(file, got.rawPayload);
  }

  const put = (s: { id: string; token: string }, file: TestFile, n: number, bytes?: Uint8Array) =>
    putChunk(app, {
      id: s.id,
      blobId: file.blobId,
      n,
      token: s.token,
      bytes: bytes ?? file.chunks[n]!.bytes,
    });

  it("gives the store one reused slab for chunks sent one after another, refused ones too", async () => {
    const file = await makeFile(5 * MiB + 1);
    const share = await shareOf(file);
    app.watch.memory.clear();
    for (const chunk of file.chunks) {
      if (chunk.index === 2) {
        const short = await put(share, file, 2, chunk.bytes.subarray(1));
        expect([short.statusCode, json(short)]).toMatchObject([
          400,
          { error: { code: "chunk_length_mismatch" } },
        ]);
      }
      expect((await put(share, file, chunk.index)).statusCode).toBe(204);
    }
    expect(file.chunks).toHaveLength(6);
    // Fastify's raw-body parser gave each chunk a fresh Buffer: six here.
    expect(app.watch.memory.size).toBe(1);
    expect(await downloaded(share, file)).toBe(sha256(file.plaintext));
  });

  it("keeps each of many chunks in flight at once its own bytes", async () => {
    const file = await makeFile(12 * MiB + 7);
    const share = await shareOf(file);
    app.watch.memory.clear();
    const answers = await Promise.all(file.chunks.map((c) => put(share, file, c.index)));
    expect(answers.map((a) => a.statusCode)).toEqual(file.chunks.map(() => 204));
    expect(app.watch.memory.size).toBeLessThanOrEqual(file.chunks.length);
    expect(await downloaded(share, file)).toBe(sha256(file.plaintext));
  });

  it("builds no Error and no AbortController for a PUT that is answered", async () => {
    const file = await makeFile(2 * MiB);
    const share = await shareOf(file);
    // Counted as they are constructed: the global constructors are looked up at each `new`.
    const built = { cut: 0, controllers: 0 };
    const [RealError, RealController] = [globalThis.Error, globalThis.AbortController];
    globalThis.Error = new Proxy(RealError, {
      construct(target, args: unknown[], newTarget: new (...a: unknown[]) => object) {
        if (typeof args[0] === "string" && args[0].startsWith("The connection closed")) built.cut++;
        return Reflect.construct(target, args, newTarget) as object;
      },
    });
    globalThis.AbortController = new Proxy(RealController, {
      construct(target, args: unknown[], newTarget: new (...a: unknown[]) => object) {
        built.controllers++;
        return Reflect.construct(target, args, newTarget) as object;
      },
    });
    try {
      for (const chunk of file.chunks) {
        expect((await put(share, file, chunk.index)).statusCode).toBe(204);
      }
    } finally {
      globalThis.Error = RealError;
      globalThis.AbortController = RealController;
    }
    // Each answered PUT closes its response: that is no cut connection, and was built as one.
    expect(built).toEqual({ cut: 0, controllers: 0 });
    expect(await downloaded(share, file)).toBe(sha256(file.plaintext));
  });

  it("keeps the route's limits: a body over one chunk is 413, with or without a length", async () => {
    const file = await makeFile(MiB);
    const share = await shareOf(file);
    const url = `/api/v1/shares/${share.id}/blobs/${file.blobId}/0`;
    const headers = { "content-type": "application/octet-stream", "x-upload-token": share.token };
    const declared = await app.app.inject({
      method: "PUT",
      url,
      headers: { ...headers, "content-length": String(ENCRYPTED_CHUNK_BYTES + 1) },
      payload: Buffer.alloc(ENCRYPTED_CHUNK_BYTES + 1),
    });
    // No Content-Length: the body is refused once it grows past the limit.
    const streamed = await app.app.inject({
      method: "PUT",
      url,
      headers,
      payload: Readable.from(
        Array.from({ length: 17 }, () => Buffer.alloc(64 * 1024 + 1)),
        { objectMode: false },
      ),
    });
    for (const res of [declared, streamed]) {
      expect([res.statusCode, json(res)]).toMatchObject([
        413,
        { error: { code: "payload_too_large" } },
      ]);
    }
    expect(await storedChunks(app, share.id)).toEqual({ rows: 0, withBytes: 0 });
    expect((await put(share, file, 0)).statusCode).toBe(204);
    expect(await downloaded(share, file)).toBe(sha256(file.plaintext));
  });
});
