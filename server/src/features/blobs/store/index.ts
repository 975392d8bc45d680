import type { Logger } from "pino";

import type { Config } from "../../../config.js";
import { codeOf } from "../../../lib/error-code.js";
import type { BlobStore } from "./blob-store.js";
import type { DatabaseHandle } from "../../../db/database.js";
import { createChunkFileStore } from "./chunk-file-store.js";
import { createDatabaseBlobStore } from "./database-store.js";
import { createS3BlobStore } from "./s3-store.js";

export type { BlobStore, ChunkKey, ChunkOwner } from "./blob-store.js";

/** S3; on SQLite the chunk file beside the database (chunk-file-store.ts); else the rows. */
export function createBlobStore(
  files: Config["files"],
  database: Pick<DatabaseHandle, "dialect" | "file" | "diskReserve">,
): BlobStore {
  if (files.store === "s3") return createS3BlobStore(files.s3);
  if (database.dialect === "sqlite" && database.file) {
    return createChunkFileStore({ mainFile: database.file, reserve: database.diskReserve ?? null });
  }
  return createDatabaseBlobStore();
}

/**
 * At start (not awaited): whether the store can be used as configured, in the log, so a bucket
 * that does not exist or keys S3 refuses show then and not at the first upload. Never refuses
 * the start: S3 may be down for a moment, and a bucket policy may allow objects but not
 * HeadBucket (the line then says so).
 */
export function reportBlobStore(
  store: BlobStore,
  logger: Pick<Logger, "info" | "error">,
  bucket: string | null,
): void {
  void store.check?.().then(
    () => logger.info({ bucket }, "S3 bucket reachable"),
    (error: unknown) =>
      logger.error(
        { bucket, errorCode: codeOf(error) },
        "S3 bucket not usable: file uploads and downloads answer 503 until it is (check S3_BUCKET, S3_ENDPOINT, S3_REGION and the keys)",
      ),
  );
}
