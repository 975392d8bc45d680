/**
 * SQL for the files of answers to end-to-end requests (SPEC F13 with §3.1), and nothing else: the
 * request row's file columns and the request_blobs, request_blob_chunks and
 * request_download_grants tables. Every function takes the Kysely instance to run on.
 */
import { sql, type Kysely } from "kysely";

import type { Database } from "../../db/schema.js";
import type { DeclaredBlob } from "./blobs.repository.js";

type Db = Kysely<Database>;

export async function insertBlobs(db: Db, requestId: string, blobs: DeclaredBlob[]) {
  if (blobs.length === 0) return;
  await db
    .insertInto("request_blobs")
    .values(
      blobs.map((b, position) => ({
        request_id: requestId,
        id: b.id,
        position,
        size: b.size,
        chunks: b.chunks,
      })),
    )
    .execute();
}

/** What an upload or a download needs to know of its request. */
export async function findRequestFiles(db: Db, id: string) {
  return db
    .selectFrom("requests")
    .select([
      "id",
      "expires_at",
      "submitted_at",
      "upload_token_hash",
      "chunks_total",
      "chunks_stored",
      "blob_count",
    ])
    .where("id", "=", id)
    .executeTakeFirst();
}

export async function findBlob(db: Db, requestId: string, blobId: string) {
  return db
    .selectFrom("request_blobs")
    .select(["id", "size", "chunks"])
    .where("request_id", "=", requestId)
    .where("id", "=", blobId)
    .executeTakeFirst();
}

export async function listBlobs(db: Db, requestId: string) {
  return db
    .selectFrom("request_blobs")
    .select(["id", "size", "chunks"])
    .where("request_id", "=", requestId)
    .orderBy("position")
    .execute();
}

export async function listReceived(db: Db, requestId: string) {
  return db
    .selectFrom("request_blob_chunks")
    .select(["blob_id", "n"])
    .where("request_id", "=", requestId)
    .orderBy("blob_id")
    .orderBy("n")
    .execute();
}

interface ChunkRow {
  requestId: string;
  blobId: string;
  n: number;
  size: number;
  data: Buffer | null;
  at: number;
}

/** Inserts a chunk unless it is there already; true when it is new. */
export async function insertChunk(db: Db, chunk: ChunkRow): Promise<boolean> {
  const row = await db
    .insertInto("request_blob_chunks")
    .values({
      request_id: chunk.requestId,
      blob_id: chunk.blobId,
      n: chunk.n,
      size: chunk.size,
      data: chunk.data,
      stored_at: chunk.at,
    })
    .onConflict((oc) => oc.columns(["request_id", "blob_id", "n"]).doNothing())
    .returning("n")
    .executeTakeFirst();
  return row !== undefined;
}

/** Sending a chunk again replaces it (SPEC §3.1). */
export async function replaceChunk(db: Db, chunk: ChunkRow): Promise<void> {
  await db
    .updateTable("request_blob_chunks")
    .set({ size: chunk.size, data: chunk.data, stored_at: chunk.at })
    .where("request_id", "=", chunk.requestId)
    .where("blob_id", "=", chunk.blobId)
    .where("n", "=", chunk.n)
    .execute();
}

/**
 * Counts an arrived chunk on its request if it is unexpired, still uploading and the token
 * matches: one conditional UPDATE, whose row lock also orders concurrent chunks of one answer.
 * Undefined when the condition failed (the caller rolls back).
 */
export async function countChunk(
  db: Db,
  args: { requestId: string; tokenHash: string; now: number; added: 0 | 1 },
) {
  return db
    .updateTable("requests")
    .set((eb) => ({ chunks_stored: eb("chunks_stored", "+", args.added) }))
    .where("id", "=", args.requestId)
    .where("expires_at", ">", args.now)
    .where("upload_token_hash", "=", args.tokenHash)
    .where((eb) => eb("chunks_stored", "<", eb.ref("chunks_total")))
    .returning(["chunks_stored", "chunks_total"])
    .executeTakeFirst();
}

