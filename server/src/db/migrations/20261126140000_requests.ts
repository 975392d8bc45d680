import type { Kysely } from "kysely";

// Migrations are frozen history: they take Kysely<any> so later schema types never change them.
/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Secret requests (SPEC F6, §3). A request is deleted with its value when it expires or is
 * deleted; there are no tombstones (the sender's page answers "not found" once it is gone).
 * The value is sealed under its own data key; the data key is wrapped by the root key, whose id
 * sits beside it so a root key rotation can find what still needs the retired key.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("requests")
    .addColumn("id", "varchar(64)", (c) => c.primaryKey())
    .addColumn("org_id", "varchar(36)", (c) =>
      c.notNull().references("orgs.id").onDelete("cascade"),
    )
    .addColumn("requester_id", "varchar(36)", (c) =>
      c.notNull().references("users.id").onDelete("cascade"),
    )
    .addColumn("name", "varchar(200)")
    .addColumn("access", "varchar(16)", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    // All four are set by the one conditional UPDATE that fulfils the request.
    .addColumn("submitted_at", "bigint")
    .addColumn("value_sealed", "text")
    .addColumn("wrapped_key", "text")
    .addColumn("key_id", "varchar(16)")
    .execute();
  await createRequestsIndexes(db);

  // Audit trail: created, submitted, revealed, deleted, expired. No foreign key on purpose: the
  // trail outlives its request for a while (the sweeper prunes it), so a reveal followed by a
  // delete still leaves a record. No content, only who and when.
  await db.schema
    .createTable("request_events")
    .addColumn("id", "varchar(36)", (c) => c.primaryKey())
    .addColumn("request_id", "varchar(64)", (c) => c.notNull())
    .addColumn("type", "varchar(24)", (c) => c.notNull())
    .addColumn("at", "bigint", (c) => c.notNull())
    .addColumn("ip", "varchar(64)")
    .addColumn("user_id", "varchar(36)")
    .execute();
  await db.schema
    .createIndex("request_events_request_at")
    .on("request_events")
    .columns(["request_id", "at"])
    .execute();
  await db.schema.createIndex("request_events_at").on("request_events").column("at").execute();
}

/**
 * The dashboard list (newest first, keyset paging), the sweeper and root key rotation.
 * 20261202042000_request_keys builds them again on the table it rebuilds.
 */
export async function createRequestsIndexes(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex("requests_org_created")
    .on("requests")
    .columns(["org_id", "created_at", "id"])
    .execute();
  await db.schema.createIndex("requests_expires").on("requests").column("expires_at").execute();
  await db.schema.createIndex("requests_key_id").on("requests").column("key_id").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("request_events").execute();
  await db.schema.dropTable("requests").execute();
}
