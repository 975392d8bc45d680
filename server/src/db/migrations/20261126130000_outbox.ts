import type { Kysely } from "kysely";

// Migrations are frozen history: they take Kysely<any> so later schema types never change them.
/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * The mail outbox (SPEC F9, §3). An entry lives from the transaction that causes a message until
 * the message is handed to SMTP or its last retry fails, then it is deleted. Recipient and
 * payload are sealed with the root key: a share's link must never rest readable on disk.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("mail_outbox")
    .addColumn("id", "varchar(36)", (c) => c.primaryKey())
    .addColumn("kind", "varchar(32)", (c) => c.notNull())
    // Sealed (lib/sealing.ts): the address, and the JSON the message is rendered from.
    .addColumn("recipient", "text", (c) => c.notNull())
    .addColumn("payload", "text", (c) => c.notNull())
    // In clear, for delivery state: the share a message is about, and the caller's own reference.
    .addColumn("share_id", "varchar(32)")
    .addColumn("ref", "varchar(64)")
    // Sending attempts started so far (counted when claimed, so a crash mid-send counts too).
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("next_attempt_at", "bigint", (c) => c.notNull())
    // The lease: an instance that claimed the entry owns it until then; the token says which claim.
    .addColumn("locked_until", "bigint")
    .addColumn("claim_token", "varchar(36)")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    // A code such as ECONNECTION or EENVELOPE_451, never a server's text (it can quote addresses).
    .addColumn("last_error_code", "varchar(64)")
    .execute();
  await db.schema
    .createIndex("mail_outbox_next_attempt")
    .on("mail_outbox")
    .column("next_attempt_at")
    .execute();
  await db.schema.createIndex("mail_outbox_share").on("mail_outbox").column("share_id").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("mail_outbox").execute();
}
