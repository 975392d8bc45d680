import type { Kysely } from "kysely";

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen history */

export async function up(db: Kysely<any>): Promise<void> {
  // An organization's "require a second factor" (SPEC F16); a table of its own, so organizations
  // that never set it have no row and the orgs table stays as it was.
  await db.schema
    .createTable("org_second_factor")
    .addColumn("org_id", "varchar(36)", (c) =>
      c.primaryKey().references("orgs.id").onDelete("cascade"),
    )
    .addColumn("required", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("org_second_factor").execute();
}
