/**
 * SQL for what only the files of answers to end-to-end requests need (SPEC F13 with §3.1): the
 * request row's file columns, the count of arrived chunks on it, and what the sweeper lets go and
 * removes. The rows of blobs, chunks and grants themselves are blobs.repository.ts's, on
 * answerFiles. Every function takes the Kysely instance to run on.
 */
import { sql, type Kysely } from "kysely";

import type { Database } from "../../db/schema.js";
import { NO_ANSWER } from "../requests/requests.no-answer.js";

type Db = Kysely<Database>;

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

/**
 * Counts an arrived chunk on its request if it is unexpired, still uploading and the token
 * matches: one conditional UPDATE, whose row lock also orders concurrent chunks of one answer.
 * Undefined when the condition failed (the caller rolls back).
 */
export async function countChunk(
  db: Db,
  args: { id: string; tokenHash: string; now: number; added: boolean },
) {
  return db
    .updateTable("requests")
    .set((eb) => ({ chunks_stored: eb("chunks_stored", "+", args.added ? 1 : 0) }))
    .where("id", "=", args.id)
    .where("expires_at", ">", args.now)
    .where("upload_token_hash", "=", args.tokenHash)
    .where((eb) => eb("chunks_stored", "<", eb.ref("chunks_total")))
    .returning(["chunks_stored", "chunks_total"])
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
    .set(NO_ANSWER)
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

/**
 * Requests with an answer's chunks whose destruction is asked for: an organization's, a
 * requester's, or those expired by `expiredBy` (owner-files.erase.ts erases their chunks first).
 */
export async function requestsWithChunks(
  db: Db,
  scope: { orgId: string } | { requesterId: string } | { expiredBy: number },
): Promise<string[]> {
  const rows = await db
    .selectFrom("requests")
    .select("id")
    .where("chunks_stored", ">", 0)
    .where((eb) =>
      "orgId" in scope
        ? eb("org_id", "=", scope.orgId)
        : "requesterId" in scope
          ? eb("requester_id", "=", scope.requesterId)
          : eb("expires_at", "<=", scope.expiredBy),
    )
    .execute();
  return rows.map((r) => r.id);
}

/** One chunk of an answer whose bytes are in main's row (not the chunk file's empty mark). */
export async function storedAnswerChunk(db: Db, requestId: string) {
  return db
    .selectFrom("request_blob_chunks")
    .select(["blob_id", "n"])
    .where("request_id", "=", requestId)
    .where(sql<number>`length(data)`, ">", 0)
    .limit(1)
    .executeTakeFirst();
}

/**
 * Erases one stored chunk of an answer and counts it off the request, in the caller's
 * transaction (the answer then reads as still uploading: nobody downloads it); 0 if gone already.
 */
export async function eraseAnswerChunk(
  db: Db,
  requestId: string,
  chunk: { blob_id: string; n: number },
): Promise<number> {
  const result = await db
    .deleteFrom("request_blob_chunks")
    .where("request_id", "=", requestId)
    .where("blob_id", "=", chunk.blob_id)
    .where("n", "=", chunk.n)
    .executeTakeFirst();
  const erased = Number(result.numDeletedRows);
  if (erased > 0) {
    await db
      .updateTable("requests")
      .set((eb) => ({ chunks_stored: eb("chunks_stored", "-", erased) }))
      .where("id", "=", requestId)
      .execute();
  }
  return erased;
}
