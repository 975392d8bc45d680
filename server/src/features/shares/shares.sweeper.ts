/**
 * Expiry clean-up: destroys expired shares into tombstones and prunes tombstones 30 days after
 * their original expiry. Safe on many instances at once (see expireBatch). Works in small
 * transactions so reveals keep flowing while a large backlog is swept.
 */
import type { Logger } from "pino";

import type { Clock } from "../../clock.js";
import { checkpoint, writeStatement, type DatabaseHandle } from "../../db/database.js";
import type { Metrics } from "../../plugins/metrics.js";
import { sweepRequests } from "../requests/requests.sweeper.js";
import * as repo from "./shares.repository.js";
import { TOMBSTONE_KEEP_MS } from "./shares.service.js";

/**
 * Shares expired per statement. SQLite: small enough that a batch holds the write lock (and the
 * event loop, better-sqlite3 being synchronous) for a few ms. PostgreSQL waits on a socket, not
 * on the event loop, and locks only the rows of the batch, so larger batches mean fewer round
 * trips.
 */
const BATCH = { sqlite: 250, postgres: 1_000 } as const;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface SweepResult {
  expired: number;
  pruned: number;
}

export function createSweeper(deps: {
  database: Pick<DatabaseHandle, "db" | "dialect">;
  clock: Clock;
  logger: Logger;
  metrics: Pick<Metrics, "sharesDestroyed">;
  intervalMs: number;
}) {
  const { database, clock, logger } = deps;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<SweepResult> | null = null;
  let stopped = false;
  // Set by reveals and deletes: content was destroyed since the last checkpoint.
  let destroyedSinceCheckpoint = false;

  async function sweep(): Promise<SweepResult> {
    const now = clock.now();
    let expired = 0;
    const batch = BATCH[database.dialect];
    for (;;) {
      // One UPDATE, atomic by itself: on PostgreSQL one round trip per batch.
      const ids = await writeStatement(database, (db) =>
        repo.expireBatch(db, { now, batch, dialect: database.dialect }),
      );
      expired += ids.length;
      if (ids.length < batch || stopped) break;
      // better-sqlite3 is synchronous: without a real yield the batches run back to back and
      // the server answers nothing until the whole backlog is gone.
      await yieldToEventLoop();
    }
    if (expired > 0) deps.metrics.sharesDestroyed.inc({ reason: "expired" }, expired);
    let pruned = 0;
    for (;;) {
      const n = await repo.pruneTombstones(database.db, {
        before: now - TOMBSTONE_KEEP_MS,
        batch,
      });
      pruned += n;
      if (n < batch || stopped) break;
      await yieldToEventLoop();
    }
    // Secret requests past expiry go with their values (features/requests).
    const requestsDestroyed = await sweepRequests(database, now);
    if (expired > 0 || pruned > 0 || requestsDestroyed > 0 || destroyedSinceCheckpoint) {
      destroyedSinceCheckpoint = false;
      await checkpoint(database);
    }
    if (expired > 0 || pruned > 0) logger.info({ expired, pruned }, "sweep");
    return { expired, pruned };
  }

  /** One sweep; concurrent callers share the run in progress. */
  function runOnce(): Promise<SweepResult> {
    running ??= sweep().finally(() => {
      running = null;
    });
    return running;
  }

  function schedule() {
    if (stopped) return;
    timer = setTimeout(() => {
      runOnce()
        .catch((error: unknown) =>
          logger.warn({ errorCode: (error as { code?: unknown }).code }, "sweep failed"),
        )
        .finally(schedule);
    }, deps.intervalMs);
    timer.unref();
  }

  return {
    runOnce,
    markDestroyed() {
      destroyedSinceCheckpoint = true;
    },
    start() {
      stopped = false;
      schedule();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}
export type Sweeper = ReturnType<typeof createSweeper>;