export async function insertGrant(
  db: Db,
  grant: { tokenHash: string; requestId: string; expiresAt: number },
): Promise<void> {
  await db
    .insertInto("request_download_grants")
    .values({
      token_hash: grant.tokenHash,
      request_id: grant.requestId,
      expires_at: grant.expiresAt,
    })
    .execute();
}

export async function findGrant(db: Db, tokenHash: string) {
  return db
    .selectFrom("request_download_grants")
    .select(["request_id", "expires_at"])
    .where("token_hash", "=", tokenHash)
    .executeTakeFirst();
}

/** Answers whose upload did not finish by `before` (the time of their submit). */
export async function staleUploads(db: Db, args: { before: number; limit: number }) {
  return db
    .selectFrom("requests")
    .select(["id", "upload_token_hash"])
    .where((eb) => eb("chunks_stored", "<", eb.ref("chunks_total")))
    .where("submitted_at", "<=", args.before)
    .limit(args.limit)
    .execute();
}

/**
 * Frees a request from an answer whose files never all arrived: it is open again, as if nothing
 * had been submitted. One conditional UPDATE (the same upload still unfinished), then its blobs
 * and the bytes of its chunks go in the same transaction; chunk rows of S3 objects stay as
 * orphans for `orphanChunks`. True if this call freed it.
 */
export async function releaseUpload(db: Db, args: { id: string; tokenHash: string }) {
  const freed = await db
    .updateTable("requests")
    .set({
      submitted_at: null,
      ephemeral_public_key: null,
      answer_ciphertext: null,
      answer_iv: null,
      blob_count: 0,
      blob_bytes: 0,
      chunks_total: 0,
      chunks_stored: 0,
      upload_token_hash: null,
    })
    .where("id", "=", args.id)
    .where("upload_token_hash", "=", args.tokenHash)
    .where((eb) => eb("chunks_stored", "<", eb.ref("chunks_total")))
    .returning("id")
    .executeTakeFirst();
  if (!freed) return false;
  await db.deleteFrom("request_blobs").where("request_id", "=", args.id).execute();
  await db
    .deleteFrom("request_blob_chunks")
    .where("request_id", "=", args.id)
    .where("data", "is not", null)
    .execute();
  return true;
}

/** Chunk rows whose blob is gone (its request deleted or freed): objects for the sweeper. */
export async function orphanChunks(db: Db, limit: number) {
  return db
    .selectFrom("request_blob_chunks as c")
    .select(["c.request_id", "c.blob_id", "c.n"])
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom("request_blobs as b")
            .select("b.id")
            .whereRef("b.request_id", "=", "c.request_id")
            .whereRef("b.id", "=", "c.blob_id"),
        ),
      ),
    )
    .limit(limit)
    .execute();
}

/** The last step of a purge: the rows of chunks whose objects the store removed. */
export async function deleteChunkRows(
  db: Db,
  keys: { requestId: string; blobId: string; n: number }[],
) {
  for (const key of keys) {
    await db
      .deleteFrom("request_blob_chunks")
      .where("request_id", "=", key.requestId)
      .where("blob_id", "=", key.blobId)
      .where("n", "=", key.n)
      // Only while still an orphan: a blob declared again under the same id keeps its chunks.
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom("request_blobs")
              .select("request_blobs.id")
              .where("request_blobs.request_id", "=", key.requestId)
              .where("request_blobs.id", "=", key.blobId),
          ),
        ),
      )
      .execute();
  }
}

/** Encrypted bytes held for answers (part of the stored-bytes gauge). */
export async function storedBytes(db: Db): Promise<number> {
  const row = await db
    .selectFrom("request_blob_chunks")
    .select(sql<number>`coalesce(sum(size), 0)`.as("bytes"))
    .executeTakeFirst();
  return Number(row?.bytes ?? 0);
}
