import type { FastifyInstance } from "fastify";
import { Gauge } from "prom-client";

import { ping, type DatabaseHandle } from "../../db/database.js";
import { hasLatestMigration } from "../../db/migrator.js";
import type { Metrics } from "../../plugins/metrics.js";

/** Under Kubernetes' default probe timeout of 1 s, so the probe gets our 503, not its own. */
export const READY_TIMEOUT_MS = 800;

export interface Readiness {
  /** From now on /readyz answers 503 (the process is shutting down). */
  startDraining(): void;
}

export function registerHealthRoutes(
  app: FastifyInstance,
  deps: {
    database: Pick<DatabaseHandle, "db" | "diskReserve">;
    metrics?: Pick<Metrics, "registry">;
  },
): Readiness {
  let draining = false;
  const reserve = deps.database.diskReserve ?? null;
  if (reserve && deps.metrics) {
    // 0 while the disk reserve is spent (db/disk-reserve.ts): the disk is full, only
    // destructions are written. An alert on it comes before users see 503 on their creates.
    new Gauge({
      name: "hushlink_sqlite_disk_reserve_bytes",
      help: "Bytes of the SQLite disk reserve in DATA_DIR (0: spent on a full disk)",
      registers: [deps.metrics.registry],
      collect() {
        this.set(reserve.held() ? reserve.bytes : 0);
      },
    });
  }
  /** The process is up and serving. */
  app.get("/healthz", { schema: { hide: true } }, () => ({ status: "ok" }));

  /**
   * The process can do its work: the database answers and holds this build's schema. Load
   * balancers route on this.
   */
  app.get("/readyz", { schema: { hide: true } }, async (_request, reply) => {
    if (draining) {
      return reply
        .status(503)
        .send({ error: { code: "shutting_down", message: "This instance is shutting down." } });
    }
    let current: boolean;
    try {
      // A load balancer needs a quick answer, not the pool's own connect and query timeouts.
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error("readiness check timed out")), READY_TIMEOUT_MS);
      });
      const check = async () => {
        await ping(deps.database);
        return hasLatestMigration(deps.database.db);
      };
      current = await Promise.race([check(), timeout]).finally(() => clearTimeout(timer));
    } catch {
      return reply
        .status(503)
        .send({ error: { code: "unavailable", message: "The database is not reachable." } });
    }
    if (!current) {
      return reply.status(503).send({
        error: {
          code: "unavailable",
          message: "The database does not hold this version's schema: restart to migrate it.",
        },
      });
    }
    // Still ready on a full disk: reads and destructions work, and a single SQLite instance taken
    // out of its load balancer could not even destroy a share. The body says so.
    if (reserve && !reserve.ensure()) return { status: "ready", warnings: ["disk_full"] };
    return { status: "ready" };
  });
  return {
    startDraining: () => {
      draining = true;
    },
  };
}
