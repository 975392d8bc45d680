import type { Kysely } from "kysely";

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen history */

export async function up(db: Kysely<any>): Promise<void> {
  // Wrong passwords per address and client IP (issue 15: back-off instead of a lock anyone can
  // keep on). `ip` '*' holds the slower account-wide count. The address is stored as a SHA-256
  // hash: rows exist for addresses that have no account too, so that both answer alike.
  await db.schema
    .createTable("sign_in_attempts")
    .addColumn("account_key", "varchar(64)", (c) => c.notNull())
    .addColumn("ip", "varchar(64)", (c) => c.notNull())
    .addColumn("failures", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("window_started_at", "bigint", (c) => c.notNull())
    .addColumn("paused_until", "bigint")
    .addColumn("last_success_at", "bigint")
    .addPrimaryKeyConstraint("sign_in_attempts_pk", ["account_key", "ip"])
    .execute();

  // Mail sent on behalf of an account (invitations, share deliveries), counted per sender and per
  // recipient address in fixed windows, so one account cannot flood anyone's inbox.
  await db.schema
    .createTable("mail_quota")
    .addColumn("bucket", "varchar(100)", (c) => c.notNull())
    .addColumn("window_started_at", "bigint", (c) => c.notNull())
    .addColumn("count", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("mail_quota_pk", ["bucket"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("mail_quota").execute();
  await db.schema.dropTable("sign_in_attempts").execute();
}
