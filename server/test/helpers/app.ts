/**
 * Builds the real app on a real database for integration tests, with logs captured in memory so
 * tests can check that nothing secret was written.
 */
import { Writable } from "node:stream";

import { buildApp, type App } from "../../src/app.js";
import { createManualClock, type ManualClock } from "../../src/clock.js";
import { loadConfig, type Config } from "../../src/config.js";
import type { DatabaseHandle, Dialect } from "../../src/db/database.js";
import { createLogger } from "../../src/logger.js";
import type { BlobStore } from "../../src/features/blobs/store/index.js";
import type { Resolve } from "../../src/features/webhooks/webhooks.http.js";
import type { ContractViolation } from "../../src/plugins/contract.js";
import { createTestDatabase, type TestDatabase } from "./databases.js";

export const TEST_ROOT_KEY = Buffer.alloc(32, 7);

export interface TestApp extends App {
  config: Config;
  clock: ManualClock;
  database: DatabaseHandle;
  testDb: TestDatabase;
  logs: string[];
  /** Error answers the OpenAPI document does not list; close() fails when there are any. */
  contractViolations: ContractViolation[];
  close(): Promise<void>;
}

export function captureLogger(lines: string[], level = "debug") {
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString("utf8"));
      callback();
    },
  });
  return createLogger(level, stream);
}

/** `env` overrides the test defaults; a key set to undefined unsets it (PUBLIC_URL left out). */
export function testConfig(
  env: Record<string, string | undefined> = {},
  dataDir = "/nonexistent",
): Config {
  return loadConfig({
    NODE_ENV: "test",
    DATA_DIR: dataDir,
    PUBLIC_URL: "http://hushlink.test",
    RATE_LIMIT: "off",
    LOG_LEVEL: "debug",
    ...env,
  });
}

export interface TestAppOptions {
  env?: Record<string, string | undefined>;
  clock?: ManualClock;
  /** Reuse a database (a second instance on it); otherwise a fresh one is created. */
  database?: { testDb: TestDatabase; handle: DatabaseHandle };
  /** Adds routes before the app is ready (e.g. one that throws, to test the 500 answer). */
  extend?: (app: App["app"]) => void;
  /** How webhook host names resolve (features/webhooks); the system's resolver by default. */
  webhookResolve?: Resolve;
  /** The blob store (e.g. one that watches what it is given); the configured one by default. */
  blobStore?: BlobStore;
}

export async function createTestApp(
  dialect: Dialect,
  options: TestAppOptions = {},
): Promise<TestApp> {
  const testDb = options.database?.testDb ?? (await createTestDatabase(dialect));
  const database = options.database?.handle ?? testDb.handle;
  const logs: string[] = [];
  const clock = options.clock ?? createManualClock();
  const config = testConfig(options.env, testDb.dataDir);
  const contractViolations: ContractViolation[] = [];
  const built = await buildApp({
    config,
    database,
    logger: captureLogger(logs),
    rootKey: TEST_ROOT_KEY,
    clock,
    onContractViolation: (violation) => contractViolations.push(violation),
    ...(options.webhookResolve ? { webhookResolve: options.webhookResolve } : {}),
    ...(options.blobStore ? { blobStore: options.blobStore } : {}),
  });
  options.extend?.(built.app);
  await built.app.ready();
  return {
    ...built,
    config,
    clock,
    database,
    testDb,
    logs,
    contractViolations,
    async close() {
      await built.app.close();
      if (!options.database) await testDb.drop();
      // Every suite is a drift test of the published contract (plugins/contract.ts).
      if (contractViolations.length > 0)
        throw new Error(
          `error answers not in the OpenAPI document:\n${contractViolations
            .map((v) => `${v.operation} ${v.status} ${String(v.code)}: ${v.problem}`)
            .join("\n")}`,
        );
    },
  };
}
