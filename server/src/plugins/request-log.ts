import type { FastifyInstance } from "fastify";

/** Probes hit every few seconds per orchestrator; at info they would bury the real traffic. */
const PROBES = new Set(["/healthz", "/readyz"]);

/**
 * One log line per request: method, route pattern, status, duration, and (from the request's
 * logger) `reqId`, the id the answer carries in X-Request-Id. The raw URL is left out on
 * purpose: some paths carry tokens (/invitations/{token}) and query strings may carry anything.
 */
export function registerRequestLog(app: FastifyInstance): void {
  app.addHook("onResponse", (request, reply, done) => {
    const route = request.routeOptions.url ?? "unmatched";
    const line = {
      method: request.method,
      route,
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 10) / 10,
    };
    if (PROBES.has(route)) request.log.debug(line, "request");
    else request.log.info(line, "request");
    done();
  });
}
