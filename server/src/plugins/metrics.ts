/**
 * Prometheus metrics. Each app gets its own registry (tests build many apps in one process).
 * Route labels use the route pattern, so ids and tokens in paths never become label values.
 */
import type { FastifyInstance } from "fastify";
import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "hushlink_" });
  const httpDuration = new Histogram({
    name: "hushlink_http_request_duration_seconds",
    help: "HTTP request duration by route pattern and status",
    labelNames: ["method", "route", "status"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const sharesCreated = new Counter({
    name: "hushlink_shares_created_total",
    help: "Shares created",
    registers: [registry],
  });
  const sharesRevealed = new Counter({
    name: "hushlink_shares_revealed_total",
    help: "Views consumed",
    registers: [registry],
  });
  const sharesDestroyed = new Counter({
    name: "hushlink_shares_destroyed_total",
    help: "Shares destroyed, by reason",
    labelNames: ["reason"] as const,
    registers: [registry],
  });
  const wrongPasswords = new Counter({
    name: "hushlink_wrong_passwords_total",
    help: "Reveal attempts with a wrong password",
    registers: [registry],
  });
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
    wrongPasswords,
    groupCommitWrites,
    walSyncDuration,
  };
}
export type Metrics = ReturnType<typeof createMetrics>;

export function registerMetrics(app: FastifyInstance, metrics: Metrics): void {
  app.addHook("onResponse", (request, reply, done) => {
    metrics.httpDuration.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? "unmatched",
        status: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
    done();
  });

  app.get("/metrics", { schema: { hide: true } }, async (_request, reply) => {
    void reply.header("content-type", metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}
