import type { Kysely } from "kysely";

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen history */

export async function up(db: Kysely<any>): Promise<void> {
  // The language a queued mail is rendered in (SPEC F17), chosen when it is queued: the worker
  // renders it later, maybe after the people involved changed theirs. Not secret, so in clear.
  // NULL (entries queued before this version): English.
  await db.schema.alterTable("mail_outbox").addColumn("locale", "varchar(16)").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("mail_outbox").dropColumn("locale").execute();
}
