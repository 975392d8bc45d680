import type { Kysely } from "kysely";

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen history */

/**
 * E-mail codes for recipient links bound to an external address (issue 19, F14). The code lives
 * on the link's own share row, so the reveal checks it in the same conditional UPDATE that
 * consumes the view. Only its SHA-256 (salted with the link id) is kept; the send limits (one a
 * minute, five an hour per link) are columns of the same row, so a send is one conditional UPDATE.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const shares = () => db.schema.alterTable("shares");
  await shares()
    .addColumn("email_code_required", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await shares().addColumn("email_code_hash", "varchar(64)").execute();
  await shares().addColumn("email_code_expires_at", "bigint").execute();
  await shares().addColumn("email_code_tries_left", "integer").execute();
  await shares().addColumn("email_code_sent_at", "bigint").execute();
  await shares().addColumn("email_code_window_at", "bigint").execute();
  await shares()
    .addColumn("email_code_window_count", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const column of [
    "email_code_window_count",
    "email_code_window_at",
    "email_code_sent_at",
    "email_code_tries_left",
    "email_code_expires_at",
    "email_code_hash",
    "email_code_required",
  ]) {
    await db.schema.alterTable("shares").dropColumn(column).execute();
  }
}
