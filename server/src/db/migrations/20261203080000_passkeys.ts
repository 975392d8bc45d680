import type { Kysely } from "kysely";

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen history */

export async function up(db: Kysely<any>): Promise<void> {
  // An account's passkeys (WebAuthn, SPEC F16). The public key is not secret: nothing is sealed.
  // `id` is ours (in URLs); the credential id is the authenticator's, unique across accounts, so
  // a sign-in without an address finds its account by it.
  await db.schema
    .createTable("passkeys")
    .addColumn("id", "varchar(36)", (c) => c.primaryKey())
    .addColumn("user_id", "varchar(36)", (c) =>
      c.notNull().references("users.id").onDelete("cascade"),
    )
    // base64url; a credential id is at most 1023 bytes (WebAuthn Level 3).
    .addColumn("credential_id", "varchar(1400)", (c) => c.notNull().unique())
    // The COSE public key, base64url.
    .addColumn("public_key", "text", (c) => c.notNull())
    // The authenticator's signature counter as last seen; 0 for those that keep none.
    .addColumn("sign_count", "bigint", (c) => c.notNull().defaultTo(0))
    // JSON array of the transports the browser reported ("internal", "usb", …), or null.
    .addColumn("transports", "text")
    .addColumn("name", "varchar(64)", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("last_used_at", "bigint")
    .execute();
  await db.schema.createIndex("passkeys_user").on("passkeys").column("user_id").execute();
  // WebAuthn challenges in the database, not in a process, so any instance can check the answer
  // to options another one gave. Stored as SHA-256, single-use (taken by one DELETE … RETURNING),
  // short-lived. `purpose` says which ceremony; a registration is bound to its account, a second
  // step to its pending sign-in (token hash); a sign-in without a password to nobody.
  await db.schema
    .createTable("webauthn_challenges")
    .addColumn("challenge_hash", "varchar(64)", (c) => c.primaryKey())
    .addColumn("purpose", "varchar(16)", (c) => c.notNull())
    .addColumn("user_id", "varchar(36)", (c) => c.references("users.id").onDelete("cascade"))
    .addColumn("pending_hash", "varchar(64)")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("webauthn_challenges_expires")
    .on("webauthn_challenges")
    .column("expires_at")
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("webauthn_challenges").execute();
  await db.schema.dropTable("passkeys").execute();
}
