/**
 * An app in process whose SQLite database (and chunk file) lives on a full-disk suite's tmpfs,
 * with the server's disk reserve (db/disk-reserve.ts): for the destruction paths that need
 * accounts, a clock or a sweep run by hand (disk-full-paths.test.ts). Chunks can be moved back
 * into main's rows, as they were written before the chunk file (c92a57f), to test those too.
 */
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";

import SQLite from "better-sqlite3";
import { inject } from "vitest";

import type { ManualClock } from "../../src/clock.js";
import { checkpoint, openDatabase } from "../../src/db/database.js";
import { migrateToLatest } from "../../src/db/migrator.js";
import { CHUNK_FILE } from "../../src/features/blobs/store/chunk-file-store.js";
import { createTestApp, type TestApp } from "./app.js";
import { chunkFileCount } from "./files.js";
import { fillDisk } from "./tmpfs.js";

export interface FullDiskApp extends TestApp {
  dataDir: string;
  /** Fills the tmpfs to its last block (main's WAL emptied first, as a sweep's checkpoint would). */
  fill(): Promise<{ written: number; freeBlocks: number }>;
  /** Closes the app, removes its files and the filler: the tmpfs is empty again. */
  dispose(): Promise<void>;
}

export async function fullDiskApp(mountPoint: string, clock: ManualClock): Promise<FullDiskApp> {
  const dataDir = mkdtempSync(join(mountPoint, "data-"));
  const template = inject("sqliteTemplate");
  if (template) copyFileSync(template, join(dataDir, "hushlink.sqlite"));
  const handle = openDatabase({ databaseUrl: null, dataDir, diskReserve: {} });
  if (!template) await migrateToLatest(handle.db);
  const drop = async () => {
    await handle.close().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  };
  const testDb = { handle, dataDir, url: null, openAnother: () => handle, drop };
  const app = await createTestApp("sqlite", {
    clock,
    database: { testDb, handle },
    env: { MAX_FILE_BYTES: String(64 * 1024 * 1024), SWEEP_INTERVAL: "3600" },
  });
  const filler = join(mountPoint, `filler-${dataDir.slice(-6)}`);
  return {
    ...app,
    dataDir,
    async fill() {
      await checkpoint(handle);
      return fillDisk(mountPoint, filler);
    },
    async dispose() {
      try {
        await app.close();
      } finally {
        await drop();
        rmSync(filler, { force: true });
      }
    },
  };
}

type Owner = { shareId: string } | { requestId: string };

/**
 * Moves an owner's chunks from the chunk file into main's rows: a share or an answer uploaded
 * before the chunk file existed, whose rows hold the bytes.
 */
export function moveToRows(app: FullDiskApp, owner: Owner): number {
  const chunks = new SQLite(join(app.dataDir, CHUNK_FILE));
  const main = new SQLite(join(app.dataDir, "hushlink.sqlite"));
  try {
    main.pragma("busy_timeout = 5000");
    const name = "requestId" in owner ? `r/${owner.requestId}` : `s/${owner.shareId}`;
    const rows = chunks.prepare("select blob, n, data from chunks where owner = ?").all(name) as {
      blob: string;
      n: number;
      data: Buffer;
    }[];
    const update =
      "requestId" in owner
        ? main.prepare(
            "update request_blob_chunks set data = ? where request_id = ? and blob_id = ? and n = ?",
          )
        : main.prepare(
            "update blob_chunks set data = ? where share_id = ? and blob_id = ? and n = ?",
          );
    const id = "requestId" in owner ? owner.requestId : owner.shareId;
    for (const r of rows) update.run(r.data, id, r.blob, r.n);
    chunks.prepare("delete from chunks where owner = ?").run(name);
    return rows.length;
  } finally {
    main.close();
    chunks.close();
  }
}

/** Chunks left of an owner: rows in main (marks or bytes) and chunks in the chunk file. */
export async function chunksLeft(app: FullDiskApp, owner: Owner) {
  const rows =
    "requestId" in owner
      ? await app.database.db
          .selectFrom("request_blob_chunks")
          .select("n")
          .where("request_id", "=", owner.requestId)
          .execute()
      : await app.database.db
          .selectFrom("blob_chunks")
          .select("n")
          .where("share_id", "=", owner.shareId)
          .execute();
  return { main: rows.length, chunkFile: await chunkFileCount(app, owner) };
}
