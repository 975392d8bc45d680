import type { Kysely } from "kysely";

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen history */

export async function up(db: Kysely<any>): Promise<void> {
  // How an event happened where the type alone does not say (a member who joined by accepting
  // an invitation or by signing up through one; a sign-in with a code or a recovery code).
  // Nullable: older entries have none, and their hash, computed without it, stays theirs.
  await db.schema.alterTable("audit_entries").addColumn("via", "varchar(32)").execute();
  // An endpoint an admin paused: kept with its secret and log, and sent nothing meanwhile.
  await db.schema
    .alterTable("webhook_endpoints")
    .addColumn("enabled", "integer", (c) => c.notNull().defaultTo(1))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("webhook_endpoints").dropColumn("enabled").execute();
  await db.schema.alterTable("audit_entries").dropColumn("via").execute();
}
