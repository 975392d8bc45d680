/**
 * Test databases: a fresh SQLite file, or a fresh PostgreSQL database created from
 * TEST_DATABASE_URL. Integration suites run once per entry of `testDialects`.
 */
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import type { CompiledQuery } from "kysely";
import pg from "pg";
import { inject } from "vitest";

import {
  openDatabase,
  withPlugin,
  type DatabaseHandle,
  type Dialect,
} from "../../src/db/database.js";
import { migrateToLatest } from "../../src/db/migrator.js";

/** What the integration tier's global setup (migrated-templates.ts) gives every test file. */
declare module "vitest" {
  export interface ProvidedContext {
    /** A migrated SQLite file to copy, or "" when there is none. */
    sqliteTemplate: string;
    /** The name of a migrated PostgreSQL database on TEST_DATABASE_URL's server, or "". */
    postgresTemplate: string;
  }
}

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? null;

/** SQLite always; PostgreSQL when TEST_DATABASE_URL is set (.ci/run sets it, so CI runs both). */
export const testDialects: Dialect[] = TEST_DATABASE_URL ? ["sqlite", "postgres"] : ["sqlite"];

export interface TestDatabase {
  handle: DatabaseHandle;
  dataDir: string;
  /** postgres:// URL of this database, or null for SQLite. */
  url: string | null;
  /** A second, independent handle on the same database (another "instance"). */
  openAnother(): DatabaseHandle;
  drop(): Promise<void>;
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Creates an empty database of the given dialect, migrated unless asked not to (migration tests). */
export async function createTestDatabase(
  dialect: Dialect,
  options: { migrated?: boolean } = {},
): Promise<TestDatabase> {
  const migrated = options.migrated ?? true;
  const dataDir = mkdtempSync(join(tmpdir(), "hushlink-test-"));
  // The run's migrated copy (migrated-templates.ts), where the integration tier's setup made one.
  const template = migrated
    ? inject(dialect === "sqlite" ? "sqliteTemplate" : "postgresTemplate")
    : "";
  if (dialect === "sqlite") {
    if (template) copyFileSync(template, join(dataDir, "hushlink.sqlite"));
    return openTestDatabase(null, dataDir, migrated && !template);
  }

  if (!TEST_DATABASE_URL) throw new Error("TEST_DATABASE_URL is not set");
  const serverUrl = TEST_DATABASE_URL;
  const name = `hl_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}${template ? ` template ${template}` : ""}`);
  await admin.end();
  return openTestDatabase(
    withDatabase(serverUrl, name),
    dataDir,
    migrated && !template,
    async () => {
      const cleanup = new pg.Client({ connectionString: serverUrl });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  );
}

/**
 * The database at `url` (null: the SQLite file in `dataDir`) as a TestDatabase, the same on both
 * dialects: drop() closes every handle, runs `dropServerSide` (PostgreSQL's database goes) and
 * removes `dataDir`.
 */
async function openTestDatabase(
  url: string | null,
  dataDir: string,
  migrate: boolean,
  dropServerSide?: () => Promise<void>,
): Promise<TestDatabase> {
  const handle = openDatabase({ databaseUrl: url, dataDir });
  if (migrate) await migrateToLatest(handle.db);
  const others: DatabaseHandle[] = [];
  return {
    handle,
    dataDir,
    url,
    openAnother() {
      const other = openDatabase({ databaseUrl: url, dataDir });
      others.push(other);
      return other;
    },
    async drop() {
      for (const other of others) await other.close().catch(() => undefined);
      await handle.close().catch(() => undefined);
      await dropServerSide?.();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The handle with every statement it sends recorded in `sent`, compiled as the database gets it:
 * for tests that look at a statement's SQL or ask the database for its plan.
 */
export function recordStatements(handle: DatabaseHandle): {
  handle: DatabaseHandle;
  sent: CompiledQuery[];
} {
  const sent: CompiledQuery[] = [];
  const executor = handle.db.getExecutor();
  const recording = withPlugin(handle, {
    transformQuery(args) {
      sent.push(executor.compileQuery(args.node, args.queryId));
      return args.node;
    },
    transformResult: (args) => Promise.resolve(args.result),
  });
  return { handle: recording, sent };
}
