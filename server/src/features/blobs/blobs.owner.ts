/**
 * Whose files a row belongs to: a share's (SPEC F12) or an answer's to an end-to-end request (F13
 * with §3.1). Both keep the same three tables (declared blobs, stored chunks, download grants)
 * under their own names, keyed by their own owner column; this is all that differs between them in
 * SQL, so blobs.repository.ts is written once against it.
 */
import type { Database } from "../../db/schema.js";
import type { ChunkKey } from "./store/index.js";

/**
 * Names an owner's tables; the compiler checks that each is a table and that the owner column is
 * in all three. (Kysely, given either owner's table, checks the columns the two have in common;
 * the owner column's name comes from here.)
 */
function owner<
  B extends keyof Database,
  C extends keyof Database,
  G extends keyof Database,
  O extends keyof Database[B] & keyof Database[C] & keyof Database[G] & string,
>(names: {
  blobs: B;
  chunks: C;
  grants: G;
  owner: O;
  /** The store's key of a chunk (its S3 object name, its row in the database store). */
  key: (ownerId: string, blobId: string, n: number) => ChunkKey;
}) {
  return names;
}

export const shareFiles = owner({
  blobs: "share_blobs",
  chunks: "blob_chunks",
  grants: "download_grants",
  owner: "share_id",
  key: (shareId, blobId, n) => ({ shareId, blobId, n }),
});

export const answerFiles = owner({
  blobs: "request_blobs",
  chunks: "request_blob_chunks",
  grants: "request_download_grants",
  owner: "request_id",
  key: (requestId, blobId, n) => ({ requestId, blobId, n }),
});

export type FileOwner = typeof shareFiles | typeof answerFiles;

/** The owner a store key names, and its id: the way back from a ChunkKey to the rows. */
export function ownerOf(key: ChunkKey): { files: FileOwner; id: string } {
  return "requestId" in key
    ? { files: answerFiles, id: key.requestId }
    : { files: shareFiles, id: key.shareId };
}
