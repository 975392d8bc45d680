/**
 * Vitest global setup of the integration tier: one migrated database per dialect for the whole
 * run, which `createTestDatabase` copies instead of migrating every test database anew. A copy is
 * the same database (PostgreSQL's CREATE DATABASE … TEMPLATE copies it block for block; SQLite's
 * is its file, closed and checkpointed), and running the 32 migrations took ~0.4 s (SQLite) and
 * ~3 s (PostgreSQL) per database on a loaded 2-core machine, hundreds of times a run. The
 * migrations themselves are still tested: here on both dialects before any suite, and by the
 * migration suites, which ask for unmigrated databases.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import pg from "pg";
import type { TestProject } from "vitest/node";

import { openDatabase } from "../../src/db/database.js";
import { migrateToLatest } from "../../src/db/migrator.js";
import { TEST_DATABASE_URL, withDatabase } from "./databases.js";

async function adminQuery(sql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL ?? undefined });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = mkdtempSync(join(tmpdir(), "hushlink-template-"));
  const sqlite = openDatabase({ databaseUrl: null, dataDir: dir });
  await migrateToLatest(sqlite.db);
  await sqlite.close();
  const sqliteFile = join(dir, "hushlink.sqlite");
  // Closing the last connection checkpoints the WAL into the file and removes it.
  if (existsSync(`${sqliteFile}-wal`)) throw new Error("the SQLite template kept its WAL file");
  project.provide("sqliteTemplate", sqliteFile);

  let postgres = "";
  if (TEST_DATABASE_URL) {
    postgres = `hl_template_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
    await adminQuery(`create database ${postgres}`);
    const handle = openDatabase({
      databaseUrl: withDatabase(TEST_DATABASE_URL, postgres),
      dataDir: dir,
    });
    await migrateToLatest(handle.db);
    // A template can be copied only while nobody is connected to it.
    await handle.close();
  }
  project.provide("postgresTemplate", postgres);

  return async () => {
    if (postgres) await adminQuery(`drop database if exists ${postgres} with (force)`);
    rmSync(dir, { recursive: true, force: true });
  };
}
