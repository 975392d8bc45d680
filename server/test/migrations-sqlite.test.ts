/**
 * Creating a fresh SQLite database is part of every first start-up (issue 24: `npm start` to
 * /healthz within a second): the pending migrations run in one transaction, so the WAL is synced
 * a handful of times instead of once per statement (145 syncs before). And the schema's indexes
 * serve the queries that run on a timer, whatever SQLite's planner guesses without statistics.
 */
import { fdatasyncSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { CompiledQuery, sql } from "kysely";
import { afterEach, expect, it } from "vitest";

import { openDatabase, type DatabaseHandle } from "../src/db/database.js";
import { migrateToLatest } from "../src/db/migrator.js";
import { staleUploads } from "../src/features/blobs/share-files.repository.js";
import { expireBatch, pruneTombstones } from "../src/features/shares/shares.repository.js";
import { recordStatements } from "./helpers/databases.js";

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

it("finds abandoned uploads through the partial index of shares still uploading, not every live share", async () => {
  dataDir = mkdtempSync(join(tmpdir(), "hushlink-migrate-"));
  handle = openDatabase({ databaseUrl: null, dataDir });
  await migrateToLatest(handle.db);
  // The sweeper's own query, as it is sent.
  const recording = recordStatements(handle);
  await staleUploads(recording.handle.db, { before: Date.now(), limit: 50 });
  const sent = recording.sent.at(-1)!;
  const plan = await handle.db.executeQuery<{ detail: string }>(
    CompiledQuery.raw(`explain query plan ${sent.sql}`, [...sent.parameters]),
  );
  expect(plan.rows.map((r) => r.detail)).toEqual([
    "SEARCH shares USING INDEX shares_uploading (status=? AND created_at<?)",
  ]);
});

/** The query plan of the statements `run` sends, each plan as SQLite words it. */
async function plansOf(run: (db: DatabaseHandle) => Promise<unknown>): Promise<string[][]> {
  const open = handle!;
  const recording = recordStatements(open);
  await run(recording.handle);
  const plans: string[][] = [];
  for (const query of recording.sent) {
    const plan = await open.db.executeQuery<{ detail: string }>(
      CompiledQuery.raw(`explain query plan ${query.sql}`, [...query.parameters]),
    );
    plans.push(plan.rows.map((r) => r.detail));
  }
  return plans;
}

it("expires and prunes shares through the indexes of live shares' and of tombstones' expiry", async () => {
  dataDir = mkdtempSync(join(tmpdir(), "hushlink-migrate-"));
  handle = openDatabase({ databaseUrl: null, dataDir });
  await migrateToLatest(handle.db);
  const now = Date.now();
  const [expiring] = await plansOf((h) =>
    expireBatch(h.db, { now, batch: 250, dialect: "sqlite" }),
  );
  expect(expiring).toContain(
    "SEARCH shares USING INDEX shares_live_expiry (<expr>>? AND <expr><?)",
  );
  const [pruning] = await plansOf((h) => pruneTombstones(h.db, { before: now, batch: 250 }));
  expect(pruning).toContain(
    "SEARCH shares USING INDEX shares_gone_expires (expires_at>? AND expires_at<?)",
  );
});
