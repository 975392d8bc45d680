/**
 * The blob sweeper's part for answers to requests (SPEC F13 with §3.1): lets go of uploads still
 * unfinished UNFINISHED_UPLOAD_MS after their submit (the request is open again), and removes the
 * stored chunks no blob owns any more (a request deleted, expired or let go): the objects first,
 * then their rows, so a failing S3 request leaves the rows for the next run.
 */
import type { Logger } from "pino";

import { writeTransaction, type DatabaseHandle } from "../../db/database.js";
import { codeOf } from "../../lib/error-code.js";
import type { BlobMetrics } from "./blobs.metrics.js";
import * as repo from "./request-files.repository.js";
import type { BlobStore } from "./store/index.js";

const BATCH = 500;

interface SweepDeps {
  database: Pick<DatabaseHandle, "db" | "dialect">;
  store: BlobStore;
  logger: Logger;
  metrics: BlobMetrics;
}

/** Lets go of the answers' uploads unfinished for `unfinishedMs`; answers how many. */
export async function releaseStaleAnswers(
  deps: Pick<SweepDeps, "database">,
  args: { now: number; unfinishedMs: number },
): Promise<number> {
  const { database } = deps;
  let released = 0;
  const stale = await repo.staleUploads(database.db, {
    before: args.now - args.unfinishedMs,
    limit: BATCH,
  });
  for (const row of stale) {
    if (row.upload_token_hash === null) continue;
    const tokenHash = row.upload_token_hash;
    if (
      await writeTransaction(database, (trx) => repo.releaseUpload(trx, { id: row.id, tokenHash }))
    )
      released++;
  }
  return released;
}

/** Removes the chunks no answer's blob owns any more; answers how many. */
export async function purgeOrphanAnswerChunks(deps: SweepDeps): Promise<number> {
  const { database, store } = deps;
  let purged = 0;
  for (;;) {
    const rows = await repo.orphanChunks(database.db, BATCH);
    if (rows.length === 0) break;
    const keys = rows.map((r) => ({ requestId: r.request_id, blobId: r.blob_id, n: r.n }));
    try {
      await store.remove(keys);
    } catch (error) {
      deps.logger.warn(
        { errorCode: codeOf(error, "name") },
        "could not remove an answer's files yet; the next sweep retries",
      );
      break;
    }
    await writeTransaction(database, (trx) => repo.deleteChunkRows(trx, keys));
    deps.metrics.blobsDestroyed.inc(new Set(keys.map((k) => `${k.requestId}/${k.blobId}`)).size);
    purged += rows.length;
    if (rows.length < BATCH) break;
  }
  return purged;
}
