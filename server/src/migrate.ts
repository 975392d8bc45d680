/** `npm run db:migrate`: brings the configured database up to date, exits non-zero on failure. */
import { ConfigError, loadConfig } from "./config.js";
import { migrateOwnConnection } from "./db/migrator.js";

try {
  const applied = await migrateOwnConnection(loadConfig());
  console.error(applied.length ? `Applied: ${applied.join(", ")}` : "Already up to date.");
} catch (error) {
  console.error(
    error instanceof ConfigError ? error.message : `Migration failed: ${(error as Error).message}`,
  );
  process.exitCode = 1;
}
