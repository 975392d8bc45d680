import { PostgresAdapter, sql, type Kysely } from "kysely";

import { addUploadColumns, dropUploadColumns } from "./20261201231000_files.js";

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen history */

/**
 * Files in answers to end-to-end requests (SPEC F13 with §3.1). The answer declares its blobs at
 * submit; the request row counts the chunks it expects and has, as a share's row does, and keeps
 * SHA-256 of the upload token. Blobs, chunks and download windows get tables of their own, shaped
 * as the shares' (share_blobs, blob_chunks, download_grants), keyed by the request.
 *
 * A request is deleted as a row (delete, expiry, its organization or account deleted), never
 * tombstoned. Its blob rows and download windows go with it (foreign keys); a trigger erases the
 * stored bytes of its chunks in that same statement, whichever path deleted it. Chunk rows of S3
 * objects stay behind without a blob row, and the blob sweeper removes the objects and then them.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await addUploadColumns(db, "requests");

  await db.schema
    .createTable("request_blobs")
    .addColumn("request_id", "varchar(64)", (c) =>
      c.notNull().references("requests.id").onDelete("cascade"),
    )
    .addColumn("id", "varchar(32)", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("size", "bigint", (c) => c.notNull())
    .addColumn("chunks", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("request_blobs_pk", ["request_id", "id"])
    .execute();

  // No foreign key: rows of S3 objects outlive their request until the sweeper removed them.
  await db.schema
    .createTable("request_blob_chunks")
    .addColumn("request_id", "varchar(64)", (c) => c.notNull())
    .addColumn("blob_id", "varchar(32)", (c) => c.notNull())
    .addColumn("n", "integer", (c) => c.notNull())
    .addColumn("size", "integer", (c) => c.notNull())
    .addColumn("data", postgres ? "bytea" : "blob")
    .addColumn("stored_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("request_blob_chunks_pk", ["request_id", "blob_id", "n"])
    .execute();
  if (postgres) {
    await sql`alter table request_blob_chunks alter column data set storage external`.execute(db);
  }

  await db.schema
    .createTable("request_download_grants")
    .addColumn("token_hash", "varchar(64)", (c) => c.primaryKey())
    .addColumn("request_id", "varchar(64)", (c) =>
      c.notNull().references("requests.id").onDelete("cascade"),
    )
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("request_download_grants_request")
    .on("request_download_grants")
    .column("request_id")
    .execute();

  // Unfinished uploads are found by the time of their submit, among the few still uploading.
  await db.schema
    .createIndex("requests_uploading")
    .on("requests")
    .columns(["submitted_at"])
    .where(sql.ref("chunks_stored"), "<", sql.ref("chunks_total"))
    .execute();

  if (postgres) {
    await sql`
      create function hushlink_erase_request_chunks() returns trigger language plpgsql as $$
      begin
        delete from request_blob_chunks where request_id = old.id and data is not null;
        return null;
      end $$`.execute(db);
    await sql
      .raw(
        `create trigger requests_erase_blob_chunks after delete on requests
         for each row when (old.chunks_total > 0) execute function hushlink_erase_request_chunks()`,
      )
      .execute(db);
  } else {
    await sql
      .raw(
        `create trigger requests_erase_blob_chunks after delete on requests
         for each row when old.chunks_total > 0
         begin
           delete from request_blob_chunks where request_id = old.id and data is not null;
         end`,
      )
      .execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await sql`drop trigger if exists requests_erase_blob_chunks${sql.raw(postgres ? " on requests" : "")}`.execute(
    db,
  );
  if (postgres) await sql`drop function if exists hushlink_erase_request_chunks()`.execute(db);
  await db.schema.dropIndex("requests_uploading").execute();
  await db.schema.dropTable("request_download_grants").execute();
  await db.schema.dropTable("request_blob_chunks").execute();
  await db.schema.dropTable("request_blobs").execute();
  await dropUploadColumns(db, "requests");
}
