/**
 * Creating a fresh SQLite database is part of every first start-up (issue 24: `npm start` to
 * /healthz within a second): the pending migrations run in one transaction, so the WAL is synced
 * a handful of times instead of once per statement (145 syncs before).
 */
import { fdatasyncSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { sql } from "kysely";
import { afterEach, expect, it } from "vitest";

import { openDatabase, type DatabaseHandle } from "../src/db/database.js";
import { migrateToLatest } from "../src/db/migrator.js";

let handle: DatabaseHandle | undefined;
let dataDir: string | undefined;
afterEach(async () => {
  await handle?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

it("migrates a fresh SQLite database in one transaction: a few WAL syncs, not one per statement", async () => {
  dataDir = mkdtempSync(join(tmpdir(), "hushlink-migrate-"));
  let syncs = 0;
  handle = openDatabase({
    databaseUrl: null,
    dataDir,
    walSync: {
      inline(fd) {
        syncs++;
        fdatasyncSync(fd);
      },
      offThread: () => Promise.reject(new Error("no group commit while migrating")),
    },
  });
  const applied = await migrateToLatest(handle.db);
  expect(applied.length).toBeGreaterThan(20);
  // Kysely creates its own two tables and the lock row first, each a commit; then one for all.
  expect(syncs).toBeLessThanOrEqual(4);
  // The schema is there, and the migrations are recorded as applied.
  const { rows } = await sql<{
    n: number;
  }>`select count(*) as n from kysely_migration`.execute(handle.db);
  expect(rows[0]?.n).toBe(applied.length);
  expect(await migrateToLatest(handle.db)).toEqual([]);
});
