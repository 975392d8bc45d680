/**
 * Prometheus metrics. Each app gets its own registry (tests build many apps in one process).
 * Route labels use the route pattern, so ids and tokens in paths never become label values.
 *
 * The exposition passes `promtool check metrics`: Node.js and process metrics keep the standard
 * names of prom-client's default collectors (process_cpu_seconds_total, nodejs_heap_size_*...)
 * so stock dashboards work, minus the three gauges it names `_total` (a suffix that promises a
 * counter; their `nodejs_active_*` twins stay). The HTTP status label is `code`, and counters
 * with labels start every label value at 0, so a rate() sees the first event.
 *
 * Where it is served (issue 15): not on the public port unless METRICS_TOKEN is set (then only
 * with that bearer token); on METRICS_PORT, a listener of its own (main.ts).
 */
import { timingSafeEqual, createHash } from "node:crypto";

import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";

const NON_COUNTER_TOTALS = [
  "nodejs_active_handles_total",
  "nodejs_active_requests_total",
  "nodejs_active_resources_total",
];
const DESTROY_REASONS = ["viewed", "expired", "deleted", "locked", "revoked"] as const;

/** A counter without labels, on `registry`. */
export function counter(registry: Registry, name: string, help: string) {
  return new Counter({ name, help, registers: [registry] });
}

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  for (const name of NON_COUNTER_TOTALS) registry.removeSingleMetric(name);
  const httpDuration = new Histogram({
    name: "hushlink_http_request_duration_seconds",
    help: "HTTP request duration by method, route pattern and status code",
    labelNames: ["method", "route", "code"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const sharesCreated = counter(registry, "hushlink_shares_created_total", "Shares created");
  const sharesRevealed = counter(registry, "hushlink_shares_revealed_total", "Views consumed");
  const sharesDestroyed = new Counter({
    name: "hushlink_shares_destroyed_total",
    help: "Shares destroyed, by reason",
    labelNames: ["reason"] as const,
    registers: [registry],
  });
  for (const reason of DESTROY_REASONS) sharesDestroyed.inc({ reason }, 0);
  // One per finished run of the expiry job (jobs/sweeper.ts): a sweeper that stopped running shows
  // as a flat line, and a test can wait for a later sweep instead of sleeping.
  const sweeps = counter(registry, "hushlink_sweeps_total", "Expiry sweeps completed");
  const wrongPasswords = counter(
    registry,
    "hushlink_wrong_passwords_total",
    "Reveal attempts with a wrong password",
  );
  // SQLite's group commit: how many writes share a commit, and how long the disk takes to sync
  // one (a slow disk shows here first, as request latency rather than CPU).
  const groupCommitWrites = new Histogram({
    name: "hushlink_sqlite_group_commit_writes",
    help: "Write transactions per SQLite group commit",
    buckets: [1, 2, 4, 8, 16, 32, 64],
    registers: [registry],
  });
  const walSyncDuration = new Histogram({
    name: "hushlink_sqlite_wal_sync_seconds",
    help: "Time to fdatasync the SQLite WAL after a group commit",
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25],
    registers: [registry],
  });
  return {
    registry,
    httpDuration,
    sharesCreated,
    sharesRevealed,
    sharesDestroyed,
    sweeps,
    wrongPasswords,
    groupCommitWrites,
    walSyncDuration,
  };
}
export type Metrics = ReturnType<typeof createMetrics>;

function sameToken(given: string, expected: string): boolean {
  const digest = (v: string) => createHash("sha256").update(v).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** Whether the request carries `Authorization: Bearer <token>`. */
function hasBearer(request: FastifyRequest, token: string): boolean {
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? "");
  return match?.[1] !== undefined && sameToken(match[1], token);
}

async function sendMetrics(reply: FastifyReply, metrics: Metrics) {
  return reply
    .header("content-type", metrics.registry.contentType)
    .send(await metrics.registry.metrics());
}

/**
 * Serves /metrics here only when a token guards it. Every answer's duration is observed with its
 * log line (request-log.ts).
 */
export function registerMetrics(
  app: FastifyInstance,
  metrics: Metrics,
  options: { token: string | null },
): void {
  const token = options.token;
  if (token === null) return;

  // Answered in onRequest, before the API's own bearer-token lookup (auth.context.ts) would
  // take the metrics token for an unknown API token.
  app.addHook("onRequest", async (request, reply) => {
    if (request.routeOptions.url !== "/metrics") return;
    if (!hasBearer(request, token)) {
      return reply
        .status(401)
        .header("www-authenticate", 'Bearer realm="metrics"')
        .send({ error: { code: "invalid_token", message: "Send the metrics bearer token." } });
    }
    return sendMetrics(reply, metrics);
  });
  // The route only makes the path known; the hook above always answers first.
  app.get("/metrics", { schema: { hide: true } }, () => "");
}

/** The listener on METRICS_PORT: /metrics and nothing else (token optional, as above). */
export async function buildMetricsServer(metrics: Metrics, options: { token: string | null }) {
  const server = Fastify({ logger: false });
  if (options.token !== null) {
    const token = options.token;
    server.addHook("onRequest", async (request, reply) => {
      if (!hasBearer(request, token)) {
        return reply.status(401).header("www-authenticate", 'Bearer realm="metrics"').send();
      }
    });
  }
  server.get("/metrics", (_request, reply) => sendMetrics(reply, metrics));
  await server.ready();
  return server;
}
