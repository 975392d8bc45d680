/**
 * Metrics of files: bytes uploaded, downloaded and held, blobs destroyed. Registered on the app's
 * registry (one per app, as for every metric), the stored bytes read from the database on scrape.
 */
import { Counter, Gauge, type Registry } from "prom-client";

import type { DatabaseHandle } from "../../db/database.js";
import { answerFiles, shareFiles } from "./blobs.owner.js";
import { storedBytes } from "./blobs.repository.js";

export function createBlobMetrics(registry: Registry, database: Pick<DatabaseHandle, "db">) {
  const bytesUploaded = new Counter({
    name: "hushlink_blob_bytes_uploaded_total",
    help: "Encrypted file bytes received in chunk uploads",
    registers: [registry],
  });
  const bytesDownloaded = new Counter({
    name: "hushlink_blob_bytes_downloaded_total",
    help: "Encrypted file bytes sent in downloads",
    registers: [registry],
  });
  const blobsDestroyed = new Counter({
    name: "hushlink_blobs_destroyed_total",
    help: "Files removed from the store (with their share, after the download window, or unfinished)",
    registers: [registry],
  });
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
