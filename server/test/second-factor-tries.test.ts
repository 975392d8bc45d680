/**
 * The tries of a pending sign-in's second step (F16) under concurrency: a pending sign-in takes
 * 5 wrong codes, and each try is taken by one conditional UPDATE before the code is looked at,
 * so 50 guesses at once over real HTTP get exactly 5 compared; the others answer 401
 * sign_in_expired, and so does the right code afterwards. Before, every guess that found the
 * pending sign-in live was compared and the failures were counted afterwards: 50 at once were
 * 50 codes tried against a limit of 5. SQLite and PostgreSQL, and on PostgreSQL two app
 * instances (each its own pool) on one database with the guesses split between them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Dialect } from "../src/db/database.js";

import { GOOD_PASSWORD, signup, uniqueEmail } from "./helpers/accounts.js";
import { createTestApp, type TestApp } from "./helpers/app.js";
import { testDialects } from "./helpers/databases.js";
import { listen } from "./helpers/live.js";
import { enrolTotp, TOTP_STEP_MS, totpAt } from "./helpers/second-factor.js";
import { clockPerTest } from "./helpers/suite.js";

const GUESSES = 50;
const TRIES = 5;

async function post(url: string, body: unknown) {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as { error?: { code: string } } };
}

const cases = testDialects.flatMap<{ dialect: Dialect; instances: number }>((dialect) =>
  dialect === "postgres"
    ? [1, 2].map((instances) => ({ dialect, instances }))
    : [{ dialect, instances: 1 }],
);

describe.each(cases)("a pending sign-in's tries on $dialect, $instances instance(s)", (c) => {
  const clock = clockPerTest();
  const apps: TestApp[] = [];
  const bases: string[] = [];
  beforeAll(async () => {
    const first = await createTestApp(c.dialect, { clock });
    apps.push(first);
    if (c.instances === 2) {
      apps.push(
        await createTestApp(c.dialect, {
          clock,
          database: { testDb: first.testDb, handle: first.testDb.openAnother() },
        }),
      );
    }
    for (const app of apps) bases.push(await listen(app));
  });
  afterAll(async () => {
    for (const app of apps.slice(1)) await app.app.close();
    await apps[0]?.close();
  });

  it(`compares exactly ${TRIES} of ${GUESSES} concurrent wrong codes, then refuses even the right one`, async () => {
    const t = apps[0]!;
    const client = await signup(t, uniqueEmail("tries"));
    const { secret } = await enrolTotp(t, client);
    clock.advance(TOTP_STEP_MS);
    const login = await post(`${bases[0]}/api/v1/auth/login`, {
      email: client.email,
      password: GOOD_PASSWORD,
    });
    expect(login.status).toBe(202);
    const { pendingToken } = login.body as unknown as { pendingToken: string };

    // Fifty distinct codes, none of them one the app would take now (a step either side too).
    const near = new Set(
      await Promise.all([-1, 0, 1].map((s) => totpAt(t, secret, clock.now() + s * TOTP_STEP_MS))),
    );
    const wrong: string[] = [];
    for (let n = 0; wrong.length < GUESSES; n += 7919) {
      const code = String(n % 1_000_000).padStart(6, "0");
      if (!near.has(code) && !wrong.includes(code)) wrong.push(code);
    }
    const answers = await Promise.all(
      wrong.map((code, i) =>
        post(`${bases[i % bases.length]}/api/v1/auth/login/second-factor`, { pendingToken, code }),
      ),
    );
    const codes = answers.map((a) => `${a.status} ${a.body.error?.code}`);
    expect(codes.filter((x) => x === "401 invalid_code")).toHaveLength(TRIES);
    expect(codes.filter((x) => x === "401 sign_in_expired")).toHaveLength(GUESSES - TRIES);

    const right = await post(`${bases.at(-1)}/api/v1/auth/login/second-factor`, {
      pendingToken,
      code: await totpAt(t, secret),
    });
    expect([right.status, right.body.error?.code]).toEqual([401, "sign_in_expired"]);
    // Exactly 5 tries were taken; the row takes no more and goes at its expiry (the sweeper).
    const rows = await t.database.db
      .selectFrom("pending_signins")
      .innerJoin("users", "users.id", "pending_signins.user_id")
      .select("pending_signins.failures")
      .where("users.email", "=", client.email)
      .execute();
    expect(rows.map((r) => Number(r.failures))).toEqual([TRIES]);
  });
});
