/**
 * The sign-in back-off (sign-in-backoff.ts) under concurrency: each try is taken, counted as a
 * wrong password, before the password is compared (one statement for both rows on PostgreSQL,
 * a conditional upsert per row on SQLite), so guesses sent at once get no more comparisons than
 * guesses sent one by one: 5 free and the one that starts the first pause (30 s) from one IP, 50
 * within the hour account-wide, and every other answer is 429, never 503. Before, every guess
 * passed the check before the first failure was counted, and all 50 were compared. SQLite and
 * PostgreSQL, two app instances (each its own pool) on one PostgreSQL database, two such
 * instances slow to see each answer, and two real server processes on one database.
 */
import { randomBytes } from "node:crypto";

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import { withPlugin, type DatabaseHandle, type Dialect } from "../src/db/database.js";
import type * as Passwords from "../src/features/auth/passwords.js";

import { GOOD_PASSWORD, signInAttempt, signup, uniqueEmail } from "./helpers/accounts.js";
import { createTestApp, type TestApp } from "./helpers/app.js";
import { createTestDatabase, testDialects, type TestDatabase } from "./helpers/databases.js";
import { json } from "./helpers/http.js";
import { processScope, startServer } from "./helpers/server-process.js";
import { clockPerTest } from "./helpers/suite.js";

/** Every password comparison (argon2) the apps of this process make. */
const comparisons = vi.hoisted(() => ({ count: 0 }));
vi.mock("../src/features/auth/passwords.js", async (importOriginal) => {
  const real = await importOriginal<typeof Passwords>();
  return {
    ...real,
    verifyPassword: (stored: string | null, password: string) => {
      comparisons.count++;
      return real.verifyPassword(stored, password);
    },
  };
});

const GUESSES = 50;
/** Five free, and the sixth, compared, starts the first pause: as one by one. */
const PER_IP_COMPARED = 6;
const ACCOUNT_WIDE_LIMIT = 50;
const IP = "198.51.100.7";

const answerOf = (status: number, body: { error?: { code?: string } }) =>
  `${status} ${body.error?.code}`;
const COMPARED = "401 invalid_credentials";
const PAUSED = "429 sign_in_paused";
/**
 * Every guess was compared (401) or paused (429): none waits past the pool's connect timeout
 * (3 s) for a 503, since a take holds its rows' locks for one statement, not a transaction.
 */
function expectStorm(codes: string[], compared: number) {
  expect(codes.filter((x) => x !== COMPARED && x !== PAUSED)).toEqual([]);
  expect(codes.filter((x) => x === COMPARED)).toHaveLength(compared);
  expect(codes.filter((x) => x === PAUSED)).toHaveLength(codes.length - compared);
}

const cases = testDialects.flatMap<{ dialect: Dialect; instances: number }>((dialect) =>
  dialect === "postgres"
    ? [1, 2].map((instances) => ({ dialect, instances }))
    : [{ dialect, instances: 1 }],
);

describe.each(cases)(
  "sign-in back-off under concurrency on $dialect, $instances instance(s)",
  (c) => {
    const clock = clockPerTest();
    const apps: TestApp[] = [];
    beforeAll(async () => {
      const first = await createTestApp(c.dialect, { clock });
      apps.push(first);
      if (c.instances === 2) {
        const handle = first.testDb.openAnother();
        apps.push(
          await createTestApp(c.dialect, { clock, database: { testDb: first.testDb, handle } }),
        );
      }
    });
    afterAll(async () => {
      for (const app of apps.slice(1)) await app.app.close();
      await apps[0]?.close();
    });
    beforeEach(() => {
      comparisons.count = 0;
    });

    const attempt = (i: number, email: string, password: string, ip: string) =>
      signInAttempt(apps[i % apps.length]!, email, password, ip);

    it(`compares ${PER_IP_COMPARED} of ${GUESSES} wrong passwords sent at once from one IP, then refuses the right one`, async () => {
      const { email } = await signup(apps[0]!, uniqueEmail("storm"));
      comparisons.count = 0;
      const answers = await Promise.all(
        Array.from({ length: GUESSES }, (_, i) => attempt(i, email, `guess ${i}`, IP)),
      );
      const codes = answers.map((a) => answerOf(a.statusCode, json(a)));
      expect(comparisons.count).toBe(PER_IP_COMPARED);
      expectStorm(codes, PER_IP_COMPARED);

      const right = await attempt(1, email, GOOD_PASSWORD, IP);
      expect(json(right)).toMatchObject({
        error: { code: "sign_in_paused", retryAt: new Date(clock.now() + 30_000).toISOString() },
      });
      expect(comparisons.count).toBe(PER_IP_COMPARED);
      clock.advance(30_000);
      expect((await attempt(0, email, GOOD_PASSWORD, IP)).statusCode).toBe(200);
    });

    it("an unknown address is counted the same", async () => {
      const email = uniqueEmail("nobody");
      const answers = await Promise.all(
        Array.from({ length: GUESSES }, (_, i) => attempt(i, email, `guess ${i}`, IP)),
      );
      expect(comparisons.count).toBe(PER_IP_COMPARED);
      expectStorm(
        answers.map((a) => answerOf(a.statusCode, json(a))),
        PER_IP_COMPARED,
      );
    });

    it(`compares ${ACCOUNT_WIDE_LIMIT} of 80 wrong passwords sent at once from 80 IPs; a known IP still signs in`, async () => {
      const { email } = await signup(apps[0]!, uniqueEmail("spray"));
      const home = "192.0.2.10";
      expect((await attempt(0, email, GOOD_PASSWORD, home)).statusCode).toBe(200);
      comparisons.count = 0;
      const answers = await Promise.all(
        Array.from({ length: 80 }, (_, i) =>
          attempt(i, email, `guess ${i}`, `203.0.${113 + (i >> 6)}.${(i % 64) + 1}`),
        ),
      );
      expect(comparisons.count).toBe(ACCOUNT_WIDE_LIMIT);
      expectStorm(
        answers.map((a) => answerOf(a.statusCode, json(a))),
        ACCOUNT_WIDE_LIMIT,
      );
      expect(json(await attempt(1, email, GOOD_PASSWORD, "198.51.100.99"))).toMatchObject({
        error: { code: "sign_in_paused" },
      });
      expect((await attempt(1, email, GOOD_PASSWORD, home)).statusCode).toBe(200);
    });
  },
);

