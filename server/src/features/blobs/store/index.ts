import type { Config } from "../../../config.js";
import type { BlobStore } from "./blob-store.js";
import { createDatabaseBlobStore } from "./database-store.js";
import { createS3BlobStore } from "./s3-store.js";

export type { BlobStore, ChunkKey } from "./blob-store.js";

export function createBlobStore(files: Config["files"]): BlobStore {
  return files.store === "s3" ? createS3BlobStore(files.s3) : createDatabaseBlobStore();
}
