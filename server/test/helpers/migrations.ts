/**
 * Tests of a migration on rows written before it: what such tests in access-log, token-scopes,
 * sso-domains and webhooks-owner-migration share.
 */
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
