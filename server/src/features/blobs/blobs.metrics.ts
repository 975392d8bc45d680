/**
 * Metrics of files: bytes uploaded, downloaded and held, blobs destroyed. Registered on the app's
 * registry (one per app, as for every metric), the stored bytes read from the database on scrape.
 */
import { Gauge, type Registry } from "prom-client";

import type { DatabaseHandle } from "../../db/database.js";
import { counter } from "../../plugins/metrics.js";
import { answerFiles, shareFiles } from "./blobs.owner.js";
import { storedBytes } from "./blobs.repository.js";

export function createBlobMetrics(registry: Registry, database: Pick<DatabaseHandle, "db">) {
  const bytesUploaded = counter(
    registry,
    "hushlink_blob_bytes_uploaded_total",
    "Encrypted file bytes received in chunk uploads",
  );
  const bytesDownloaded = counter(
    registry,
    "hushlink_blob_bytes_downloaded_total",
    "Encrypted file bytes sent in downloads",
  );
  const blobsDestroyed = counter(
    registry,
    "hushlink_blobs_destroyed_total",
    "Files removed from the store (with their share, after the download window, or unfinished)",
  );
  new Gauge({
    name: "hushlink_blob_bytes_stored",
    help: "Encrypted file bytes held in the blob store",
    registers: [registry],
    async collect() {
      this.set(
        (await storedBytes(database.db, shareFiles)) +
          (await storedBytes(database.db, answerFiles)),
      );
    },
  });
  return { bytesUploaded, bytesDownloaded, blobsDestroyed };
}

export type BlobMetrics = ReturnType<typeof createBlobMetrics>;
