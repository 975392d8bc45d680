import type { Kysely } from "kysely";

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen history */

/**
 * One link per recipient (F14). The share the sender sees is a row without content of its own
 * (links_per_recipient = 1); each recipient's link is a share row of its own (parent_id = the
 * share), so it has its own view token, views, password attempts, access-log entries and
 * tombstone, and reveals by the same single conditional statement as any share. The recipient
 * row names the link it was sent (link_id).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("shares").addColumn("parent_id", "varchar(32)").execute();
  await db.schema
    .alterTable("shares")
    .addColumn("links_per_recipient", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex("shares_parent").on("shares").column("parent_id").execute();
  await db.schema.alterTable("share_recipients").addColumn("link_id", "varchar(32)").execute();
  await db.schema
    .createIndex("share_recipients_link")
    .on("share_recipients")
    .column("link_id")
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("share_recipients_link").execute();
  await db.schema.alterTable("share_recipients").dropColumn("link_id").execute();
  await db.schema.dropIndex("shares_parent").execute();
  await db.schema.alterTable("shares").dropColumn("links_per_recipient").execute();
  await db.schema.alterTable("shares").dropColumn("parent_id").execute();
}
