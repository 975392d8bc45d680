import type { Kysely } from "kysely";

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen history */

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("orgs").addColumn("primary_color", "varchar(7)").execute();
  await db.schema.alterTable("orgs").addColumn("background_color", "varchar(7)").execute();
  await db.schema.alterTable("orgs").addColumn("text_color", "varchar(7)").execute();
  // Logos live in the database (base64 text: one portable type), so every instance serves them.
  await db.schema
    .createTable("org_logos")
    .addColumn("org_id", "varchar(36)", (c) =>
      c.primaryKey().references("orgs.id").onDelete("cascade"),
    )
    .addColumn("hash", "varchar(64)", (c) => c.notNull())
    .addColumn("content_type", "varchar(32)", (c) => c.notNull())
    .addColumn("data", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("org_logos_hash").on("org_logos").column("hash").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("org_logos").execute();
  await db.schema.alterTable("orgs").dropColumn("text_color").execute();
  await db.schema.alterTable("orgs").dropColumn("background_color").execute();
  await db.schema.alterTable("orgs").dropColumn("primary_color").execute();
}
