import { PostgresAdapter, sql, type Kysely } from "kysely";

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen history */

/**
 * Files (SPEC F12, §3.1). A share declares its blobs at create (share_blobs) and its chunks arrive
 * one request each (blob_chunks): with BLOB_STORE=database a chunk row holds the encrypted bytes,
 * with s3 it records that the object is in the bucket (data NULL). The share counts the chunks it
 * expects and has, so "ready" is one comparison on the row. Each reveal of a share with files
 * grants a download window (download_grants, the token stored hashed).
 *
 * A trigger erases stored chunk bytes in the very statement that turns a share into a deleted,
 * expired or locked tombstone, whichever code path does it (service, sweeper, a future one): for
 * the database store, the file goes in the same transaction as the text. Chunk rows of S3 objects
 * and the blobs of a share whose last view was used stay for the blob sweeper, which removes the
 * objects and then the rows (blobs.sweeper.ts).
 */
export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await addUploadColumns(db, "shares");

  await db.schema
    .createTable("share_blobs")
    .addColumn("share_id", "varchar(32)", (c) =>
      c.notNull().references("shares.id").onDelete("cascade"),
    )
    .addColumn("id", "varchar(32)", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("size", "bigint", (c) => c.notNull())
    .addColumn("chunks", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("share_blobs_pk", ["share_id", "id"])
    .execute();

  await db.schema
    .createTable("blob_chunks")
    .addColumn("share_id", "varchar(32)", (c) =>
      c.notNull().references("shares.id").onDelete("cascade"),
    )
    .addColumn("blob_id", "varchar(32)", (c) => c.notNull())
    .addColumn("n", "integer", (c) => c.notNull())
    .addColumn("size", "integer", (c) => c.notNull())
    .addColumn("data", postgres ? "bytea" : "blob")
    .addColumn("stored_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("blob_chunks_pk", ["share_id", "blob_id", "n"])
    .execute();
  if (postgres) {
    // Encrypted bytes do not compress: store them out of line without trying.
    await sql`alter table blob_chunks alter column data set storage external`.execute(db);
  }

  await db.schema
    .createTable("download_grants")
    .addColumn("token_hash", "varchar(64)", (c) => c.primaryKey())
    .addColumn("share_id", "varchar(32)", (c) =>
      c.notNull().references("shares.id").onDelete("cascade"),
    )
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("download_grants_share")
    .on("download_grants")
    .columns(["share_id", "expires_at"])
    .execute();

  await createSharesUploadingByAge(db);

  const when = `new.status in ('expired', 'deleted', 'locked') and old.status = 'active' and new.chunks_total > 0`;
  if (postgres) {
    await sql`
      create function hushlink_erase_blob_chunks() returns trigger language plpgsql as $$
      begin
        delete from blob_chunks where share_id = new.id and data is not null;
        return null;
      end $$`.execute(db);
    await sql
      .raw(
        `create trigger shares_erase_blob_chunks after update of status on shares
         for each row when (${when}) execute function hushlink_erase_blob_chunks()`,
      )
      .execute(db);
  } else {
    await sql
      .raw(
        `create trigger shares_erase_blob_chunks after update of status on shares
         for each row when ${when}
         begin
           delete from blob_chunks where share_id = new.id and data is not null;
         end`,
      )
      .execute(db);
  }
}

/**
 * What a row with files counts (blobs declared, their bytes, chunks expected and stored) and
 * SHA-256 of its upload token, as this migration adds them to shares.
 * 20261203074000_request_files adds the same to requests.
 */
export async function addUploadColumns(
  db: Kysely<any>,
  table: "shares" | "requests",
): Promise<void> {
  const owner = db.schema.alterTable(table);
  await owner.addColumn("blob_count", "integer", (c) => c.notNull().defaultTo(0)).execute();
  await owner.addColumn("blob_bytes", "bigint", (c) => c.notNull().defaultTo(0)).execute();
  await owner.addColumn("chunks_total", "integer", (c) => c.notNull().defaultTo(0)).execute();
  await owner.addColumn("chunks_stored", "integer", (c) => c.notNull().defaultTo(0)).execute();
  await owner.addColumn("upload_token_hash", "varchar(64)").execute();
}

/** Undoes addUploadColumns, last column first. */
export async function dropUploadColumns(
  db: Kysely<any>,
  table: "shares" | "requests",
): Promise<void> {
  for (const column of [
    "upload_token_hash",
    "chunks_stored",
    "chunks_total",
    "blob_bytes",
    "blob_count",
  ]) {
    await db.schema.alterTable(table).dropColumn(column).execute();
  }
}

/**
 * Unfinished uploads are found by age, among the few shares still waiting for chunks: the index as
 * this migration makes it. 20261204160000_shares_uploading_by_status's down builds it again from
 * here.
 */
export async function createSharesUploadingByAge(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex("shares_uploading")
    .on("shares")
    .columns(["created_at"])
    .where(sql.ref("chunks_stored"), "<", sql.ref("chunks_total"))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await sql`drop trigger if exists shares_erase_blob_chunks${sql.raw(postgres ? " on shares" : "")}`.execute(
    db,
  );
  if (postgres) await sql`drop function if exists hushlink_erase_blob_chunks()`.execute(db);
  await db.schema.dropIndex("shares_uploading").execute();
  await db.schema.dropTable("download_grants").execute();
  await db.schema.dropTable("blob_chunks").execute();
  await db.schema.dropTable("share_blobs").execute();
  await dropUploadColumns(db, "shares");
}
