import type { Kysely } from "kysely";

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen history */

export async function up(db: Kysely<any>): Promise<void> {
  // One authenticator app per account. The secret is sealed with the root key (AAD the user id):
  // the server must read it to check codes, so a database thief must not. `last_step` is the
  // time step of the last code accepted, so a code works once within its window.
  await db.schema
    .createTable("user_totp")
    .addColumn("user_id", "varchar(36)", (c) =>
      c.primaryKey().references("users.id").onDelete("cascade"),
    )
    .addColumn("secret_sealed", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    // null until the first code confirms the enrolment: an unconfirmed secret guards nothing.
    .addColumn("confirmed_at", "bigint")
    .addColumn("last_step", "bigint")
    .execute();
  // Single-use recovery codes, stored as SHA-256 (they are long random strings, not passwords).
  await db.schema
    .createTable("recovery_codes")
    .addColumn("user_id", "varchar(36)", (c) =>
      c.notNull().references("users.id").onDelete("cascade"),
    )
    .addColumn("code_hash", "varchar(64)", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("recovery_codes_pk", ["user_id", "code_hash"])
    .execute();
  // A password proven, the second factor not yet: no session, a token (stored hashed) that lives
  // a few minutes and dies after a few wrong codes.
  await db.schema
    .createTable("pending_signins")
    .addColumn("token_hash", "varchar(64)", (c) => c.primaryKey())
    .addColumn("user_id", "varchar(36)", (c) =>
      c.notNull().references("users.id").onDelete("cascade"),
    )
    .addColumn("failures", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("pending_signins_expires")
    .on("pending_signins")
    .column("expires_at")
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("pending_signins").execute();
  await db.schema.dropTable("recovery_codes").execute();
  await db.schema.dropTable("user_totp").execute();
}
