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
  return { registry, httpDuration, sharesCreated, sharesRevealed, sharesDestroyed, wrongPasswords };
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
