import { sql, type Kysely } from "kysely";

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen history */

/**
 * shares_parent and shares_org_created held an entry for every share, NULL keys included: every
 * anonymous create wrote two index entries that no query can find (a lookup by parent or by
 * organization compares with `=`, which never matches NULL). Partial on the key being set, each
 * keeps only the rows a query can reach, and both planners still take them for `parent_id = ?`
 * and `org_id = ?` (a comparison implies IS NOT NULL). An anonymous create writes the table, the
 * id's index and the expiry's, no more: SQLite's work per such INSERT 0.87x in raw
 * better-sqlite3, 16 interleaved rounds of 6,400 (issue 24).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("shares_parent").execute();
  await db.schema
    .createIndex("shares_parent")
    .on("shares")
    .column("parent_id")
    .where(sql.ref("parent_id"), "is not", null)
    .execute();
  await db.schema.dropIndex("shares_org_created").execute();
  await db.schema
    .createIndex("shares_org_created")
    .on("shares")
    .columns(["org_id", "created_at", "id"])
    .where(sql.ref("org_id"), "is not", null)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("shares_org_created").execute();
  await db.schema
    .createIndex("shares_org_created")
    .on("shares")
    .columns(["org_id", "created_at", "id"])
    .execute();
  await db.schema.dropIndex("shares_parent").execute();
  await db.schema.createIndex("shares_parent").on("shares").column("parent_id").execute();
}
