/**
 * The expiry job of the app: on a timer, each feature's own sweep (shares, secret requests, pending
 * sign-ins), then on SQLite a WAL checkpoint so destroyed bytes leave the disk files. Safe on many instances
 * at once: every sweep's statements are guarded by their WHERE clauses (see each feature).
 */
import type { Logger } from "pino";

import type { Clock } from "../clock.js";
import { checkpoint, type DatabaseHandle } from "../db/database.js";
import { eraseStoredChunks } from "../features/blobs/share-chunks.erase.js";
import { sweepPendingSignIns } from "../features/auth/pending-signins.sweeper.js";
import { sweepRequests } from "../features/requests/requests.sweeper.js";
import {
  sweepShares,
  type ExpiredOrgShare,
  type ShareSweep,
} from "../features/shares/shares.sweeper.js";
import { codeOf } from "../lib/error-code.js";
import type { Metrics } from "../plugins/metrics.js";

export type SweepResult = ShareSweep;

export function createSweeper(deps: {
  database: Pick<DatabaseHandle, "db" | "dialect">;
  clock: Clock;
  logger: Logger;
  metrics: Pick<Metrics, "sharesDestroyed" | "sweeps">;
  intervalMs: number;
  /** The audit log's retention (features/audit): entries past it go, the cut's hash stays. */
  pruneAudit?: () => Promise<unknown>;
  /** Organization shares this sweep expired (the audit log's `share.expired`). */
  onSharesExpired?: (shares: ExpiredOrgShare[]) => Promise<void>;
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
    let pruned = 0;
    let requestsDestroyed = 0;
    let finished = false;
    try {
      ({ expired, pruned } = await sweepShares(
        database,
        now,
        () => stopped,
        deps.onSharesExpired,
        (id) => eraseStoredChunks(database, id),
      ));
      if (expired > 0) deps.metrics.sharesDestroyed.inc({ reason: "expired" }, expired);
      // Secret requests past expiry go with their values (features/requests).
      requestsDestroyed = await sweepRequests(database, now);
      // Sign-ins left between the password and the second factor (features/auth).
      await sweepPendingSignIns(database, now);
      await deps.pruneAudit?.();
      finished = true;
    } finally {
      // Also after a step failed (a full disk refuses writes other than destructions): the shares
      // destroyed meanwhile must still leave the WAL and the database file.
      if (
        !finished ||
        expired > 0 ||
        pruned > 0 ||
        requestsDestroyed > 0 ||
        destroyedSinceCheckpoint
      ) {
        destroyedSinceCheckpoint = false;
        await checkpoint(database);
      }
    }
    if (expired > 0 || pruned > 0) logger.info({ expired, pruned }, "sweep");
    deps.metrics.sweeps.inc();
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
        .catch((error: unknown) => logger.warn({ errorCode: codeOf(error) }, "sweep failed"))
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
