/**
 * Back-pressure on the chunk file's intake (issue 17: server RSS while files move). The chunk
 * file store hands at most SLABS chunks to its thread at once: with the thread held up, many PUTs
 * at once never queue more than SLABS chunks for it, the rest wait with their one body, and all
 * are stored once it moves again. The bound is on whole bodies: clients trickling their bodies
 * hold up no one else's upload. Slabs of requests refused before the handler, or cut while they
 * are read, come back to the pool. The clients' own upload loop (the protocol's uploadEncrypted,
 * which the page and the CLI share) keeps a batch committing and the next one filling.
 */
import { connect, type Socket } from "node:net";

import SQLite from "better-sqlite3";
import { FILE_CHUNK_BYTES, UPLOAD_PARALLEL, uploadEncrypted } from "@hushlink/protocol";
import { describe, expect, it } from "vitest";

import {
  BATCH_CHUNKS,
  createChunkFileStore,
  SLABS,
} from "../src/features/blobs/store/chunk-file-store.js";
import { createTestApp } from "./helpers/app.js";
import { buildShare } from "./helpers/builders.js";
import { createTestDatabase } from "./helpers/databases.js";
import { download, makeFile, putChunk, sha256, type TestFile } from "./helpers/files.js";
import { createShare, json, reveal } from "./helpers/http.js";
import { listen } from "./helpers/live.js";
import { clockPerTest } from "./helpers/suite.js";

const MiB = FILE_CHUNK_BYTES;

async function appWithChunkFile(clock: ReturnType<typeof clockPerTest>) {
  const testDb = await createTestDatabase("sqlite");
  const store = createChunkFileStore({ mainFile: testDb.handle.file! });
  const app = await createTestApp("sqlite", {
    clock,
    env: { ANONYMOUS_MAX_FILE_BYTES: String(32 * MiB) },
    database: { testDb, handle: testDb.handle },
    blobStore: store,
  });
  return {
    app,
    store,
    async close() {
      try {
        await app.close();
        await store.close();
      } finally {
        await testDb.drop();
      }
    },
  };
}

type Made = Awaited<ReturnType<typeof appWithChunkFile>>;

async function shareOf(made: Made, file: TestFile) {
  const share = await buildShare();
  const res = await createShare(made.app.app, { ...share.body, blobs: [file.declaration] });
  expect(res.statusCode, res.body).toBe(201);
  return { share, id: share.body.id, token: json<{ uploadToken: string }>(res).uploadToken };
}

const put = (made: Made, s: { id: string; token: string }, file: TestFile, n: number) =>
  putChunk(made.app, {
    id: s.id,
    blobId: file.blobId,
    n,
    token: s.token,
    bytes: file.chunks[n]!.bytes,
  });

async function until(check: () => boolean, ms: number) {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
}

