/**
 * Removes files whose time is over: the blobs of destroyed shares (at once after a delete, expiry
 * or lock; when the last download window closes after the last view) and shares whose upload did
 * not finish within 24 hours; for answers to requests, request-files.sweep.ts. The chunk rows go only after the store has removed the objects, so a
 * failing S3 request leaves the rows for the next run: nothing is forgotten, only retried.
 */
import type { Kysely } from "kysely";
import type { Logger } from "pino";

import type { Clock } from "../../clock.js";
import { checkpoint, writeTransaction, type DatabaseHandle } from "../../db/database.js";
import { codeOf } from "../../lib/error-code.js";
import type { Database } from "../../db/schema.js";
import { answerFiles, shareFiles } from "./blobs.owner.js";
import { listBlobs, listReceived } from "./blobs.repository.js";
import * as repo from "./share-files.repository.js";
import { eraseStoredChunks } from "./share-chunks.erase.js";
import { purgeOrphanAnswerChunks, releaseStaleAnswers } from "./request-files.sweep.js";
import type { BlobMetrics } from "./blobs.metrics.js";
import type { BlobStore } from "./store/index.js";

type Scope = "purge" | "all";

/** Shares (and answers' chunks) purged, uploads abandoned, chunk-file orphans removed. */
export interface SweepResult {
  purged: number;
  abandoned: number;
  orphans: number;
}

export const UNFINISHED_UPLOAD_MS = 24 * 3600 * 1000;
const BATCH = 50;

