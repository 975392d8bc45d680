import { sql, type Kysely } from "kysely";

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen history */

/**
 * shares_status_expires (status, expires_at) served the sweeper, and also tempted PostgreSQL's
 * planner on every lookup of one share by id: `id = ? AND status = 'active' AND expires_at > ?`.
 * On a table it has not analyzed yet (a new database's first minute, and every bench run) both
 * paths are estimated at one row, the (status, expires_at) one costs a hair less, and each reveal
 * read every live share through it (865 buffers and 8 ms for 1,000 shares, against 3 buffers by
 * the key). A partial index on expires_at `WHERE status = 'active'` loses the same way. So the
 * sweeper's indexes are ones no lookup by id can use: the expiry of live shares as an expression
 * only the sweeper writes (NULL for tombstones, which drop out of the range once swept), and the
 * expiry of tombstones, partial on a status no live lookup asks for.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("shares_status_expires").execute();
  await sql`create index shares_live_expiry on shares ((case when status = 'active' then expires_at end))`.execute(
    db,
  );
  await db.schema
    .createIndex("shares_gone_expires")
    .on("shares")
    .column("expires_at")
    .where(sql.ref("status"), "<>", sql.lit("active"))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("shares_gone_expires").execute();
  await db.schema.dropIndex("shares_live_expiry").execute();
  await db.schema
    .createIndex("shares_status_expires")
    .on("shares")
    .columns(["status", "expires_at"])
    .execute();
}
