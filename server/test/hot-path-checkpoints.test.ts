/**
 * Issue 24: SQLite's checkpoints run on a worker's connection (db/checkpointer.ts), not inside the
 * COMMIT of a request's group on the event loop, where SQLite's automatic checkpoint synced the
 * WAL, copied about 1,000 pages into the database file and synced it, 13 times a second under the
 * bench's creates (bench/README.md, eighteenth round). What is on disk is read from the WAL index
 * (the -shm file, SQLite's documented layout: the header's mxFrame at byte 16, the checkpoint
 * information's nBackfill at byte 96), which nobody writes but SQLite.
 */
import { readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { endianness } from "node:os";
import { Worker } from "node:worker_threads";

import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";

import {
  checkpoint,
  openDatabase,
  writeStatement,
  type DatabaseHandle,
} from "../src/db/database.js";
import { WAL_BACKSTOP_PAGES, type CheckpointResult } from "../src/db/checkpointer.js";
import { findShare, insertShare } from "../src/features/shares/shares.repository.js";
import { createTestDatabase, type TestDatabase } from "./helpers/databases.js";
import { shareRow } from "./helpers/rows.js";

/** Frames in the WAL, and how many of them a checkpoint has copied into the database file. */
function walIndex(file: string): { frames: number; backfilled: number } {
  const shm = readFileSync(`${file}-shm`);
  const u32 = (at: number) => (endianness() === "LE" ? shm.readUInt32LE(at) : shm.readUInt32BE(at));
  return { frames: u32(16), backfilled: u32(96) };
}

/** 1,120 shares of 12 KB in groups of 32: past the writes that start the worker, about 4,500 pages. */
async function writeMany(handle: DatabaseHandle, prefix: string): Promise<void> {
  const ciphertext = "c".repeat(12_000);
  for (let group = 0; group < 35; group++) {
    const writes = Array.from({ length: 32 }, (_, i) =>
      writeStatement(handle, (db) =>
        insertShare(db, { ...shareRow(`${prefix}${group}-${i}`), ciphertext }),
      ),
    );
    expect(await Promise.all(writes)).toEqual(Array(32).fill(true));
  }
}

async function autocheckpoint(handle: DatabaseHandle): Promise<unknown> {
  const { rows } = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(
    handle.db,
  );
  return rows[0]?.wal_autocheckpoint;
}

let t: TestDatabase | undefined;
let handle: DatabaseHandle | undefined;
afterEach(async () => {
  await handle?.close();
  handle = undefined;
  await t?.drop();
  t = undefined;
});

describe("SQLite's checkpoints leave the event loop's connection", () => {
  it("once writes come in fast, the app's COMMITs leave checkpoints to the worker", async () => {
    t = await createTestDatabase("sqlite");
    // The 1,120 writes start the worker however slow this machine is today.
    const checkpointTiming = { windowMs: 60_000 };
    handle = openDatabase({ databaseUrl: null, dataDir: t.dataDir, checkpointTiming });
    // A few writes: SQLite's own checkpoint at 1,000 pages, as always, and no worker.
    expect(await autocheckpoint(handle)).toBe(1_000);
    await writeStatement(handle, (db) => insertShare(db, shareRow("few")));
    expect(await autocheckpoint(handle)).toBe(1_000);
    const results: CheckpointResult[] = [];
    handle.onCheckpoint!((result) => results.push(result));
    await writeMany(handle, "a");
    // Only a WAL the worker could not keep up with is checkpointed in a COMMIT.
    expect(await autocheckpoint(handle)).toBe(WAL_BACKSTOP_PAGES);
    await expect.poll(() => results.length, { timeout: 5_000 }).toBeGreaterThan(0);
  });

  it("the worker copies the WAL after the writes, and the WAL starts over", async () => {
    t = await createTestDatabase("sqlite");
    const checkpointTiming = { windowMs: 60_000, idleMs: 5 };
    handle = openDatabase({ databaseUrl: null, dataDir: t.dataDir, checkpointTiming });
    const file = handle.file!;
    const results: CheckpointResult[] = [];
    handle.onCheckpoint!((result) => results.push(result));
    await writeMany(handle, "b");
    // Every frame copied, by the worker's checkpoint that followed the last group.
    await expect
      .poll(() => walIndex(file), { timeout: 5_000 })
      .toSatisfy(({ frames, backfilled }) => frames > 0 && backfilled === frames);
    expect(results.some((r) => r.log > 0 && r.checkpointed === r.log)).toBe(true);
    // The next write starts the WAL from its beginning, and every row is there.
    await writeStatement(handle, (db) => insertShare(db, shareRow("after")));
    expect(walIndex(file).frames).toBeLessThan(20);
    for (const id of ["b0-0", "b34-31", "after"]) {
      expect((await findShare(handle.db, id))?.id).toBe(id);
    }
  });

  it("the sweep's TRUNCATE waits out the worker's copy instead of leaving the WAL behind", async () => {
    // SQLite answers a checkpoint busy at once while another connection's checkpoint holds its
    // lock; the sweep's TRUNCATE is what takes destroyed bytes off the disk (shares' and files'
    // destruction), so it must not give up because the worker happened to be copying.
    t = await createTestDatabase("sqlite");
    handle = openDatabase({ databaseUrl: null, dataDir: t.dataDir });
    const file = handle.file!;
    // A WAL large enough that a passive copy of it takes a while: no checkpoint during the writes.
    await sql`pragma wal_autocheckpoint = 0`.execute(handle.db);
    await writeMany(handle, "c");
    await writeMany(handle, "d");
    expect(walIndex(file).frames).toBeGreaterThan(5_000);
    // Another connection's passive checkpoint, as the worker runs it, on its own thread.
    const copier = new Worker(
      `const { parentPort, workerData } = require("node:worker_threads");
       const db = new (require(workerData.driver))(workerData.file, { fileMustExist: true });
       parentPort.postMessage("copying");
       parentPort.postMessage(db.pragma("wal_checkpoint(PASSIVE)"));
       db.close();`,
      {
        eval: true,
        workerData: { driver: createRequire(import.meta.url).resolve("better-sqlite3"), file },
      },
    );
    const done = new Promise((resolve) => copier.on("exit", resolve));
    await new Promise((resolve) => copier.once("message", resolve));
    // Give its copy a head start over this TRUNCATE (a copy of ~7,000 pages takes far longer): if
    // the TRUNCATE took the lock first, the case would pass without testing anything.
    await new Promise((resolve) => setTimeout(resolve, 20));
    await checkpoint(handle);
    expect(statSync(`${file}-wal`).size).toBe(0);
    await done;
  });
});
