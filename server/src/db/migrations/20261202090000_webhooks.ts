import type { Kysely } from "kysely";

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen history */

export async function up(db: Kysely<any>): Promise<void> {
  // Webhook endpoints (SPEC F18): the signing secret is sealed with the root key, as SSO's
  // client secret is; events is a JSON array of audit event types.
  await db.schema
    .createTable("webhook_endpoints")
    .addColumn("id", "varchar(36)", (c) => c.primaryKey())
    .addColumn("org_id", "varchar(36)", (c) =>
      c.notNull().references("orgs.id").onDelete("cascade"),
    )
    .addColumn("url", "varchar(2000)", (c) => c.notNull())
    .addColumn("events", "text", (c) => c.notNull())
    .addColumn("format", "varchar(16)", (c) => c.notNull())
    .addColumn("include_names", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("secret", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("webhook_endpoints_org")
    .on("webhook_endpoints")
    .column("org_id")
    .execute();

  // The outbox and the delivery log in one: a row per event per endpoint, queued in the audit
  // append's transaction, claimed by lease like mail_outbox, kept after it settles for the log.
  await db.schema
    .createTable("webhook_deliveries")
    .addColumn("id", "varchar(40)", (c) => c.primaryKey())
    .addColumn("endpoint_id", "varchar(36)", (c) =>
      c.notNull().references("webhook_endpoints.id").onDelete("cascade"),
    )
    .addColumn("type", "varchar(40)", (c) => c.notNull())
    .addColumn("payload", "text", (c) => c.notNull())
    .addColumn("status", "varchar(12)", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("next_attempt_at", "bigint")
    .addColumn("locked_until", "bigint")
    .addColumn("claim_token", "varchar(64)")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("last_attempt_at", "bigint")
    .addColumn("response_status", "integer")
    .addColumn("last_error_code", "varchar(40)")
    .execute();
  await db.schema
    .createIndex("webhook_deliveries_due")
    .on("webhook_deliveries")
    .columns(["status", "next_attempt_at"])
    .execute();
  await db.schema
    .createIndex("webhook_deliveries_log")
    .on("webhook_deliveries")
    .columns(["endpoint_id", "created_at"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("webhook_deliveries").execute();
  await db.schema.dropTable("webhook_endpoints").execute();
}
