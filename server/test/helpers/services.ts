/**
 * External services the scale-out and fault suites need: PostgreSQL (TEST_DATABASE_URL, as in
 * databases.ts) and Redis (REDIS_URL_TEST, which .ci/run sets; else redis://127.0.0.1:6379 when
 * it answers). A suite whose services are missing is not registered: locally the reason is
 * printed, under CI=true a failing test takes its place, because CI runs everything.
 */
import { Redis } from "ioredis";
import { it } from "vitest";

import { TEST_DATABASE_URL } from "./databases.js";

export const CI = process.env.CI === "true" || process.env.CI === "1";
const LOCAL_REDIS = "redis://127.0.0.1:6379";

async function answers(url: string): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on("error", () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

export interface Services {
  postgres: string | null;
  redis: string | null;
  /** Why a service is missing, one line each. */
  missing: { postgres?: string; redis?: string };
}

let found: Promise<Services> | null = null;

/** Looks once per test file. */
export function findServices(): Promise<Services> {
  found ??= (async () => {
    const missing: Services["missing"] = {};
    const explicit = process.env.REDIS_URL_TEST;
    const redisUrl = explicit ?? LOCAL_REDIS;
    let redis: string | null = null;
    if (await answers(redisUrl)) redis = redisUrl;
    else
      missing.redis = explicit
        ? `Redis at REDIS_URL_TEST (${redisUrl}) does not answer`
        : `REDIS_URL_TEST is not set and no Redis answers at ${LOCAL_REDIS}`;
    if (!TEST_DATABASE_URL) missing.postgres = "TEST_DATABASE_URL is not set";
    return { postgres: TEST_DATABASE_URL, redis, missing };
  })();
  return found;
}

/**
 * The suites to register for a set of needs: `[services]` when all are there, else `[]` after
 * saying why (a failing test under CI).
 */
export async function suitesNeeding(
  name: string,
  needs: ("postgres" | "redis")[],
): Promise<Services[]> {
  const services = await findServices();
  const reasons = needs.flatMap((n) => (services.missing[n] ? [services.missing[n]] : []));
  if (reasons.length === 0) return [services];
  const why = `${name}: not run: ${reasons.join("; ")}`;
  if (CI) {
    it(`${name} (needs ${needs.join(" and ")})`, () => {
      throw new Error(`${why}. CI runs every suite.`);
    });
  } else {
    console.warn(why);
  }
  return [];
}
