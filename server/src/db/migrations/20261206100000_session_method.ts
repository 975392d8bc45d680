import type { Kysely } from "kysely";

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen history */

/**
 * How each session was made (password, passkey, sso), so `requireSso` can refuse, on every
 * request, a session that did not come through the provider. Sessions made before this migration
 * were made by password or by a passkey alone; reading them all as password is what requireSso
 * needs either way (neither is SSO).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("sessions")
    .addColumn("method", "varchar(16)", (c) => c.notNull().defaultTo("password"))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("sessions").dropColumn("method").execute();
}
