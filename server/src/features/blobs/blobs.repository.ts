/**
 * SQL for files (SPEC F12), and nothing else. Every function takes the Kysely instance to run on:
 * the app's, or a transaction's.
 */
import { sql, type Kysely } from "kysely";

import type { Database } from "../../db/schema.js";

type Db = Kysely<Database>;

export interface DeclaredBlob {
  id: string;
  size: number;
  chunks: number;
}

export async function insertBlobs(db: Db, shareId: string, blobs: DeclaredBlob[]): Promise<void> {
  if (blobs.length === 0) return;
  await db
    .insertInto("share_blobs")
    .values(
      blobs.map((b, position) => ({
        share_id: shareId,
        id: b.id,
        position,
        size: b.size,
        chunks: b.chunks,
      })),
    )
    .execute();
}

/** What an upload or a download needs to know of its share. */
export async function findFileShare(db: Db, id: string) {
  return db
    .selectFrom("shares")
    .select([
      "id",
      "status",
      "expires_at",
      "gone_at",
      "upload_token_hash",
      "chunks_total",
      "chunks_stored",
      "blob_count",
      "parent_id",
    ])
    .where("id", "=", id)
    .executeTakeFirst();
}

export async function findBlob(db: Db, shareId: string, blobId: string) {
  return db
    .selectFrom("share_blobs")
    .select(["id", "size", "chunks"])
    .where("share_id", "=", shareId)
    .where("id", "=", blobId)
    .executeTakeFirst();
}

export async function listBlobs(db: Db, shareId: string) {
  return db
    .selectFrom("share_blobs")
    .select(["id", "size", "chunks"])
    .where("share_id", "=", shareId)
    .orderBy("position")
    .execute();
}

export async function listReceived(db: Db, shareId: string) {
  return db
    .selectFrom("blob_chunks")
    .select(["blob_id", "n"])
    .where("share_id", "=", shareId)
    .orderBy("blob_id")
    .orderBy("n")
    .execute();
}

/** Inserts a chunk unless it is there already; true when it is new. */
export async function insertChunk(
  db: Db,
  chunk: {
    shareId: string;
    blobId: string;
    n: number;
    size: number;
    data: Buffer | null;
    at: number;
  },
): Promise<boolean> {
  const row = await db
    .insertInto("blob_chunks")
    .values({
      share_id: chunk.shareId,
      blob_id: chunk.blobId,
      n: chunk.n,
      size: chunk.size,
      data: chunk.data,
      stored_at: chunk.at,
    })
    .onConflict((oc) => oc.columns(["share_id", "blob_id", "n"]).doNothing())
    .returning("n")
    .executeTakeFirst();
  return row !== undefined;
}

/** Sending a chunk again replaces it (SPEC §3.1). */
export async function replaceChunk(
  db: Db,
  chunk: {
    shareId: string;
    blobId: string;
    n: number;
    size: number;
    data: Buffer | null;
    at: number;
  },
): Promise<void> {
  await db
    .updateTable("blob_chunks")
    .set({ size: chunk.size, data: chunk.data, stored_at: chunk.at })
    .where("share_id", "=", chunk.shareId)
    .where("blob_id", "=", chunk.blobId)
    .where("n", "=", chunk.n)
    .execute();
}

/**
 * Counts an arrived chunk on its share, if the share is live, unexpired, still uploading and the
 * token matches: one conditional UPDATE, whose row lock also orders concurrent chunks of one share.
 * Returns the counts after it, or undefined when the condition failed (the caller rolls back).
 */
/**
 * The same count on the recipients' own links of a share (F14), which open its files: a link is
 * ready when the share is. In the chunk's transaction, after countChunk held the share's row.
 */
export async function countChunkForLinks(db: Db, args: { parentId: string; added: number }) {
  await db
    .updateTable("shares")
    .set((eb) => ({ chunks_stored: eb("chunks_stored", "+", args.added) }))
    .where("parent_id", "=", args.parentId)
    .execute();
}

