import type { Kysely } from "kysely";

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen history */

export async function up(db: Kysely<any>): Promise<void> {
  // The creator chose to show their name and organization on the page before Reveal.
  await db.schema
    .alterTable("shares")
    .addColumn("show_sender", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("shares").dropColumn("show_sender").execute();
}
