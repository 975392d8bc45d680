/**
 * The chunk file (SQLite's database store, issue 17): the bytes live in hushlink-chunks.sqlite
 * beside hushlink.sqlite, durable there before the row in main says they arrived; every way a
 * share is destroyed leaves no chunk in either file and no byte of them in any file of DATA_DIR;
 * a crash between the rows' delete and the bytes' leaves orphans the next sweep removes; and the
 * documented backup order (main first, then the chunk file) never gives a chunk file older than
 * main.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

import SQLite from "better-sqlite3";
import { FILE_CHUNK_BYTES } from "@hushlink/protocol";
import { describe, expect, it } from "vitest";

import { CHUNK_FILE, createChunkFileStore } from "../src/features/blobs/store/chunk-file-store.js";
import { UNFINISHED_UPLOAD_MS } from "../src/features/blobs/blobs.sweeper.js";
import type { BlobStore } from "../src/features/blobs/store/index.js";
import { createTestApp, type TestApp } from "./helpers/app.js";
import { buildShare } from "./helpers/builders.js";
import { createTestDatabase } from "./helpers/databases.js";
import {
  chunkFileCount,
  download,
  makeFile,
  putChunk,
  sha256,
  uploadFile,
  type TestFile,
} from "./helpers/files.js";
import { createShare, deleteShare, json, reveal } from "./helpers/http.js";
import { clockPerTest } from "./helpers/suite.js";

const MiB = FILE_CHUNK_BYTES;

/** 48-byte pieces of every chunk of `files`, at a few places in each. */
function piecesOf(files: TestFile[]): Buffer[] {
  return files.flatMap((f) =>
    f.chunks.flatMap((c) =>
      [0, 1_000, 333_333, c.bytes.length - 48]
        .filter((at) => at >= 0 && at + 48 <= c.bytes.length)
        .map((at) => Buffer.from(c.bytes.subarray(at, at + 48))),
    ),
  );
}

/** Which files of `dir` hold any of `pieces`, and how many pieces were found in all. */
function onDisk(dir: string, pieces: Buffer[]) {
  const where = new Set<string>();
  let found = 0;
  const contents = readdirSync(dir)
    .filter((name) => statSync(join(dir, name)).isFile())
    .map((name) => ({ name, bytes: readFileSync(join(dir, name)) }));
  for (const piece of pieces) {
    const holders = contents.filter((c) => c.bytes.includes(piece));
    if (holders.length > 0) found++;
    for (const h of holders) where.add(h.name);
  }
  return { found, files: [...where].sort() };
}

async function created(app: TestApp, files: TestFile[], overrides = {}) {
  const share = await buildShare(overrides);
  const res = await createShare(app.app, { ...share.body, blobs: files.map((f) => f.declaration) });
  expect(res.statusCode, res.body).toBe(201);
  const body = json<{ uploadToken: string; manageToken: string }>(res);
  return { share, id: share.body.id, ...body };
}

async function uploaded(app: TestApp, size = MiB + 7, overrides = {}) {
  const file = await makeFile(size);
  const made = await created(app, [file], overrides);
  await uploadFile(app, made.id, made.uploadToken, file);
  return { ...made, file };
}

/** Chunk rows in main (and how many hold bytes themselves), chunks in the chunk file. */
async function left(app: TestApp, id: string) {
  const rows = await app.database.db
    .selectFrom("blob_chunks")
    .select(["data"])
    .where("share_id", "=", id)
    .execute();
  return {
    rows: rows.length,
    withBytes: rows.filter((r) => r.data !== null && r.data.length > 0).length,
    chunkFile: await chunkFileCount(app, { shareId: id }),
  };
}

