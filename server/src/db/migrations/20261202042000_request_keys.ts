import type { Kysely } from "kysely";

import { createRequestsIndexes } from "./20261126140000_requests.js";

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen history */

/**
 * End-to-end secret requests (SPEC F13, §3.2). A request now may belong to nobody (created
 * without an account, deleted with its manage token), so org_id and requester_id become
 * nullable; SQLite cannot drop NOT NULL in place, so the table is rebuilt the same way on both
 * dialects. New columns: the requester's public key, the private scalar wrapped under the
 * reading secret and its iv, SHA-256 of the read token and of the manage token, and the
 * answer (ephemeral public key, ciphertext, iv), which only the requester's client can open.
 * Old-style requests keep their server-sealed value in value_sealed and leave these null.
 */
const KEPT = [
  "id",
  "org_id",
  "requester_id",
  "name",
  "access",
  "created_at",
  "expires_at",
  "submitted_at",
  "value_sealed",
  "wrapped_key",
  "key_id",
] as const;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("requests_next")
    .addColumn("id", "varchar(64)", (c) => c.primaryKey())
    .addColumn("org_id", "varchar(36)", (c) => c.references("orgs.id").onDelete("cascade"))
    .addColumn("requester_id", "varchar(36)", (c) => c.references("users.id").onDelete("cascade"))
    .addColumn("name", "varchar(200)")
    .addColumn("access", "varchar(16)", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    .addColumn("submitted_at", "bigint")
    .addColumn("value_sealed", "text")
    .addColumn("wrapped_key", "text")
    .addColumn("key_id", "varchar(16)")
    .addColumn("public_key", "varchar(96)")
    .addColumn("encrypted_private_key", "varchar(96)")
    .addColumn("key_iv", "varchar(24)")
    .addColumn("read_token_hash", "varchar(64)")
    .addColumn("manage_token_hash", "varchar(64)")
    .addColumn("ephemeral_public_key", "varchar(96)")
    .addColumn("answer_ciphertext", "text")
    .addColumn("answer_iv", "varchar(24)")
    .execute();
  await db
    .insertInto("requests_next")
    .columns([...KEPT])
    .expression(db.selectFrom("requests").select([...KEPT]))
    .execute();
  await db.schema.dropTable("requests").execute();
  await db.schema.alterTable("requests_next").renameTo("requests").execute();
  await createRequestsIndexes(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  // End-to-end and ownerless requests cannot exist in the old shape: they go. The columns stay
  // nullable (rebuilding again buys nothing: the code of that version never writes a null).
  await db
    .deleteFrom("requests")
    .where((eb) => eb.or([eb("public_key", "is not", null), eb("org_id", "is", null)]))
    .execute();
  for (const column of [
    "public_key",
    "encrypted_private_key",
    "key_iv",
    "read_token_hash",
    "manage_token_hash",
    "ephemeral_public_key",
    "answer_ciphertext",
    "answer_iv",
  ]) {
    await db.schema.alterTable("requests").dropColumn(column).execute();
  }
}
