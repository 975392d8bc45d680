import type { Kysely } from "kysely";

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen history */

export async function up(db: Kysely<any>): Promise<void> {
  // An organization's sharing policy (SPEC F16): one JSON document per organization, read
  // whole on every create of its members, so a row of its own rather than columns on orgs.
  await db.schema
    .createTable("org_policies")
    .addColumn("org_id", "varchar(36)", (c) =>
      c.primaryKey().references("orgs.id").onDelete("cascade"),
    )
    .addColumn("policy", "text", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addColumn("updated_by", "varchar(36)")
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("org_policies").execute();
}
