/**
 * The upload loop the page and the CLI share (the protocol's uploadEncrypted) against the chunk
 * file's intake (issue 17, bench/README.md "the upload's PUTs in flight"). The chunk file commits
 * at most BATCH_CHUNKS chunks per transaction and lends SLABS = 2 × BATCH_CHUNKS bodies: a batch
 * committing and the next one filling. With 4 PUTs in flight every commit left the server with
 * nothing to read (the client's 4 waited for the same commit) and most batches held 1 chunk; the
 * client keeps enough in flight to fill the next batch while one commits, and no more than the
 * server lends (a PUT beyond SLABS waits with its body in memory).
 */
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
import { download, makeFile, putChunk, sha256 } from "./helpers/files.js";
import { createShare, json, reveal } from "./helpers/http.js";
import { clockPerTest } from "./helpers/suite.js";

const MiB = FILE_CHUNK_BYTES;

async function until(check: () => boolean, ms: number) {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
}

describe("the clients' upload loop against the chunk file (SQLite)", () => {
  const clock = clockPerTest();

  it("keeps a batch committing and the next one full, never more than the server lends", async () => {
    const testDb = await createTestDatabase("sqlite");
    const store = createChunkFileStore({ mainFile: testDb.handle.file! });
    const app = await createTestApp("sqlite", {
      clock,
      env: { ANONYMOUS_MAX_FILE_BYTES: String(32 * MiB) },
      database: { testDb, handle: testDb.handle },
      blobStore: store,
    });
    try {
      const file = await makeFile(20 * MiB + 5);
      const share = await buildShare();
      const created = await createShare(app.app, { ...share.body, blobs: [file.declaration] });
      expect(created.statusCode, created.body).toBe(201);
      const token = json<{ uploadToken: string }>(created).uploadToken;
      const id = share.body.id;
      const put = async (n: number, bytes: Uint8Array) => {
        const res = await putChunk(app, { id, blobId: file.blobId, n, token, bytes });
        expect(res.statusCode, res.body).toBe(204);
      };
      // The first chunk creates the chunk file; then another connection holds its write lock,
      // so the thread's next commit waits: a slow sync, as a busy disk gives.
      await put(0, file.chunks[0]!.bytes);
      const lock = new SQLite(store.file);
      lock.exec("begin exclusive");
      let uploaded: Promise<void>;
      try {
        uploaded = uploadEncrypted({
          size: file.plaintext.length,
          fileKey: file.key,
          open: () => new Blob([new Uint8Array(file.plaintext)]).stream(),
          received: new Set([0]),
          put,
        });
        // Awaited below; a failure above must not leave it unhandled.
        uploaded.catch(() => undefined);
        await until(() => store.stats().queued >= SLABS, 3_000);
        // A batch with the thread and the next one queued behind it, all the client sent.
        expect(store.stats()).toMatchObject({ queued: 2 * BATCH_CHUNKS, waiting: 0 });
        expect(UPLOAD_PARALLEL).toBe(SLABS);
      } finally {
        lock.exec("commit");
        lock.close();
      }
      await uploaded;
      expect(store.stats()).toMatchObject({ queued: 0, waiting: 0, waited: 0 });

      const revealed = await reveal(app.app, id, { viewToken: share.body.viewToken });
      const got = await download(app, {
        id,
        blobId: file.blobId,
        token: json<{ downloadToken: string }>(revealed).downloadToken,
      });
      expect(got.statusCode).toBe(200);
      expect(sha256(got.rawPayload)).toBe(sha256(Buffer.concat(file.chunks.map((c) => c.bytes))));
    } finally {
      await app.close();
      await store.close();
      await testDb.drop();
    }
  });
});
