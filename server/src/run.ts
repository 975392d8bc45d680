/**
 * The server process (started by main.ts): configuration, database, migrations, then listen.
 * Everything that can be wrong with a deployment is reported before the port opens, and the
 * process exits non-zero.
 */
import type { Redis } from "ioredis";
import type { Logger } from "pino";

import { buildApp } from "./app.js";
import { ConfigError, loadConfig, type Config } from "./config.js";
import { openDatabase, PG_STATEMENT_TIMEOUT_MS } from "./db/database.js";
import { logDiskReserve } from "./db/disk-reserve.js";
import { migrateOwnConnection } from "./db/migrator.js";
import { createLogger } from "./logger.js";
import { buildMetricsServer } from "./plugins/metrics.js";
import { loadRootKey } from "./root-key.js";
import { startupHeapDone } from "./startup-heap.js";

function configOrExit(): Readonly<Config> {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

async function main() {
  const startedAt = performance.now();
  const config = configOrExit();
  const logger = createLogger(config.logLevel);

  const rootKey = loadRootKey(config.rootKey, config.dataDir);
  if (rootKey.generatedAt) {
    logger.warn(
      { file: rootKey.generatedAt },
      "generated a root key in the data folder; set HUSHLINK_ROOT_KEY to manage it yourself and back it up",
    );
  }

  try {
    const applied = await migrateOwnConnection(config);
    if (applied.length > 0) logger.info({ migrations: applied }, "database migrated");
  } catch (error) {
    logger.fatal({ reason: (error as Error).message }, "database migration failed");
    process.exit(1);
  }
  const database = openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.databasePoolSize,
    preparedStatements: config.databasePreparedStatements,
    diskReserve: { onEvent: (event) => logDiskReserve(logger, event) },
    onUnnamedStatements: (code) =>
      logger.warn(
        { code },
        "PostgreSQL refused a named prepared statement (a pooler in transaction mode?): statements run unnamed from now on; set DATABASE_PREPARED_STATEMENTS=off to skip the first try",
      ),
  });

  const redis = config.redisUrl ? await connectRedis(config.redisUrl, logger) : null;
  if (database.dialect === "postgres" && !redis && config.rateLimit.enabled) {
    logger.warn(
      "REDIS_URL is not set: rate limits are counted per instance; with several instances behind a load balancer, set REDIS_URL",
    );
  }

  const { app, services, metrics, readiness } = await buildApp({
    config,
    database,
    logger,
    rootKey: rootKey.key,
    redis,
  });
  await app.listen({ host: config.host, port: config.port });
  startupHeapDone();
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const metricsServer =
    config.metrics.port === null
      ? null
      : await buildMetricsServer(metrics, { token: config.metrics.token });
  if (metricsServer) {
    await metricsServer.listen({ host: config.metrics.host, port: config.metrics.port ?? 0 });
    const bound = metricsServer.server.address();
    const metricsPort = typeof bound === "object" && bound ? bound.port : config.metrics.port;
    logger.info(
      { url: `http://${config.metrics.host}:${metricsPort}/metrics` },
      "metrics listening",
    );
  }
  if (services.mail.mode === "files") {
    logger.warn(
      { folder: services.mail.folder },
      "SMTP_URL is not set: account e-mails are written to this folder, and e-mail recipients are unavailable",
    );
  }
  services.mail.start();
  services.webhookWorker.start();
  services.sweeper.start();
  services.blobSweeper.start(config.sweepIntervalMs);
  void services.blobSweeper.runOnce().catch(() => undefined);
  void services.sweeper.runOnce().catch(() => undefined);

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    const since = performance.now();
    // The orchestrator stops routing here once /readyz fails; until SHUTDOWN_DELAY_MS is over,
    // requests that were already on their way are still served.
    readiness.startDraining();
    logger.info({ signal, delayMs: config.shutdownDelayMs }, "shutting down");
    const deadlineMs =
      config.shutdownDelayMs + config.http.requestTimeoutMs + PG_STATEMENT_TIMEOUT_MS + 5_000;
    setTimeout(() => {
      logger.error({ deadlineMs }, "shutdown did not finish in time; exiting");
      process.exit(1);
    }, deadlineMs).unref();
    if (config.shutdownDelayMs === 0) close(since);
    else setTimeout(() => close(since), config.shutdownDelayMs);
  };
  const close = (since: number) => {
    // Node stops enforcing its request timeouts once the server closes, and keeps a keep-alive
    // connection open after its last answer; close() would wait for those. So: connections close
    // as soon as they fall idle, and whatever is still open after REQUEST_TIMEOUT_MS (a client
    // that never finished its request) is cut. Past that plus the time for the database and
    // Redis to close, something is stuck: leave with a reason rather than wait for SIGKILL.
    const idleCloser = setInterval(() => app.server.closeIdleConnections(), 100);
    const cutter = setTimeout(() => {
      logger.warn(
        { afterMs: config.http.requestTimeoutMs },
        "closing connections whose requests did not finish in time",
      );
      app.server.closeAllConnections();
    }, config.http.requestTimeoutMs);
    // close() stops accepting, answers 503 to new requests on open connections, lets in-flight
    // requests finish, then runs the onClose hooks (sweeper and mail worker stop, waiting for a
    // pass in progress). Only then do the database and Redis connections go.
    app
      .close()
      .then(() => metricsServer?.close())
      .then(() => database.close())
      // Counters need no flush; quit() would wait on a Redis that is down.
      .then(() => redis?.disconnect())
      .then(() => {
        clearInterval(idleCloser);
        clearTimeout(cutter);
        logger.info({ ms: Math.round(performance.now() - since) }, "stopped");
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error({ reason: (error as Error).message }, "shutdown failed");
        process.exit(1);
      });
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
  // Last: whoever reads this (an orchestrator, a test) may send SIGTERM at once, and before the
  // handlers above a signal ends the process without its shutdown (the log is written at once).
  logger.info(
    {
      url: `http://${config.host}:${port}`,
      publicUrl: config.publicUrl,
      database: database.dialect,
      startupMs: Math.round(performance.now() - startedAt),
    },
    "listening",
  );
}

/**
 * Redis for shared rate-limit counters. Commands fail fast when Redis is down or slow (the limits
 * then count per instance, see plugins/rate-limit.ts); the client reconnects in the background.
 * One log line when it goes, one when it is back. Start-up waits for it up to the connect
 * timeout, so the first requests are counted in Redis, but never refuses to start without it.
 */
async function connectRedis(url: string, logger: Logger): Promise<Redis> {
  // Imported only when configured: the client costs about 11 MB of memory.
  const { Redis } = await import("ioredis");
  const redis = new Redis(url, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 2_000,
    commandTimeout: 500,
  });
  let down = false;
  redis.on("error", (error: NodeJS.ErrnoException) => {
    if (down) return;
    down = true;
    logger.warn({ code: error.code }, "redis unreachable; reconnecting in the background");
  });
  redis.on("ready", () => {
    if (!down) return;
    down = false;
    logger.info("redis reachable again");
  });
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 2_000);
    redis.once("ready", () => {
      clearTimeout(timer);
      resolve();
    });
  });
  return redis;
}

main().catch((error: unknown) => {
  console.error(`hushlink failed to start: ${(error as Error).message}`);
  process.exit(1);
});
