import type { FastifyInstance } from "fastify";

import { ping, type DatabaseHandle } from "../../db/database.js";

const READY_TIMEOUT_MS = 2_000;

export function registerHealthRoutes(
  app: FastifyInstance,
  deps: { database: Pick<DatabaseHandle, "db"> },
) {
  /** The process is up and serving. */
  app.get("/healthz", { schema: { hide: true } }, () => ({ status: "ok" }));

  /** The process can do its work: the database answers. Load balancers route on this. */
  app.get("/readyz", { schema: { hide: true } }, async (_request, reply) => {
    try {
      // A load balancer needs a quick answer, not the pool's own connect and query timeouts.
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error("readiness check timed out")), READY_TIMEOUT_MS);
      });
      await Promise.race([ping(deps.database), timeout]).finally(() => clearTimeout(timer));
      return { status: "ready" };
    } catch {
      return reply
        .status(503)
        .send({ error: { code: "unavailable", message: "The database is not reachable." } });
    }
  });
}
