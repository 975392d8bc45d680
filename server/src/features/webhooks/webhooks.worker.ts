/**
 * The webhook delivery worker: on every instance, the outbox runner (lib/outbox-runner.ts) claims
 * due deliveries; this POSTs each one signed and settles it. Retries back off (RETRY_DELAYS_MS)
 * for 24 hours after the event, then the delivery is marked failed; settled rows stay as the
 * endpoint's delivery log for 30 days. Only the claim's holder can settle a delivery, so
 * instances never send one twice.
 * Logs carry {id, attempts, errorCode}: never a URL's secret part, a body or a signature.
 */
import type { Logger } from "pino";

import { codeOf } from "../../lib/error-code.js";
import {
  createOutboxRunner,
  nextAttemptAt,
  type OutboxWorkerDeps,
} from "../../lib/outbox-runner.js";
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
const DEFAULT_INTERVAL_MS = 5_000;

const OUTCOMES = ["delivered", "retrying", "failed"] as const;
export type WebhookRunResult = Record<(typeof OUTCOMES)[number], number>;

export function createWebhookWorker(
  deps: OutboxWorkerDeps & {
    logger: Pick<Logger, "info" | "warn">;
    secretOf: (endpoint: { id: string; secret: string }) => string;
    allowPrivate: boolean;
    resolve: Resolve;
    timeoutMs?: number;
  },
) {
  const { database, clock, logger } = deps;

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
    const next = nextAttemptAt(
      { delays: RETRY_DELAYS_MS, deadline: Number(delivery.created_at) + RETRY_WINDOW_MS },
      Number(delivery.attempts),
      clock.now(),
    );
    await repo.settle(database.db, {
      id: delivery.id,
      claimToken,
      status: next === null ? "failed" : "pending",
      nextAttemptAt: next,
      responseStatus: result.status,
      errorCode: result.errorCode,
    });
    logger.warn(
      { ...log, errorCode: result.errorCode, status: result.status },
      next === null ? "webhook failed for good" : "webhook not delivered, will retry",
    );
    return next === null ? "failed" : "retrying";
  }

  const runner = createOutboxRunner(deps, {
    name: "webhook",
    outcomes: OUTCOMES,
    leaseMs: LEASE_MS,
    defaultIntervalMs: DEFAULT_INTERVAL_MS,
    claim: repo.claimDue,
    attempt: deliver,
    afterPass: async () => {
      await repo.pruneSettled(database.db, clock.now() - LOG_KEPT_MS);
    },
  });

  return {
    runOnce: runner.runOnce,
    /** A pass soon; a no-op until start(). */
    kick: () => runner.kick(),
    start: runner.start,
    stop: runner.stop,
  };
}

export type WebhookWorker = ReturnType<typeof createWebhookWorker>;
