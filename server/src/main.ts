/**
 * The server process: configuration, database, migrations, then listen. Everything that can be
 * wrong with a deployment is reported before the port opens, and the process exits non-zero.
 */
import { Redis } from "ioredis";
import { pino } from "pino";

import { buildApp } from "./app.js";
import { ConfigError, loadConfig, type Config } from "./config.js";
import { openDatabase } from "./db/database.js";
import { migrateToLatest } from "./db/migrator.js";
import { loggerOptions } from "./logger.js";
import { loadRootKey } from "./root-key.js";

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
  const logger = pino(loggerOptions(config.logLevel));

  const rootKey = loadRootKey(config.rootKey, config.dataDir);
  if (rootKey.generatedAt) {
    logger.warn(
      { file: rootKey.generatedAt },
      "generated a root key in the data folder; set HUSHLINK_ROOT_KEY to manage it yourself and back it up",
    );
  }

  const database = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const applied = await migrateToLatest(database.db);
    if (applied.length > 0) logger.info({ migrations: applied }, "database migrated");
  } catch (error) {
    logger.fatal({ reason: (error as Error).message }, "database migration failed");
    await database.close().catch(() => undefined);
    process.exit(1);
  }

  const redis = config.redisUrl
    ? new Redis(config.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false })
    : null;
  redis?.on("error", (error: NodeJS.ErrnoException) =>
    logger.warn({ code: error.code }, "redis error"),
  );

  const { app, services } = await buildApp({
    config,
    database,
    logger,
    rootKey: rootKey.key,
    redis,
  });
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  logger.info(
    {
      url: `http://${config.host}:${port}`,
      publicUrl: config.publicUrl,
      database: database.dialect,
      startupMs: Math.round(performance.now() - startedAt),
    },
    "listening",
  );
  if (services.mail.mode === "files") {
    logger.warn(
      { folder: services.mail.folder },
      "SMTP_URL is not set: account e-mails are written to this folder, and e-mail recipients are unavailable",
    );
  }
  services.mail.start();
  services.sweeper.start();
  void services.sweeper.runOnce().catch(() => undefined);

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, "shutting down");
    // close() stops accepting, lets in-flight requests finish, then runs onClose (sweeper stop).
    app
      .close()
      .then(() => database.close())
      .then(() => redis?.quit())
      .then(() => process.exit(0))
      .catch(() => process.exit(1));
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

main().catch((error: unknown) => {
  console.error(`hushlink failed to start: ${(error as Error).message}`);
  process.exit(1);
});
