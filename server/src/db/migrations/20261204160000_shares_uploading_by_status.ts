import { sql, type Kysely } from "kysely";

import { createSharesUploadingByAge } from "./20261201231000_files.js";

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen history */

/**
 * The blob sweeper looks for live shares whose upload did not finish in time:
 * `chunks_stored < chunks_total AND created_at <= ? AND status = 'active'`. With the partial index
 * on created_at alone, SQLite's planner preferred shares_status_expires for `status = ?` and read
 * every live share at each sweep (about 60,000 rows, 2–20 ms on the event loop, in the bench). The
 * same partial index led by status serves all three terms, so only shares still uploading are read.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("shares_uploading").execute();
  await db.schema
    .createIndex("shares_uploading")
    .on("shares")
    .columns(["status", "created_at"])
    .where(sql.ref("chunks_stored"), "<", sql.ref("chunks_total"))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("shares_uploading").execute();
  await createSharesUploadingByAge(db);
}
