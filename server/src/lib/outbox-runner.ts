/**
 * The loop every outbox runs on every instance (mail: mail.worker.ts, webhooks:
 * webhooks.worker.ts). A pass claims due rows under a fresh claim token with a lease (the
 * feature's repository: one conditional UPDATE, SKIP LOCKED on PostgreSQL, so instances never
 * take one row twice), attempts them side by side, counts what came of each, and claims again
 * while full batches come back. Passes run every interval and on kick(); calls during a pass
 * share it and ask for one more; stop() waits for the pass in progress.
 * The feature keeps what differs: its SQL, the attempt itself, and how a row is settled (with
 * nextAttemptAt below for when to try again, or to give up).
 */
import type { Logger } from "pino";

import type { Clock } from "../clock.js";
import type { DatabaseHandle, Dialect } from "../db/database.js";
import { codeOf } from "./error-code.js";
import { newId } from "./tokens.js";

/** What a claim asks the repository for. */
export interface ClaimArgs {
  now: number;
  leaseMs: number;
  batch: number;
  claimToken: string;
  dialect: Dialect;
}

const DEFAULT_BATCH = 10;

/** What every worker is built with and hands straight to its runner. */
export interface OutboxWorkerDeps {
  database: Pick<DatabaseHandle, "db" | "dialect">;
  clock: Clock;
  logger: Pick<Logger, "warn">;
  /** Between passes; the outbox's own default unless given. */
  intervalMs?: number | undefined;
  /** Rows claimed at a time (10 unless given). */
  batchSize?: number | undefined;
}

/** What differs between outboxes. */
export interface OutboxRunnerOptions<Row, Outcome extends string> {
  /** Names the runner in its log lines ("mail" → "mail run failed"). */
  name: string;
  /** Every outcome an attempt can have; a pass answers a count of each. */
  outcomes: readonly Outcome[];
  /** Longer than one attempt can take, so a live claim never expires mid-attempt. */
  leaseMs: number;
  /** Between passes when the worker was not given intervalMs. */
  defaultIntervalMs: number;
  /** The feature repository's claim. */
  claim: (db: DatabaseHandle["db"], args: ClaimArgs) => Promise<Row[]>;
  /** Attempts one claimed row and settles it (only the holder of `claimToken` can). */
  attempt: (row: Row, claimToken: string) => Promise<Outcome>;
  /** Runs once a pass has attempted everything due, with what came of each row. */
  afterPass?: (settled: readonly { row: Row; outcome: Outcome }[]) => Promise<void>;
}

export type PassResult<Outcome extends string> = Record<Outcome, number>;

/**
 * When to try again after the `attempts`-th failed attempt, or null to give up: after
 * `maxAttempts` attempts, or once `deadline` has passed (the last retry falls on the deadline).
 * The waits are `delays` in order, the last one repeated.
 */
export function nextAttemptAt(
  plan: { delays: readonly number[]; maxAttempts?: number; deadline?: number },
  attempts: number,
  now: number,
): number | null {
  if (plan.maxAttempts !== undefined && attempts >= plan.maxAttempts) return null;
  if (plan.deadline !== undefined && now >= plan.deadline) return null;
  const at = now + (plan.delays[attempts - 1] ?? plan.delays.at(-1) ?? 0);
  return plan.deadline === undefined ? at : Math.min(at, plan.deadline);
}

export function createOutboxRunner<Row, Outcome extends string>(
  deps: OutboxWorkerDeps,
  options: OutboxRunnerOptions<Row, Outcome>,
) {
  const { database, clock, logger } = deps;
  const { name } = options;
  const batchSize = deps.batchSize ?? DEFAULT_BATCH;
  const intervalMs = deps.intervalMs ?? options.defaultIntervalMs;

  let started = false;
  let stopping = false;
  let timer: NodeJS.Timeout | null = null;
  let kickTimer: NodeJS.Timeout | null = null;
  let kickAt = Infinity;
  let running: Promise<PassResult<Outcome>> | null = null;
  let runAgain = false;

  async function pass(): Promise<PassResult<Outcome>> {
    const result = Object.fromEntries(options.outcomes.map((o) => [o, 0])) as PassResult<Outcome>;
    const settled: { row: Row; outcome: Outcome }[] = [];
    for (;;) {
      const claimToken = newId();
      const rows = await options.claim(database.db, {
        now: clock.now(),
        leaseMs: options.leaseMs,
        batch: batchSize,
        claimToken,
        dialect: database.dialect,
      });
      // Side by side: each attempt is bounded by its timeout, well inside the lease.
      const outcomes = await Promise.all(rows.map((row) => options.attempt(row, claimToken)));
      for (const [i, outcome] of outcomes.entries()) {
        result[outcome] += 1;
        settled.push({ row: rows[i] as Row, outcome });
      }
      // Rescheduled rows are not due again within this pass, so this ends.
      if (rows.length < batchSize || stopping) break;
    }
    await options.afterPass?.(settled);
    return result;
  }

  /** One pass over what is due. Calls while a pass runs share it (and trigger one more). */
  function runOnce(): Promise<PassResult<Outcome>> {
    if (running) {
      runAgain = true;
      return running;
    }
    running = pass().finally(() => {
      running = null;
      if (runAgain && started) {
        runAgain = false;
        kick();
      }
    });
    return running;
  }

  function runLogged(): Promise<unknown> {
    return runOnce().catch((error: unknown) =>
      logger.warn({ errorCode: codeOf(error) }, `${name} run failed`),
    );
  }

  /** Runs soon (after `delayMs`), at most one pending nudge; a no-op until start(). */
  function kick(delayMs = 0) {
    if (!started) return;
    const at = Date.now() + delayMs;
    if (kickTimer && kickAt <= at) return;
    if (kickTimer) clearTimeout(kickTimer);
    kickAt = at;
    kickTimer = setTimeout(() => {
      kickTimer = null;
      kickAt = Infinity;
      void runLogged();
    }, delayMs);
    kickTimer.unref();
  }

  function schedule() {
    if (!started) return;
    timer = setTimeout(() => void runLogged().finally(schedule), intervalMs);
    timer.unref();
  }

  return {
    runOnce,
    kick,

    /** Starts the runner: a pass every interval (timer unref'd), plus one now. */
    start: () => {
      if (started) return;
      started = true;
      stopping = false;
      schedule();
      kick();
    },
    /** Stops the runner and waits for the pass in progress. */
    stop: async () => {
      started = false;
      stopping = true;
      if (timer) clearTimeout(timer);
      if (kickTimer) clearTimeout(kickTimer);
      timer = kickTimer = null;
      kickAt = Infinity;
      await running?.catch(() => undefined);
    },
  };
}
