/**
 * The test databases themselves (helpers/databases.ts): a migrated one is a copy of the run's
 * migrated template (helpers/migrated-templates.ts) rather than migrated again, and a copy has
 * the very schema that migrating a fresh database here gives.
 */
import { sql, type Kysely } from "kysely";
import { afterAll, describe, expect, it } from "vitest";

import type { Dialect } from "../src/db/database.js";
import type { Database } from "../src/db/schema.js";
import { LATEST_MIGRATION, migrateToLatest } from "../src/db/migrator.js";
import { createTestDatabase, testDialects, type TestDatabase } from "./helpers/databases.js";

const fileStarted = Date.now();
const made: TestDatabase[] = [];
afterAll(async () => {
  for (const d of made) await d.drop();
});

async function fresh(dialect: Dialect, migrated: boolean): Promise<TestDatabase> {
  const d = await createTestDatabase(dialect, { migrated });
  made.push(d);
  return d;
}

/** Tables, columns, indexes and constraints, as the database describes them. */
async function schemaOf(dialect: Dialect, db: Kysely<Database>): Promise<unknown[]> {
  if (dialect === "sqlite") {
    const { rows } = await sql`select type, name, tbl_name, sql from sqlite_master
      order by type, name`.execute(db);
    return rows;
  }
  const columns = await sql`select table_name, column_name, data_type, is_nullable, column_default
    from information_schema.columns where table_schema = 'public'
    order by table_name, column_name`.execute(db);
  const indexes = await sql`select indexname, indexdef from pg_indexes where schemaname = 'public'
    order by indexname`.execute(db);
  const constraints = await sql`select conname, pg_get_constraintdef(oid) as definition
    from pg_constraint where connamespace = 'public'::regnamespace order by conname`.execute(db);
  return [...columns.rows, ...indexes.rows, ...constraints.rows];
}

describe.each(testDialects)("test databases on %s", (dialect) => {
  it("a migrated one is the run's template, migrated before this file started", async () => {
    const d = await fresh(dialect, true);
    const { rows } = await sql<{ name: string; timestamp: string }>`select name, timestamp
      from kysely_migration order by name`.execute(d.handle.db);
    expect(rows.at(-1)?.name).toBe(LATEST_MIGRATION);
    for (const row of rows) expect(Date.parse(row.timestamp)).toBeLessThan(fileStarted);
  });

  it("with the schema that migrating a fresh database gives", async () => {
    const copied = await fresh(dialect, true);
    const migratedHere = await fresh(dialect, false);
    await migrateToLatest(migratedHere.handle.db);
    const expected = await schemaOf(dialect, migratedHere.handle.db);
    expect(expected.length).toBeGreaterThan(50);
    expect(await schemaOf(dialect, copied.handle.db)).toEqual(expected);
  });
});
