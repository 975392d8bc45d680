import type { Kysely } from "kysely";

// Migrations are frozen history: they take Kysely<any> so later schema types never change them.
/* eslint-disable @typescript-eslint/no-explicit-any */

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("shares")
    .addColumn("id", "varchar(32)", (c) => c.primaryKey())
    .addColumn("org_id", "varchar(64)")
    .addColumn("creator_id", "varchar(64)")
    .addColumn("name", "varchar(200)")
    .addColumn("access", "varchar(16)", (c) => c.notNull().defaultTo("anyone"))
    .addColumn("ciphertext", "text")
    .addColumn("iv", "varchar(32)")
    .addColumn("view_token_hash", "varchar(64)")
    .addColumn("verifier_hash", "varchar(64)")
    .addColumn("kdf_m", "integer")
    .addColumn("kdf_t", "integer")
    .addColumn("kdf_p", "integer")
    .addColumn("manage_token_hash", "varchar(64)")
    .addColumn("max_views", "integer")
    .addColumn("view_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("password_attempts_left", "integer")
    .addColumn("notify_on_view", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("allow_external_recipients", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("status", "varchar(16)", (c) => c.notNull().defaultTo("active"))
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    .addColumn("gone_at", "bigint")
    .execute();
  // The sweeper's two queries: active shares past expiry, tombstones past their keep date.
  await db.schema
    .createIndex("shares_status_expires")
    .on("shares")
    .columns(["status", "expires_at"])
    .execute();
  await db.schema
    .createIndex("shares_org_created")
    .on("shares")
    .columns(["org_id", "created_at", "id"])
    .execute();

  await db.schema
    .createTable("share_events")
    .addColumn("id", "varchar(36)", (c) => c.primaryKey())
    .addColumn("share_id", "varchar(32)", (c) =>
      c.notNull().references("shares.id").onDelete("cascade"),
    )
    .addColumn("type", "varchar(24)", (c) => c.notNull())
    .addColumn("at", "bigint", (c) => c.notNull())
    .addColumn("ip", "varchar(64)")
    .addColumn("user_id", "varchar(64)")
    .execute();
  await db.schema
    .createIndex("share_events_share_at")
    .on("share_events")
    .columns(["share_id", "at"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("share_events").execute();
  await db.schema.dropTable("shares").execute();
}
