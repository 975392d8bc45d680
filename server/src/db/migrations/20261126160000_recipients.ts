import type { Kysely } from "kysely";

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen history */

export async function up(db: Kysely<any>): Promise<void> {
  // Set when only the listed (member) recipients may reveal: SPEC F3 with external recipients off.
  await db.schema
    .alterTable("shares")
    .addColumn("restrict_to_recipients", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createTable("share_recipients")
    .addColumn("id", "varchar(36)", (c) => c.primaryKey())
    .addColumn("share_id", "varchar(32)", (c) =>
      c.notNull().references("shares.id").onDelete("cascade"),
    )
    .addColumn("email", "varchar(254)", (c) => c.notNull())
    .addColumn("delivery", "varchar(8)", (c) => c.notNull().defaultTo("queued"))
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addUniqueConstraint("share_recipients_share_email", ["share_id", "email"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("share_recipients").execute();
  await db.schema.alterTable("shares").dropColumn("restrict_to_recipients").execute();
}
