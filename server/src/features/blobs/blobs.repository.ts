/**
 * SQL for the rows of files (SPEC F12, F13 with §3.1), a share's or an answer's alike: declared
 * blobs, stored chunks, download grants, on the tables of the owner passed in (blobs.owner.ts).
 * What is only a share's is in share-files.repository.ts, what is only a request's in
 * request-files.repository.ts. Every function takes the Kysely instance to run on: the app's, or a
 * transaction's.
 */
import { sql, type Kysely } from "kysely";

import { compiledOnce, type CompiledOnce } from "../../db/compiled-query.js";
import type { Database } from "../../db/schema.js";
import { answerFiles, ownerOf, shareFiles, type FileOwner } from "./blobs.owner.js";
import type { ChunkKey } from "./store/index.js";

type Db = Kysely<Database>;

/**
 * A download reads its blob one 1 MiB chunk at a time, each with the same query: compiled once per
 * owner (their tables differ) and, on SQLite, run straight on the kept statement outside a
 * transaction (db/compiled-query.ts, db/direct-sqlite.ts). Kysely built it anew for every chunk
 * and ran it through its executor's dozen promises (issue 17: 0.88x the server's CPU per MiB
 * downloaded, bench/README.md sixteenth round).
 */
function perOwner<A extends object, R>(
  build: (files: FileOwner) => CompiledOnce<A, R>,
): (files: FileOwner) => CompiledOnce<A, R> {
  const shares = build(shareFiles);
  const answers = build(answerFiles);
  return (files) => (files === shareFiles ? shares : answers);
}

export interface DeclaredBlob {
  id: string;
  size: number;
  chunks: number;
}

export async function insertBlobs(
  db: Db,
  files: FileOwner,
  ownerId: string,
  blobs: DeclaredBlob[],
): Promise<void> {
  if (blobs.length === 0) return;
  await db
    .insertInto(files.blobs)
    .values(
      blobs.map((b, position) => ({
        [files.owner]: ownerId,
        id: b.id,
        position,
        size: b.size,
        chunks: b.chunks,
      })),
    )
    .execute();
}

const findBlobQuery = perOwner((files) =>
  compiledOnce((db: Db, args: { ownerId: string; blobId: string }) =>
    db
      .selectFrom(files.blobs)
      .select(["id", "size", "chunks"])
      .where(files.owner, "=", args.ownerId)
      .where("id", "=", args.blobId),
  ),
);

/** A declared blob of an owner; read once per chunk uploaded and per download. */
export async function findBlob(db: Db, files: FileOwner, ownerId: string, blobId: string) {
  const query = findBlobQuery(files);
  const args = { ownerId, blobId };
  const rows = query.now(db, args) ?? (await query(db, args)).rows;
  return rows[0];
}

export async function listBlobs(db: Db, files: FileOwner, ownerId: string) {
  return db
    .selectFrom(files.blobs)
    .select(["id", "size", "chunks"])
    .where(files.owner, "=", ownerId)
    .orderBy("position")
    .execute();
}

/** The chunks stored of an owner's blobs, in order: for resuming an upload, or for a purge. */
export async function listReceived(db: Db, files: FileOwner, ownerId: string) {
  return db
    .selectFrom(files.chunks)
    .select(["blob_id", "n"])
    .where(files.owner, "=", ownerId)
    .orderBy("blob_id")
    .orderBy("n")
    .execute();
}

type ChunkRow = {
  ownerId: string;
  blobId: string;
  n: number;
  size: number;
  data: Buffer | null;
  at: number;
};

// Each chunk of an upload writes its row with these, in its group write: compiled once per owner,
// run straight on SQLite's statements (as the download's chunkData; twenty-second round).
const insertChunkQuery = perOwner((files) =>
  compiledOnce((db: Db, chunk: ChunkRow) =>
    db
      .insertInto(files.chunks)
      .values({
        [files.owner]: chunk.ownerId,
        blob_id: chunk.blobId,
        n: chunk.n,
        size: chunk.size,
        data: chunk.data,
        stored_at: chunk.at,
      })
      .onConflict((oc) => oc.columns([files.owner, "blob_id", "n"]).doNothing())
      .returning("n"),
  ),
);

const replaceChunkQuery = perOwner((files) =>
  compiledOnce((db: Db, chunk: ChunkRow) =>
    db
      .updateTable(files.chunks)
      .set({ size: chunk.size, data: chunk.data, stored_at: chunk.at })
      .where(files.owner, "=", chunk.ownerId)
      .where("blob_id", "=", chunk.blobId)
      .where("n", "=", chunk.n),
  ),
);

/**
 * Writes a chunk's row: inserted, or, when the chunk was sent before, replaced (SPEC §3.1). True
 * when it is new, so that the owner counts it once.
 */
export async function storeChunk(db: Db, files: FileOwner, chunk: ChunkRow): Promise<boolean> {
  const insert = insertChunkQuery(files);
  const inserted = insert.now(db, chunk) ?? (await insert(db, chunk)).rows;
  if (inserted.length > 0) return true;
  const replace = replaceChunkQuery(files);
  if (replace.now(db, chunk) === undefined) await replace(db, chunk);
  return false;
}

const chunkDataQuery = perOwner((files) =>
  compiledOnce((db: Db, args: { ownerId: string; blobId: string; n: number }) =>
    db
      .selectFrom(files.chunks)
      .select("data")
      .where(files.owner, "=", args.ownerId)
      .where("blob_id", "=", args.blobId)
      .where("n", "=", args.n),
  ),
);

/** One chunk's bytes where the database store keeps them (null when they are in S3). */
export async function chunkData(db: Db, key: ChunkKey): Promise<Buffer | null> {
  const { files, id } = ownerOf(key);
  const query = chunkDataQuery(files);
  const args = { ownerId: id, blobId: key.blobId, n: key.n };
  const rows = query.now(db, args) ?? (await query(db, args)).rows;
  return rows[0]?.data ?? null;
}

export async function insertGrant(
  db: Db,
  files: FileOwner,
  grant: { tokenHash: string; ownerId: string; expiresAt: number },
): Promise<void> {
  await db
    .insertInto(files.grants)
    .values({
      token_hash: grant.tokenHash,
      [files.owner]: grant.ownerId,
      expires_at: grant.expiresAt,
    })
    .execute();
}

export async function findGrant(db: Db, files: FileOwner, tokenHash: string) {
  return db
    .selectFrom(files.grants)
    .select((eb) => [eb.ref(files.owner).as("owner_id"), "expires_at"])
    .where("token_hash", "=", tokenHash)
    .executeTakeFirst();
}

/** Encrypted bytes held for one kind of owner (the stored-bytes gauge adds both). */
export async function storedBytes(db: Db, files: FileOwner): Promise<number> {
  const row = await db
    .selectFrom(files.chunks)
    .select(sql<number>`coalesce(sum(size), 0)`.as("bytes"))
    .executeTakeFirst();
  return Number(row?.bytes ?? 0);
}
