/**
 * SQL for what only a share's files need (SPEC F12): the share row's file columns, the count of
 * arrived chunks on it and on its recipients' links (F14), and what the sweeper removes. The rows
 * of blobs, chunks and grants themselves are blobs.repository.ts's, on shareFiles. Every function
 * takes the Kysely instance to run on.
 */
import { sql, type Kysely } from "kysely";

import { compiledOnce } from "../../db/compiled-query.js";
import type { Database } from "../../db/schema.js";

type Db = Kysely<Database>;

/**
 * Every chunk of an upload reads its share and counts itself on it (and on its links) with the same
 * three statements: compiled once (db/compiled-query.ts) and on SQLite run straight on the kept
 * statements, the read outside a transaction and the counts inside the chunk's group write,
 * instead of Kysely building each and running it through its executor's promises, chunk after
 * chunk (issue 17: bench/README.md, twenty-second round).
 */
const findFileShareQuery = compiledOnce((db: Db, args: { id: string }) =>
  db
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
    .where("id", "=", args.id),
);

/** What an upload or a download needs to know of its share. */
export async function findFileShare(db: Db, id: string) {
  const args = { id };
  const rows = findFileShareQuery.now(db, args) ?? (await findFileShareQuery(db, args)).rows;
  return rows[0];
}

const countChunkQuery = compiledOnce(
  (db: Db, args: { id: string; tokenHash: string; now: number; added: boolean }) =>
    db
      .updateTable("shares")
      .set((eb) => ({ chunks_stored: eb("chunks_stored", "+", args.added ? 1 : 0) }))
      .where("id", "=", args.id)
      .where("status", "=", "active")
      .where("expires_at", ">", args.now)
      .where("upload_token_hash", "=", args.tokenHash)
      .where((eb) => eb("chunks_stored", "<", eb.ref("chunks_total")))
      .returning(["chunks_stored", "chunks_total"]),
);

/**
 * Counts an arrived chunk on its share, if the share is live, unexpired, still uploading and the
 * token matches: one conditional UPDATE, whose row lock also orders concurrent chunks of one share.
 * Returns the counts after it, or undefined when the condition failed (the caller rolls back).
 */
export async function countChunk(
  db: Db,
  args: { id: string; tokenHash: string; now: number; added: boolean },
) {
  const rows = countChunkQuery.now(db, args) ?? (await countChunkQuery(db, args)).rows;
  return rows[0];
}

const countChunkForLinksQuery = compiledOnce((db: Db, args: { parentId: string; added: number }) =>
  db
    .updateTable("shares")
    .set((eb) => ({ chunks_stored: eb("chunks_stored", "+", args.added) }))
    .where("parent_id", "=", args.parentId),
);

/**
 * The same count on the recipients' own links of a share (F14), which open its files: a link is
 * ready when the share is. In the chunk's transaction, after countChunk held the share's row.
 */
export async function countChunkForLinks(db: Db, args: { parentId: string; added: number }) {
  if (countChunkForLinksQuery.now(db, args) === undefined) await countChunkForLinksQuery(db, args);
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

/** The last step of a purge: the rows (and, for the database store, the bytes in them). */
export async function deleteShareBlobs(db: Db, shareId: string): Promise<number> {
  const chunks = await db.deleteFrom("blob_chunks").where("share_id", "=", shareId).execute();
  await db.deleteFrom("share_blobs").where("share_id", "=", shareId).execute();
  // Grants stay (a hash and a time each) until the tombstone is pruned, which cascades to them:
  // their holders keep being told the share is gone or the window ended (410), never that the
  // token is unknown (404).
  return Number(chunks[0]?.numDeletedRows ?? 0);
}

/**
 * Up to `limit` chunks of a share whose bytes are in the database's rows (share-chunks.erase.ts):
 * not the chunk file's empty marks (chunk-file-store.ts), which the destroying statement deletes.
 */
export async function storedChunkKeys(db: Db, args: { shareId: string; limit: number }) {
  return db
    .selectFrom("blob_chunks")
    .select(["blob_id", "n"])
    .where("share_id", "=", args.shareId)
    .where(sql<number>`length(data)`, ">", 0)
    .limit(args.limit)
    .execute();
}

/**
 * Erases one stored chunk and counts it off the share and its recipients' links (F14), in the
 * caller's transaction; 0 when it was gone already.
 */
export async function eraseChunk(
  db: Db,
  shareId: string,
  chunk: { blob_id: string; n: number },
): Promise<number> {
  const result = await db
    .deleteFrom("blob_chunks")
    .where("share_id", "=", shareId)
    .where("blob_id", "=", chunk.blob_id)
    .where("n", "=", chunk.n)
    .where("data", "is not", null)
    .executeTakeFirst();
  const erased = Number(result.numDeletedRows);
  if (erased > 0) {
    await db
      .updateTable("shares")
      .set((eb) => ({ chunks_stored: eb("chunks_stored", "-", erased) }))
      .where((eb) => eb.or([eb("id", "=", shareId), eb("parent_id", "=", shareId)]))
      .execute();
  }
  return erased;
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

/**
 * Live shares of an organization (or of a creator) that count stored chunks: those an
 * organization's or an account's deletion destroys, whose chunks go first (owner-files.erase.ts).
 */
export async function liveSharesWithChunks(
  db: Db,
  scope: { orgId: string } | { creatorId: string },
): Promise<string[]> {
  const rows = await db
    .selectFrom("shares")
    .select("id")
    .where("status", "=", "active")
    .where("chunks_stored", ">", 0)
    .where((eb) =>
      "orgId" in scope ? eb("org_id", "=", scope.orgId) : eb("creator_id", "=", scope.creatorId),
    )
    .execute();
  return rows.map((r) => r.id);
}
