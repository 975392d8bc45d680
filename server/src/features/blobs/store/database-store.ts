/**
 * BLOB_STORE=database: chunk bytes in blob_chunks.data (request_blob_chunks.data for a request's
 * answer), erased with the row (and the share, or the request).
 */
import type { BlobStore } from "./blob-store.js";

export function createDatabaseBlobStore(): BlobStore {
  return {
    kind: "database",
    put: (_key, bytes) => Promise.resolve(bytes),
    async get(db, key) {
      if ("requestId" in key) {
        const answer = await db
          .selectFrom("request_blob_chunks")
          .select("data")
          .where("request_id", "=", key.requestId)
          .where("blob_id", "=", key.blobId)
          .where("n", "=", key.n)
          .executeTakeFirst();
        return answer?.data ?? null;
      }
      const row = await db
        .selectFrom("blob_chunks")
        .select("data")
        .where("share_id", "=", key.shareId)
        .where("blob_id", "=", key.blobId)
        .where("n", "=", key.n)
        .executeTakeFirst();
      return row?.data ?? null;
    },
    // Nothing outside the rows: deleting them (or the share's erase trigger) removes the bytes.
    remove: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
}