describe("the chunk file (SQLite, database store)", () => {
  const clock = clockPerTest();

  it("keeps the bytes in hushlink-chunks.sqlite only, durable before the row, and reads them back", async () => {
    const app = await createTestApp("sqlite", { clock });
    try {
      const { id, share, file } = await uploaded(app, 2 * MiB + 5);
      expect(await left(app, id)).toEqual({ rows: 3, withBytes: 0, chunkFile: 3 });
      const dir = app.testDb.dataDir;
      await app.services.sweeper.runOnce();
      const pieces = piecesOf([file]);
      expect(onDisk(dir, pieces)).toEqual({ found: pieces.length, files: [CHUNK_FILE] });
      const revealed = await reveal(app.app, id, { viewToken: share.body.viewToken });
      const token = json<{ downloadToken: string }>(revealed).downloadToken;
      const got = await download(app, { id, blobId: file.blobId, token });
      expect(got.statusCode).toBe(200);
      expect(sha256(got.rawPayload)).toBe(sha256(Buffer.concat(file.chunks.map((c) => c.bytes))));
    } finally {
      await app.close();
    }
  });

  it("reads a chunk row that still holds its bytes (written before the chunk file)", async () => {
    const app = await createTestApp("sqlite", { clock });
    try {
      const { id, share, file, manageToken } = await uploaded(app, MiB + 7, { maxViews: 2 });
      // As a server before this change wrote them: the bytes in the rows, none in the chunk file.
      for (const c of file.chunks) {
        await app.database.db
          .updateTable("blob_chunks")
          .set({ data: Buffer.from(c.bytes) })
          .where("share_id", "=", id)
          .where("n", "=", c.index)
          .execute();
      }
      const chunks = new SQLite(join(app.testDb.dataDir, CHUNK_FILE));
      chunks.prepare("delete from chunks where owner = ?").run(`s/${id}`);
      chunks.close();
      expect(await left(app, id)).toEqual({ rows: 2, withBytes: 2, chunkFile: 0 });
      const revealed = await reveal(app.app, id, { viewToken: share.body.viewToken });
      const token = json<{ downloadToken: string }>(revealed).downloadToken;
      const got = await download(app, { id, blobId: file.blobId, token });
      expect(sha256(got.rawPayload)).toBe(sha256(Buffer.concat(file.chunks.map((c) => c.bytes))));
      // Deleting it erases the bytes in the rows as before (the share's erase trigger).
      expect((await deleteShare(app.app, id, { "x-manage-token": manageToken })).statusCode).toBe(
        204,
      );
      expect(await left(app, id)).toEqual({ rows: 0, withBytes: 0, chunkFile: 0 });
    } finally {
      await app.close();
    }
  });

  it("leaves no chunk in either file, and no byte in DATA_DIR, after every way a share goes", async () => {
    const app = await createTestApp("sqlite", {
      clock,
      env: { MAX_FILE_BYTES: String(8 * MiB), ANONYMOUS_MAX_FILE_BYTES: String(8 * MiB) },
    });
    try {
      const dir = app.testDb.dataDir;
      // Deleted by its creator (manage token).
      const deleted = await uploaded(app);
      // Destroyed at once by a viewer who read it ("Destroy now": the view token).
      const destroyedNow = await uploaded(app, MiB + 7, { maxViews: 3 });
      // Locked after wrong passwords.
      const locked = await uploaded(app, MiB + 7, { password: "right" });
      // Expired.
      const expiring = await uploaded(app, MiB + 7, { expiresIn: 60 });
      // Viewed out: its files live until the download window ends.
      const viewedOut = await uploaded(app, MiB + 7, { maxViews: 1 });
      // An upload left unfinished.
      const unfinishedFile = await makeFile(2 * MiB);
      const unfinished = await created(app, [unfinishedFile], { expiresIn: 3 * 24 * 3600 });
      const first = unfinishedFile.chunks[0]!;
      const put = await putChunk(app, {
        id: unfinished.id,
        blobId: unfinishedFile.blobId,
        n: 0,
        token: unfinished.uploadToken,
        bytes: first.bytes,
      });
      expect(put.statusCode).toBe(204);
      const all = [deleted, destroyedNow, locked, expiring, viewedOut];
      const pieces = piecesOf([...all.map((s) => s.file), { ...unfinishedFile, chunks: [first] }]);
      await app.services.sweeper.runOnce();
      expect(onDisk(dir, pieces)).toEqual({ found: pieces.length, files: [CHUNK_FILE] });

      expect(
        (await deleteShare(app.app, deleted.id, { "x-manage-token": deleted.manageToken }))
          .statusCode,
      ).toBe(204);
      const viewToken = destroyedNow.share.body.viewToken;
      expect((await reveal(app.app, destroyedNow.id, { viewToken })).statusCode).toBe(200);
      expect(
        (await deleteShare(app.app, destroyedNow.id, { "x-view-token": viewToken })).statusCode,
      ).toBe(204);
      for (let i = 0; i < app.config.limits.passwordAttempts; i++) {
        await reveal(app.app, locked.id, {
          viewToken: locked.share.body.viewToken,
          verifier: "A".repeat(43),
        });
      }
      const lastView = await reveal(app.app, viewedOut.id, {
        viewToken: viewedOut.share.body.viewToken,
      });
      expect(lastView.statusCode).toBe(200);
      // The rows go in the destroying transaction, with the text (the share's erase trigger).
      for (const gone of [deleted, destroyedNow, locked]) {
        expect((await left(app, gone.id)).rows).toBe(0);
      }
      // The window keeps the viewed-out share's chunks.
      await app.services.blobSweeper.runOnce();
      expect(await left(app, viewedOut.id)).toEqual({ rows: 2, withBytes: 0, chunkFile: 2 });

      app.clock.advance(61_000);
      await app.services.sweeper.runOnce();
      app.clock.advance(app.config.files.downloadWindowMs);
      await app.services.blobSweeper.runOnce();
      app.clock.advance(UNFINISHED_UPLOAD_MS);
      await app.services.blobSweeper.runOnce();
      await app.services.blobSweeper.runOnce();
      await app.services.sweeper.runOnce();

      for (const gone of [...all, unfinished]) {
        expect(await left(app, gone.id), gone.id).toEqual({ rows: 0, withBytes: 0, chunkFile: 0 });
      }
      expect(onDisk(dir, pieces)).toEqual({ found: 0, files: [] });
    } finally {
      await app.close();
    }
  });

  it("a crash between the rows' delete and the bytes' leaves orphans, which the next sweep removes", async () => {
    const testDb = await createTestDatabase("sqlite");
    const real = createChunkFileStore({ mainFile: testDb.handle.file! });
    // The process dies right after the destroying transaction: the bytes' removal never runs.
    const dying: BlobStore = { ...real, removeOwner: () => Promise.resolve() };
    const first = await createTestApp("sqlite", {
      clock,
      database: { testDb, handle: testDb.handle },
      blobStore: dying,
    });
    const a = await uploaded(first, 2 * MiB + 1);
    const b = await uploaded(first, MiB + 7);
    for (const s of [a, b]) {
      expect(
        (await deleteShare(first.app, s.id, { "x-manage-token": s.manageToken })).statusCode,
      ).toBe(204);
    }
    await first.app.close();
    await real.close();

    const second = await createTestApp("sqlite", {
      clock,
      database: { testDb, handle: testDb.handle },
    });
    try {
      expect(await left(second, a.id)).toEqual({ rows: 0, withBytes: 0, chunkFile: 3 });
      expect(await left(second, b.id)).toEqual({ rows: 0, withBytes: 0, chunkFile: 2 });
      const swept = await second.services.blobSweeper.runOnce();
      expect(swept.orphans).toBe(5);
      expect(await chunkFileCount(second, { shareId: a.id })).toBe(0);
      expect(await chunkFileCount(second, { shareId: b.id })).toBe(0);
      const pieces = piecesOf([a.file, b.file]);
      expect(onDisk(testDb.dataDir, pieces)).toEqual({ found: 0, files: [] });
    } finally {
      await second.close();
      await testDb.drop();
    }
  });

  it("backed up main first, then the chunk file, every chunk main counts is in the chunk file", async () => {
    const app = await createTestApp("sqlite", { clock });
    try {
      const dir = app.testDb.dataDir;
      const mainFile = app.database.file!;
      const chunkFile = join(dir, CHUNK_FILE);
      const backup = (from: string, to: string) => {
        const source = new SQLite(from, { readonly: true });
        return source.backup(to).finally(() => source.close());
      };
      /** Chunk rows of the main copy whose bytes the chunk-file copy lacks. */
      const missing = (mainCopy: string, chunkCopy: string) => {
        const main = new SQLite(mainCopy, { readonly: true });
        const chunks = new SQLite(chunkCopy, { readonly: true });
        try {
          const rows = main
            .prepare("select share_id, blob_id, n from blob_chunks where length(data) = 0")
            .all() as { share_id: string; blob_id: string; n: number }[];
          const has = chunks.prepare("select 1 from chunks where owner = ? and blob = ? and n = ?");
          return rows.filter((r) => !has.get(`s/${r.share_id}`, r.blob_id, r.n)).length;
        } finally {
          main.close();
          chunks.close();
        }
      };
      await uploaded(app);
      // The documented order: main, then (an upload in between) the chunk file.
      await backup(mainFile, join(dir, "backup-main.sqlite"));
      await uploaded(app);
      await backup(chunkFile, join(dir, "backup-chunks.sqlite"));
      expect(missing(join(dir, "backup-main.sqlite"), join(dir, "backup-chunks.sqlite"))).toBe(0);
      // The other order gives a ready share whose chunks are not in the backup: why it is wrong.
      await backup(chunkFile, join(dir, "wrong-chunks.sqlite"));
      await uploaded(app);
      await backup(mainFile, join(dir, "wrong-main.sqlite"));
      expect(missing(join(dir, "wrong-main.sqlite"), join(dir, "wrong-chunks.sqlite"))).toBe(2);
    } finally {
      await app.close();
    }
  });
});