/** How late a busy instance sees each answer about sign-in attempts. */
const SLOW_MS = 100;

/**
 * The handle as an instance busy comparing other tries' passwords uses it: each answer to a
 * statement on sign_in_attempts reaches it SLOW_MS late, its connection held meanwhile. A take
 * in a transaction then holds the account-wide row that long before its COMMIT, and every other
 * take waits in line, past the pool's 3 s for a connection (503) when 80 come at once.
 */
function slowOnAttempts(handle: DatabaseHandle): DatabaseHandle {
  const slow = new WeakSet<object>();
  return withPlugin(handle, {
    transformQuery(args) {
      if (JSON.stringify(args.node).includes("sign_in_attempts")) slow.add(args.queryId);
      return args.node;
    },
    async transformResult(args) {
      if (slow.has(args.queryId)) await new Promise((resolve) => setTimeout(resolve, SLOW_MS));
      return args.result;
    },
  });
}

describe.runIf(testDialects.includes("postgres"))(
  "sign-in back-off on PostgreSQL, two instances slow to see each answer",
  () => {
    const clock = clockPerTest();

    it(`answers 80 wrong passwords from 80 IPs 401 or 429, none 503, ${SLOW_MS} ms late each`, async () => {
      const testDb = await createTestDatabase("postgres");
      const apps: TestApp[] = [];
      try {
        for (const handle of [testDb.handle, testDb.openAnother()]) {
          const database = { testDb, handle: slowOnAttempts(handle) };
          apps.push(await createTestApp("postgres", { clock, database }));
        }
        const { email } = await signup(apps[0]!, uniqueEmail("slow"));
        comparisons.count = 0;
        const answers = await Promise.all(
          Array.from({ length: 80 }, (_, i) =>
            signInAttempt(
              apps[i % 2]!,
              email,
              `guess ${i}`,
              `203.0.${113 + (i >> 6)}.${(i % 64) + 1}`,
            ),
          ),
        );
        expectStorm(
          answers.map((a) => answerOf(a.statusCode, json(a))),
          ACCOUNT_WIDE_LIMIT,
        );
        expect(comparisons.count).toBe(ACCOUNT_WIDE_LIMIT);
      } finally {
        for (const app of apps) await app.close();
        await testDb.drop();
      }
    });
  },
);

const { servers, tempDir, cleanup } = processScope("hushlink-backoff-");

describe.each(testDialects)(
  "sign-in back-off across two server processes on one %s database",
  (dialect) => {
    const databases: TestDatabase[] = [];
    afterEach(async () => {
      await cleanup();
      for (const db of databases.splice(0)) await db.drop();
    });

    async function post(url: string, body: unknown) {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as { error?: { code?: string } } };
    }

    it(`answers ${PER_IP_COMPARED} of ${GUESSES} wrong passwords sent at once, split between them`, async () => {
      let env: Record<string, string> = { DATA_DIR: tempDir() };
      if (dialect === "postgres") {
        const db = await createTestDatabase("postgres");
        databases.push(db);
        env = {
          ...env,
          DATABASE_URL: db.url!,
          HUSHLINK_ROOT_KEY: randomBytes(32).toString("base64"),
        };
      }
      const a = await startServer(env);
      servers.push(a);
      const b = await startServer(env);
      servers.push(b);
      const email = uniqueEmail("processes");
      expect(
        (await post(`${a.url}/api/v1/auth/signup`, { email, password: GOOD_PASSWORD })).status,
      ).toBe(202);

      const answers = await Promise.all(
        Array.from({ length: GUESSES }, (_, i) =>
          post(`${i % 2 ? a.url : b.url}/api/v1/auth/login`, { email, password: `guess ${i}` }),
        ),
      );
      const codes = answers.map((x) => answerOf(x.status, x.body));
      expectStorm(codes, PER_IP_COMPARED);
      const right = await post(`${b.url}/api/v1/auth/login`, { email, password: GOOD_PASSWORD });
      expect(answerOf(right.status, right.body)).toBe("429 sign_in_paused");
    });
  },
);
