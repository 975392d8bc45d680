/** `npm run db:migrate`: brings the configured database up to date, exits non-zero on failure. */
import { ConfigError, loadConfig } from "./config.js";
import { openDatabase } from "./db/database.js";
import { migrateToLatest } from "./db/migrator.js";

try {
  const config = loadConfig();
  // No statement timeout: an index build on a large table may rightly take minutes.
  const database = openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    statementTimeouts: false,
  });
  try {
    const applied = await migrateToLatest(database.db);
    console.error(applied.length ? `Applied: ${applied.join(", ")}` : "Already up to date.");
  } finally {
    await database.close();
  }
} catch (error) {
  console.error(
    error instanceof ConfigError ? error.message : `Migration failed: ${(error as Error).message}`,
  );
  process.exitCode = 1;
}
