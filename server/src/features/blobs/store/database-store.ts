/** BLOB_STORE=database: chunk bytes in blob_chunks.data, erased with the row (and the share). */
import type { BlobStore } from "./blob-store.js";

export function createDatabaseBlobStore(): BlobStore {
  return {
    kind: "database",
    put: (_key, bytes) => Promise.resolve(bytes),
    async get(db, key) {
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
