import type { Kysely } from "kysely";

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen history */

export async function up(db: Kysely<any>): Promise<void> {
  // SHA-256 of the random cookie the browser that signed up holds until the address is confirmed
  // (issue 15): a verification link opened anywhere else must also set a new password, since
  // whoever typed the address (and the password) may not own it.
  await db.schema.alterTable("users").addColumn("signup_browser_hash", "varchar(64)").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("users").dropColumn("signup_browser_hash").execute();
}