export function createBlobSweeper(deps: {
  database: Pick<DatabaseHandle, "db" | "dialect">;
  clock: Clock;
  store: BlobStore;
  logger: Logger;
  metrics: BlobMetrics;
  /**
   * The shares feature's own destroy, as a tombstone "expired" at `at`; true if this call did it.
   * Passed in by app.ts, so this feature reads none of the shares feature's internals.
   */
  expireShare: (trx: Kysely<Database>, id: string, at: number) => Promise<boolean>;
}) {
  const { database, clock, store, logger } = deps;
  let running: Promise<SweepResult> | null = null;
  // What a call during a run asked for: a purge only (a kick), or everything (null: nothing).
  let again: Scope | null = null;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;

  async function abandonUploads(now: number): Promise<number> {
    const ids = await repo.staleUploads(database.db, {
      before: now - UNFINISHED_UPLOAD_MS,
      limit: BATCH,
    });
    let abandoned = 0;
    for (const id of ids) {
      // A destruction: on SQLite its chunks with bytes go first, one per write, and it may use
      // the disk reserve's room, so a full disk does not keep abandoned uploads (and stop this
      // run before the purge).
      await eraseStoredChunks(database, id);
      // An expired tombstone: the link holder reads "expired", which is what it amounts to.
      const expired = await writeTransaction(database, (trx) => deps.expireShare(trx, id, now), {
        destroys: true,
      });
      if (expired) abandoned++;
    }
    return abandoned;
  }

  /**
   * The chunk file (chunk-file-store.ts): the rows first, then the bytes right after. A failure
   * or a crash between the two leaves bytes without rows, which the orphan sweep removes.
   */
  async function purgeRowsFirst(id: string): Promise<void> {
    const blobs = (await listBlobs(database.db, shareFiles, id)).length;
    await writeTransaction(database, (trx) => repo.deleteShareBlobs(trx, id), { destroys: true });
    deps.metrics.blobsDestroyed.inc(blobs);
    await store.removeOwner!({ shareId: id }).catch((error: unknown) =>
      logger.warn(
        { errorCode: codeOf(error, "name") },
        "could not remove a share's chunks from the chunk file yet; the next sweep retries",
      ),
    );
  }

  /** The chunk file's chunks whose rows are gone (a crash between the two deletes, a refusal). */
  async function sweepOrphans(): Promise<number> {
    if (!store.sweepOrphans) return 0;
    return store
      .sweepOrphans(async (owner) => {
        const files = "requestId" in owner ? answerFiles : shareFiles;
        const id = "requestId" in owner ? owner.requestId : owner.shareId;
        const rows = await listReceived(database.db, files, id);
        return new Set(rows.map((r) => `${r.blob_id}/${r.n}`));
      })
      .catch((error: unknown) => {
        // A full disk, say: the bytes have no row, nobody can read them; the next sweep retries.
        logger.warn(
          { errorCode: codeOf(error, "name") },
          "could not remove orphan chunks from the chunk file yet; the next sweep retries",
        );
        return 0;
      });
  }

  async function purge(now: number): Promise<number> {
    let purged = 0;
    for (;;) {
      const ids = await repo.purgeCandidates(database.db, { now, limit: BATCH });
      let failed = 0;
      for (const id of ids) {
        try {
          if (store.removeOwner) {
            await purgeRowsFirst(id);
            purged++;
            continue;
          }
          const keys = await listReceived(database.db, shareFiles, id);
          await store.remove(keys.map((k) => shareFiles.key(id, k.blob_id, k.n)));
          const blobs = (await listBlobs(database.db, shareFiles, id)).length;
          await writeTransaction(database, (trx) => repo.deleteShareBlobs(trx, id));
          deps.metrics.blobsDestroyed.inc(blobs);
          purged++;
        } catch (error) {
          failed++;
          logger.warn(
            { errorCode: codeOf(error, "name") },
            "could not remove a share's files yet; the next sweep retries",
          );
        }
      }
      if (ids.length < BATCH || failed > 0) break;
    }
    return purged;
  }

  async function run(scope: Scope) {
    const now = clock.now();
    let abandoned = 0;
    if (scope === "all") {
      abandoned += await abandonUploads(now);
      // Answers to requests whose upload did not finish: the request is open again.
      abandoned += await releaseStaleAnswers(deps, { now, unfinishedMs: UNFINISHED_UPLOAD_MS });
    }
    // The files of destroyed shares, then the chunks of answers no request owns any more.
    const purged = (await purge(now)) + (await purgeOrphanAnswerChunks(deps));
    const orphans = scope === "all" ? await sweepOrphans() : 0;
    if (purged > 0 || abandoned > 0 || orphans > 0) {
      await checkpoint(database);
      logger.info({ purged, abandoned, orphans }, "files swept");
    }
    return { purged, abandoned, orphans };
  }

  /**
   * One run; a call during a run schedules one more right after it, as wide as the widest call
   * asked for ("all" includes the purge).
   */
  function runOnce(scope: Scope = "all"): Promise<SweepResult> {
    if (running) {
      if (again !== "all") again = scope;
      return running;
    }
    running = run(scope).finally(() => {
      running = null;
      if (again) {
        const next = again;
        again = null;
        void runOnce(next).catch(() => undefined);
      }
    });
    return running;
  }

  return {
    runOnce: () => runOnce("all"),
    /**
     * After a share was deleted, expired or locked: remove its objects now rather than at the next
     * sweep. Only the purge, which is driven from the blobs not yet removed: the abandoned uploads
     * and the requests' files are a matter of hours and scan their tables, so they wait for the
     * interval (a kick per destroyed share once scanned every share: 27 one-view cycles/s in the
     * bench instead of thousands).
     */
    kick() {
      void runOnce("purge").catch((error: unknown) =>
        logger.warn({ errorCode: codeOf(error, "name") }, "files sweep failed"),
      );
    },
    /** Runs every `intervalMs` until stopped (the share sweeper's interval). */
    start(intervalMs: number) {
      stopped = false;
      const schedule = () => {
        if (stopped) return;
        timer = setTimeout(() => {
          runOnce()
            .catch((error: unknown) =>
              logger.warn({ errorCode: codeOf(error, "name") }, "files sweep failed"),
            )
            .finally(schedule);
        }, intervalMs);
        timer.unref();
      };
      schedule();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      again = null;
      await running?.catch(() => undefined);
    },
  };
}

export type BlobSweeper = ReturnType<typeof createBlobSweeper>;