describe("the chunk file's intake under load (SQLite)", () => {
  const clock = clockPerTest();

  it("never queues more than SLABS chunks for a held-up thread; the other PUTs wait, then all land", async () => {
    const made = await appWithChunkFile(clock);
    try {
      const file = await makeFile(24 * MiB + 5);
      const share = await shareOf(made, file);
      // The first chunk creates the chunk file; then another connection holds its write lock,
      // so the thread's next transaction waits (its busy timeout is 5 s): a disk that stalls.
      expect((await put(made, share, file, 0)).statusCode).toBe(204);
      const lock = new SQLite(made.store.file);
      lock.exec("begin exclusive");
      let answers: Promise<{ statusCode: number }[]>;
      try {
        answers = Promise.all(file.chunks.slice(1).map((c) => put(made, share, file, c.index)));
        // SLABS chunks are with the thread or queued for it; every other PUT waits for room.
        await until(() => made.store.stats().waiting >= file.chunks.length - 1 - SLABS, 3_000);
        expect(made.store.stats()).toMatchObject({
          queued: SLABS,
          waiting: file.chunks.length - 1 - SLABS,
        });
      } finally {
        lock.exec("commit");
        lock.close();
      }
      const codes = (await answers).map((a) => a.statusCode);
      expect(codes).toEqual(file.chunks.slice(1).map(() => 204));

      const queued = made.store.stats();
      const slabs = made.store.slabs.stats();
      expect(queued.peakQueued).toBeLessThanOrEqual(SLABS);
      expect(queued).toMatchObject({ queued: 0, waiting: 0 });
      expect(queued.waited).toBeGreaterThanOrEqual(file.chunks.length - 1 - SLABS);
      // Every slab came back from the thread, and bodies went as they were read (no copies).
      expect(slabs.out).toBe(0);
      expect(slabs.allocated).toBeLessThanOrEqual(file.chunks.length);

      const revealed = await reveal(made.app.app, share.id, {
        viewToken: share.share.body.viewToken,
      });
      const token = json<{ downloadToken: string }>(revealed).downloadToken;
      const got = await download(made.app, { id: share.id, blobId: file.blobId, token });
      expect(got.statusCode).toBe(200);
      const sent = Buffer.concat(file.chunks.map((c) => c.bytes));
      expect(sha256(got.rawPayload)).toBe(sha256(sent));
    } finally {
      await made.close();
    }
  });

  // The chunk file commits at most BATCH_CHUNKS chunks per transaction and lends SLABS =
  // 2 × BATCH_CHUNKS bodies. With 4 PUTs in flight the client's 4 waited for the same commit, the
  // server had nothing to read meanwhile and most batches held one chunk (bench/README.md, "the
  // upload's PUTs in flight"); more than SLABS would wait here with their bodies in memory.
  it("the clients' upload loop keeps a batch committing and the next one full, never more than SLABS", async () => {
    const made = await appWithChunkFile(clock);
    try {
      const file = await makeFile(20 * MiB + 5);
      const share = await shareOf(made, file);
      const send = async (n: number, bytes: Uint8Array) => {
        const res = await putChunk(made.app, {
          id: share.id,
          blobId: file.blobId,
          n,
          token: share.token,
          bytes,
        });
        expect(res.statusCode, res.body).toBe(204);
      };
      // The first chunk creates the chunk file; then another connection holds its write lock,
      // so the thread's next commit waits: a slow sync, as a busy disk gives.
      await send(0, file.chunks[0]!.bytes);
      const lock = new SQLite(made.store.file);
      lock.exec("begin exclusive");
      let uploaded: Promise<void>;
      try {
        uploaded = uploadEncrypted({
          size: file.plaintext.length,
          fileKey: file.key,
          open: () => new Blob([new Uint8Array(file.plaintext)]).stream(),
          received: new Set([0]),
          put: send,
        });
        // Awaited below; a failure above must not leave it unhandled.
        uploaded.catch(() => undefined);
        await until(() => made.store.stats().queued >= SLABS, 3_000);
        // A batch with the thread and the next one queued behind it: all the client sent.
        expect(made.store.stats()).toMatchObject({ queued: 2 * BATCH_CHUNKS, waiting: 0 });
        expect(UPLOAD_PARALLEL).toBe(SLABS);
      } finally {
        lock.exec("commit");
        lock.close();
      }
      await uploaded;
      expect(made.store.stats()).toMatchObject({ queued: 0, waiting: 0, waited: 0 });

      const revealed = await reveal(made.app.app, share.id, {
        viewToken: share.share.body.viewToken,
      });
      const token = json<{ downloadToken: string }>(revealed).downloadToken;
      const got = await download(made.app, { id: share.id, blobId: file.blobId, token });
      expect(got.statusCode).toBe(200);
      expect(sha256(got.rawPayload)).toBe(sha256(Buffer.concat(file.chunks.map((c) => c.bytes))));
    } finally {
      await made.close();
    }
  });

  it("gets back the slabs of PUTs refused before the handler, so later PUTs still find room", async () => {
    const made = await appWithChunkFile(clock);
    try {
      const file = await makeFile(MiB);
      const share = await shareOf(made, file);
      const url = `/api/v1/shares/${share.id}/blobs/${file.blobId}/0`;
      // A header over its schema's limit: refused (400) after the body was read into a slab.
      const refused = await Promise.all(
        Array.from({ length: 3 * SLABS }, () =>
          made.app.app.inject({
            method: "PUT",
            url,
            headers: {
              "content-type": "application/octet-stream",
              "x-upload-token": "x".repeat(300),
            },
            payload: Buffer.from(file.chunks[0]!.bytes),
          }),
        ),
      );
      expect(refused.map((r) => r.statusCode)).toEqual(refused.map(() => 400));
      await until(() => made.store.slabs.stats().out === 0, 2_000);
      expect(made.store.slabs.stats().out).toBe(0);
      expect((await put(made, share, file, 0)).statusCode).toBe(204);
    } finally {
      await made.close();
    }
  });

  it("serves a whole PUT while more than SLABS clients trickle their bodies, and frees their slabs when they go", async () => {
    const made = await appWithChunkFile(clock);
    const sockets: Socket[] = [];
    try {
      const base = new URL(await listen(made.app));
      const tricklers = SLABS + 2;
      const file = await makeFile((tricklers + 1) * MiB + 3);
      const share = await shareOf(made, file);
      // Each sends its head and half its body, then nothing: a slow or hostile client.
      for (const chunk of file.chunks.slice(1)) {
        const socket = connect(Number(base.port), base.hostname);
        sockets.push(socket);
        await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
        socket.write(
          `PUT /api/v1/shares/${share.id}/blobs/${file.blobId}/${chunk.index} HTTP/1.1\r\n` +
            `host: ${base.host}\r\ncontent-type: application/octet-stream\r\n` +
            `x-upload-token: ${share.token}\r\ncontent-length: ${chunk.bytes.length}\r\n\r\n`,
        );
        socket.write(chunk.bytes.subarray(0, chunk.bytes.length >> 1));
      }
      await until(() => made.store.slabs.stats().out === tricklers, 3_000);
      expect(made.store.slabs.stats().out).toBe(tricklers);
      // A whole PUT meanwhile is stored at once (a bound on slabs being read held it until the
      // tricklers' request timeout).
      const answer = await Promise.race([
        put(made, share, file, 0),
        new Promise<{ statusCode: number }>((resolve) =>
          setTimeout(() => resolve({ statusCode: 0 }), 5_000),
        ),
      ]);
      expect(answer.statusCode).toBe(204);
      for (const socket of sockets) socket.destroy();
      await until(() => made.store.slabs.stats().out === 0, 3_000);
      expect(made.store.slabs.stats().out).toBe(0);
    } finally {
      for (const socket of sockets) socket.destroy();
      await made.close();
    }
  });
});
