import type { FastifyInstance } from "fastify";

import type { Metrics } from "./metrics.js";

/** Probes hit every few seconds per orchestrator; at info they would bury the real traffic. */
const PROBES = new Set(["/healthz", "/readyz"]);

/**
 * The end of every request, in one onResponse hook: one log line, and the request's duration in
 * the metrics (`hushlink_http_request_duration_seconds`, labelled by route pattern). One hook and
 * one read of `request.routeOptions` (a getter that builds an object on each read) instead of two
 * of each (issue 24).
 *
 * The log line: method, route pattern, status, duration, and (from the request's logger)
 * `reqId`, the id the answer carries in X-Request-Id. The raw URL is left out on purpose: some
 * paths carry tokens (/invitations/{token}) and query strings may carry anything.
 */
export function registerRequestLog(app: FastifyInstance, metrics: Metrics): void {
  app.addHook("onResponse", (request, reply, done) => {
    const route = request.routeOptions.url ?? "unmatched";
    const status = reply.statusCode;
    const elapsed = reply.elapsedTime;
    metrics.httpDuration.observe(
      { method: request.method, route, code: String(status) },
      elapsed / 1000,
    );
    const line = { method: request.method, route, status, ms: Math.round(elapsed * 10) / 10 };
    if (PROBES.has(route)) request.log.debug(line, "request");
    else request.log.info(line, "request");
    done();
  });
}
