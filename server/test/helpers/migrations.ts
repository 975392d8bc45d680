/**
 * Tests of a migration on rows written before it: what such tests in access-log, token-scopes,
 * sso-domains, webhooks-owner-migration and canonical-domains-migration share: the migration run,
 * and the rows every build has written the same way (an account, an organization).
 */
import { sql, type Kysely } from "kysely";

import type { Dialect } from "../../src/db/database.js";
import { migrateTo, migrateToLatest } from "../../src/db/migrator.js";
import { createTestDatabase, type TestDatabase } from "./databases.js";

type Db = TestDatabase["handle"]["db"];

/**
 * A new database of `dialect` migrated up to `before` (the migration before the one under test);
 * `seed` writes rows as they were then, every later migration runs, and `check` reads what they
 * left. The database is dropped afterwards, whether the test passed or not.
 */
export async function migrateOver(
  dialect: Dialect,
  before: string,
  seed: (db: Db) => Promise<void>,
  check: (db: Db) => Promise<void>,
): Promise<void> {
  const testDb = await createTestDatabase(dialect, { migrated: false });
  try {
    const db = testDb.handle.db;
    await migrateTo(db, before);
    await seed(db);
    await migrateToLatest(db);
    await check(db);
  } finally {
    await testDb.drop();
  }
}

/**
 * An account row with only the columns the first build had (a later migration's defaults fill
 * the rest): what the seed of a migration test writes before the rows under test point at it.
 * Any schema: a seed may type its handle as the older build's.
 */
export async function insertOldUser<Schema>(
  db: Kysely<Schema>,
  row: { id: string; email?: string; at?: number },
): Promise<void> {
  const { id, email = `${id}@example.test`, at = 1000 } = row;
  await sql`insert into users (id, email, password_hash, created_at)
    values (${id}, ${email}, 'x', ${at})`.execute(db);
}

/** An organization row, named after its id, with only the columns the first build had. */
export async function insertOldOrg<Schema>(
  db: Kysely<Schema>,
  id: string,
  at = 1000,
): Promise<void> {
  await sql`insert into orgs (id, name, created_at) values (${id}, ${id}, ${at})`.execute(db);
}