export async function countChunk(
  db: Db,
  args: { shareId: string; tokenHash: string; now: number; added: 0 | 1 },
) {
  return db
    .updateTable("shares")
    .set((eb) => ({ chunks_stored: eb("chunks_stored", "+", args.added) }))
    .where("id", "=", args.shareId)
    .where("status", "=", "active")
    .where("expires_at", ">", args.now)
    .where("upload_token_hash", "=", args.tokenHash)
    .where((eb) => eb("chunks_stored", "<", eb.ref("chunks_total")))
    .returning(["chunks_stored", "chunks_total"])
    .executeTakeFirst();
}

export async function insertGrant(
  db: Db,
  grant: { tokenHash: string; shareId: string; expiresAt: number },
): Promise<void> {
  await db
    .insertInto("download_grants")
    .values({ token_hash: grant.tokenHash, share_id: grant.shareId, expires_at: grant.expiresAt })
    .execute();
}

export async function findGrant(db: Db, tokenHash: string) {
  return db
    .selectFrom("download_grants")
    .select(["share_id", "expires_at"])
    .where("token_hash", "=", tokenHash)
    .executeTakeFirst();
}

/**
 * Shares whose blobs may go now: destroyed (any reason) with no download window still open.
 * Driven from share_blobs, which only holds the blobs not yet removed.
 */
export async function purgeCandidates(db: Db, args: { now: number; limit: number }) {
  const rows = await db
    .selectFrom("share_blobs")
    .innerJoin("shares", "shares.id", "share_blobs.share_id")
    .select("shares.id")
    .distinct()
    .where("shares.status", "<>", "active")
    // An open download window keeps the files only of a share whose views ran out; a deleted,
    // expired or locked one loses them at once, grants or not (SPEC §3.1).
    .where((eb) =>
      eb.or([
        eb("shares.status", "<>", "viewed"),
        eb.not(
          eb.exists(
            eb
              .selectFrom("download_grants")
              .select("download_grants.share_id")
              .whereRef("download_grants.share_id", "=", "shares.id")
              .where("download_grants.expires_at", ">", args.now),
          ),
        ),
      ]),
    )
    .limit(args.limit)
    .execute();
  return rows.map((r) => r.id);
}

export async function chunkKeys(db: Db, shareId: string) {
  return db
    .selectFrom("blob_chunks")
    .select(["blob_id", "n"])
    .where("share_id", "=", shareId)
    .execute();
}

/** The last step of a purge: the rows (and, for the database store, the bytes in them). */
export async function deleteShareBlobs(db: Db, shareId: string): Promise<number> {
  const chunks = await db.deleteFrom("blob_chunks").where("share_id", "=", shareId).execute();
  await db.deleteFrom("share_blobs").where("share_id", "=", shareId).execute();
  // Grants stay (a hash and a time each) until the tombstone is pruned, which cascades to them:
  // their holders keep being told the share is gone or the window ended (410), never that the
  // token is unknown (404).
  return Number(chunks[0]?.numDeletedRows ?? 0);
}

/** Live shares whose upload did not finish by `before` (their creation time). */
export async function staleUploads(db: Db, args: { before: number; limit: number }) {
  const rows = await db
    .selectFrom("shares")
    .select("id")
    .where((eb) => eb("chunks_stored", "<", eb.ref("chunks_total")))
    .where("created_at", "<=", args.before)
    .where("status", "=", "active")
    .limit(args.limit)
    .execute();
  return rows.map((r) => r.id);
}

/** Encrypted bytes held for shares (the stored-bytes gauge). */
export async function storedBytes(db: Db): Promise<number> {
  const row = await db
    .selectFrom("blob_chunks")
    .select(sql<number>`coalesce(sum(size), 0)`.as("bytes"))
    .executeTakeFirst();
  return Number(row?.bytes ?? 0);
}
