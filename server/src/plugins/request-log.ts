import type { FastifyInstance } from "fastify";

/**
 * One log line per request: method, route pattern, status, duration. The raw URL is left out on
 * purpose: some paths carry tokens (/invitations/{token}) and query strings may carry anything.
 */
export function registerRequestLog(app: FastifyInstance): void {
  app.addHook("onResponse", (request, reply, done) => {
    request.log.info(
      {
        method: request.method,
        route: request.routeOptions.url ?? "unmatched",
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
      },
      "request",
    );
    done();
  });
}
