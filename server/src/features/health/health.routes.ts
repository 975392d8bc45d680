import type { FastifyInstance } from "fastify";

import { ping, type DatabaseHandle } from "../../db/database.js";

export function registerHealthRoutes(
  app: FastifyInstance,
  deps: { database: Pick<DatabaseHandle, "db"> },
) {
  /** The process is up and serving. */
  app.get("/healthz", { schema: { hide: true } }, () => ({ status: "ok" }));

  /** The process can do its work: the database answers. Load balancers route on this. */
  app.get("/readyz", { schema: { hide: true } }, async (_request, reply) => {
    try {
      await ping(deps.database);
      return { status: "ready" };
    } catch {
      return reply
        .status(503)
        .send({ error: { code: "unavailable", message: "The database is not reachable." } });
    }
  });
}
