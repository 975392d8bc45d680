/**
 * The webhook delivery worker: on every instance, claims due deliveries, POSTs each one signed,
 * and settles it. Retries back off (RETRY_DELAYS_MS) for 24 hours after the event, then the
 * delivery is marked failed; settled rows stay as the endpoint's delivery log for 30 days.
 * Instances never send one delivery twice: claims are leases taken by one conditional UPDATE
 * (SKIP LOCKED on PostgreSQL), and only the claim's holder can settle it.
 * Logs carry {id, attempts, errorCode}: never a URL's secret part, a body or a signature.
 */
import type { Logger } from "pino";

import type { Clock } from "../../clock.js";
import type { DatabaseHandle } from "../../db/database.js";
import { codeOf } from "../../lib/error-code.js";
import { newId } from "../../lib/tokens.js";
import { DELIVERY_TIMEOUT_MS, postWebhook, type Resolve } from "./webhooks.http.js";
import * as repo from "./webhooks.repository.js";
import { signedHeaders } from "./webhooks.signing.js";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
/** Waits after the 1st, 2nd, … failed attempt (the Standard Webhooks suggestion), last repeated. */
export const RETRY_DELAYS_MS = [5 * SECOND, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR];
/** How long after the event a delivery is still tried; the last attempt is at this mark. */
export const RETRY_WINDOW_MS = 24 * HOUR;
/** Longer than one attempt can take, so a live claim never expires mid-send. */
export const LEASE_MS = 3 * DELIVERY_TIMEOUT_MS;
const LOG_KEPT_MS = 30 * 24 * HOUR;
const DEFAULT_BATCH = 10;
const DEFAULT_INTERVAL_MS = 5_000;

export interface WebhookRunResult {
  delivered: number;
  retrying: number;
  failed: number;
}

export function createWebhookWorker(deps: {
  database: Pick<DatabaseHandle, "db" | "dialect">;
  clock: Clock;
  logger: Pick<Logger, "info" | "warn">;
  secretOf: (endpoint: { id: string; secret: string }) => string;
  allowPrivate: boolean;
  resolve: Resolve;
  intervalMs?: number;
  batchSize?: number;
  timeoutMs?: number;
}) {
  const { database, clock, logger } = deps;
  const batchSize = deps.batchSize ?? DEFAULT_BATCH;
  const intervalMs = deps.intervalMs ?? DEFAULT_INTERVAL_MS;
  let started = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<WebhookRunResult> | null = null;
  let runAgain = false;

  async function deliver(
    claimed: Awaited<ReturnType<typeof repo.claimDue>>[number],
    claimToken: string,
  ): Promise<keyof WebhookRunResult> {
    const { delivery, endpoint } = claimed;
    const attemptAt = clock.now();
    let result: Awaited<ReturnType<typeof postWebhook>>;
    try {
      const headers = signedHeaders(
        deps.secretOf(endpoint),
        delivery.id,
        attemptAt,
        delivery.payload,
      );
      result = await postWebhook({
        url: endpoint.url,
        body: delivery.payload,
        headers,
        allowPrivate: deps.allowPrivate,
        resolve: deps.resolve,
        ...(deps.timeoutMs === undefined ? {} : { timeoutMs: deps.timeoutMs }),
      });
    } catch (error) {
      result = { ok: false, status: null, errorCode: codeOf(error) };
    }
    const log = { id: delivery.id, attempts: Number(delivery.attempts) };
    if (result.ok) {
      await repo.settle(database.db, {
        id: delivery.id,
        claimToken,
        status: "delivered",
        nextAttemptAt: null,
        responseStatus: result.status,
        errorCode: null,
      });
      logger.info({ ...log, status: result.status }, "webhook delivered");
      return "delivered";
    }
    const deadline = Number(delivery.created_at) + RETRY_WINDOW_MS;
    const now = clock.now();
    const delay = RETRY_DELAYS_MS[Number(delivery.attempts) - 1] ?? RETRY_DELAYS_MS.at(-1) ?? HOUR;
    const last = now >= deadline;
    await repo.settle(database.db, {
      id: delivery.id,
      claimToken,
      status: last ? "failed" : "pending",
      nextAttemptAt: last ? null : Math.min(now + delay, deadline),
      responseStatus: result.status,
      errorCode: result.errorCode,
    });
    logger.warn(
      { ...log, errorCode: result.errorCode, status: result.status },
      last ? "webhook failed for good" : "webhook not delivered, will retry",
    );
    return last ? "failed" : "retrying";
  }

  async function run(): Promise<WebhookRunResult> {
    const result: WebhookRunResult = { delivered: 0, retrying: 0, failed: 0 };
    for (;;) {
      const claimToken = newId();
      const rows = await repo.claimDue(database.db, {
        now: clock.now(),
        leaseMs: LEASE_MS,
        batch: batchSize,
        claimToken,
        dialect: database.dialect,
      });
      for (const outcome of await Promise.all(rows.map((row) => deliver(row, claimToken))))
        result[outcome] += 1;
      // Rescheduled deliveries are not due again within this pass, so this ends.
      if (rows.length < batchSize) break;
    }
    await repo.pruneSettled(database.db, clock.now() - LOG_KEPT_MS);
    return result;
  }

  /** One pass over what is due; calls while a pass runs share it and trigger one more. */
  function runOnce(): Promise<WebhookRunResult> {
    if (running) {
      runAgain = true;
      return running;
    }
    running = run().finally(() => {
      running = null;
      if (runAgain && started) {
        runAgain = false;
        kick();
      }
    });
    return running;
  }

  function runLogged() {
    runOnce().catch((error: unknown) =>
      logger.warn({ errorCode: codeOf(error) }, "webhook run failed"),
    );
  }

  /** A pass soon; a no-op until start(). */
  function kick() {
    if (!started) return;
    setImmediate(runLogged);
  }

  function schedule() {
    if (!started) return;
    timer = setTimeout(() => {
      runOnce()
        .catch((error: unknown) => logger.warn({ errorCode: codeOf(error) }, "webhook run failed"))
        .finally(schedule);
    }, intervalMs);
    timer.unref();
  }

  return {
    runOnce,
    kick,
    start() {
      if (started) return;
      started = true;
      schedule();
      kick();
    },
    async stop() {
      started = false;
      if (timer) clearTimeout(timer);
      timer = null;
      await running?.catch(() => undefined);
    },
  };
}

export type WebhookWorker = ReturnType<typeof createWebhookWorker>;
