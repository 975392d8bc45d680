/**
 * Second factor (SPEC F16): an authenticator app (TOTP) and recovery codes, through the real app
 * on SQLite and (with TEST_DATABASE_URL) PostgreSQL, with a real SMTP server. Codes are made with
 * otplib at the app's injected clock: nothing sleeps.
 */
import type { LightMyRequestResponse } from "fastify";
import { generate } from "otplib";
import { afterAll, describe, expect, it } from "vitest";

import {
  clientFrom,
  GOOD_PASSWORD,
  orgIdOf,
  signInAttempt,
  signup,
  uniqueEmail,
  type Client,
} from "./helpers/accounts.js";
import { testDialects } from "./helpers/databases.js";
import { json } from "./helpers/http.js";
import { clockPerTest, liveSuite } from "./helpers/suite.js";

const STEP = 30_000;

describe.each(testDialects)("second factor on %s", (dialect) => {
  // Tests move the clock (code windows, pending sign-ins expiring): each moves its own.
  const live = liveSuite(dialect, {}, { clock: clockPerTest() });
  const { t, smtp } = live;
  /** Every code and token the tests saw: none may reach a log line. */
  const secrets = new Set<string>();

  afterAll(() => {
    const logs = t.logs.join("");
    expect(logs).toContain('"route":"/api/v1/auth/login/second-factor"');
    for (const secret of secrets) expect(logs).not.toContain(secret);
  });

  const codeAt = (secret: string, at = t.clock.now()) =>
    generate({ secret, epoch: Math.floor(at / 1000) });

  const login = (email: string, password = GOOD_PASSWORD, ip = "192.0.2.1") =>
    signInAttempt(t, email, password, ip);

  const second = (body: Record<string, unknown>, ip = "192.0.2.1") =>
    t.app.inject({
      method: "POST",
      url: "/api/v1/auth/login/second-factor",
      payload: body,
      remoteAddress: ip,
    });

  async function pendingFor(email: string, ip = "192.0.2.1") {
    const res = await login(email, GOOD_PASSWORD, ip);
    expect(res.statusCode, res.body).toBe(202);
    const body = json<{ pendingToken: string; status: string; methods: string[] }>(res);
    secrets.add(body.pendingToken);
    return body.pendingToken;
  }

  /** Signs up and sets up the authenticator app; the secret and the recovery codes. */
  async function enrolled(name: string) {
    const client = await signup(t, uniqueEmail(name));
    const started = await client.inject({ method: "POST", url: "/api/v1/auth/second-factor/totp" });
    expect(started.statusCode, started.body).toBe(200);
    const { secret, otpauthUrl } = json<{ secret: string; otpauthUrl: string }>(started);
    secrets.add(secret);
    expect(otpauthUrl).toMatch(/^otpauth:\/\/totp\//);
    expect(otpauthUrl).toContain(`secret=${secret}`);
    const confirmed = await client.inject({
      method: "POST",
      url: "/api/v1/auth/second-factor/totp/confirm",
      payload: { code: await codeAt(secret) },
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    const { recoveryCodes } = json<{ recoveryCodes: string[] }>(confirmed);
    for (const code of recoveryCodes) secrets.add(code);
    // The code that confirmed is spent: sign-in needs the next one.
    t.clock.advance(STEP);
    return { client, email: client.email, secret, recoveryCodes };
  }

  const hasSession = (res: LightMyRequestResponse) =>
    res.cookies.some((c) => c.name === "hl_session" && c.value !== "");

  it("enrols an authenticator app with a first code, sealed at rest, and shows ten recovery codes once", async () => {
    const client = await signup(t, uniqueEmail("enrol"));
    const status = () => client.inject({ url: "/api/v1/auth/second-factor" });
    expect(json(await status())).toEqual({
      totp: { enabled: false, enabledAt: null },
      passkeys: { count: 0 },
      recoveryCodes: { remaining: 0 },
    });
    // Confirming before starting: nothing to confirm.
    const early = await client.inject({
      method: "POST",
      url: "/api/v1/auth/second-factor/totp/confirm",
      payload: { code: "123456" },
    });
    expect(json(early)).toMatchObject({ error: { code: "totp_not_started" } });

    const started = json<{ secret: string }>(
      await client.inject({ method: "POST", url: "/api/v1/auth/second-factor/totp" }),
    );
    secrets.add(started.secret);
    const row = await t.database.db
      .selectFrom("user_totp")
      .innerJoin("users", "users.id", "user_totp.user_id")
      .select(["secret_sealed", "confirmed_at"])
      .where("users.email", "=", client.email)
      .executeTakeFirstOrThrow();
    expect(row.secret_sealed).not.toContain(started.secret);
    expect(row.secret_sealed).toMatch(/^v1\./);
    expect(row.confirmed_at).toBeNull();
    // Not in force yet: the password alone still signs in.
    expect((await login(client.email)).statusCode).toBe(200);

    // A code from another secret (or a typo) does not confirm.
    const wrong = await client.inject({
      method: "POST",
      url: "/api/v1/auth/second-factor/totp/confirm",
      payload: { code: await codeAt(started.secret, t.clock.now() + 10 * STEP) },
    });
    expect(wrong.statusCode).toBe(400);
    expect(json(wrong)).toMatchObject({ error: { code: "invalid_code" } });

    const ok = await client.inject({
      method: "POST",
      url: "/api/v1/auth/second-factor/totp/confirm",
      payload: { code: await codeAt(started.secret) },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    const codes = json<{ recoveryCodes: string[] }>(ok).recoveryCodes;
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[0-9a-z]{4}(-[0-9a-z]{4}){3}$/);
    expect(json(await status())).toMatchObject({
      totp: { enabled: true },
      recoveryCodes: { remaining: 10 },
    });
    // Stored hashed: no code appears in the table.
    const stored = await t.database.db.selectFrom("recovery_codes").select("code_hash").execute();
    for (const code of codes) expect(stored.map((s) => s.code_hash)).not.toContain(code);

    const again = await client.inject({ method: "POST", url: "/api/v1/auth/second-factor/totp" });
    expect(again.statusCode).toBe(409);
    expect(json(again)).toMatchObject({ error: { code: "totp_already_enabled" } });
  });

  it("signs in with the password, then a code: the first step opens no session and its token works once", async () => {
    const { email, secret } = await enrolled("signin");
    const first = await login(email);
    expect(first.statusCode).toBe(202);
    expect(hasSession(first)).toBe(false);
    const challenge = json<{ pendingToken: string; expiresAt: string; methods: string[] }>(first);
    secrets.add(challenge.pendingToken);
    expect(challenge).toMatchObject({
      status: "second_factor_required",
      methods: ["totp", "recovery_code"],
      expiresAt: new Date(t.clock.now() + 5 * 60_000).toISOString(),
    });

    const done = await second({ pendingToken: challenge.pendingToken, code: await codeAt(secret) });
    expect(done.statusCode, done.body).toBe(200);
    expect(json(done)).toMatchObject({ user: { email } });
    const client = clientFrom(t, done, email);
    expect((await client.inject({ url: "/api/v1/auth/me" })).statusCode).toBe(200);

    // The pending sign-in is spent with it.
    t.clock.advance(STEP);
    const reused = await second({
      pendingToken: challenge.pendingToken,
      code: await codeAt(secret),
    });
    expect(json(reused)).toMatchObject({ error: { code: "sign_in_expired" } });

    // A pending sign-in lasts five minutes.
    const late = await pendingFor(email);
    t.clock.advance(5 * 60_000 + 1);
    const expired = await second({ pendingToken: late, code: await codeAt(secret) });
    expect(expired.statusCode).toBe(401);
    expect(json(expired)).toMatchObject({ error: { code: "sign_in_expired" } });
    // Neither the token nor the code in the body may come in a query string either: none here.
    expect(t.logs.join("")).not.toContain(late);
  });

  it("refuses a wrong code, and a pending sign-in ends after five of them", async () => {
    const { email, secret } = await enrolled("wrong");
    const pending = await pendingFor(email, "192.0.2.21");
    const good = await codeAt(secret);
    const bad = good === "000000" ? "111111" : "000000";
    const wrong = await second({ pendingToken: pending, code: bad }, "192.0.2.21");
    expect(wrong.statusCode).toBe(401);
    expect(json(wrong)).toMatchObject({ error: { code: "invalid_code" } });
    expect(hasSession(wrong)).toBe(false);
    // The same pending sign-in still takes the right code.
    const right = await second({ pendingToken: pending, code: good }, "192.0.2.21");
    expect(right.statusCode, right.body).toBe(200);

    t.clock.advance(STEP);
    const doomed = await pendingFor(email, "192.0.2.22");
    for (let i = 0; i < 5; i++) {
      const res = await second({ pendingToken: doomed, code: bad }, "192.0.2.22");
      expect(json(res), `wrong code ${i + 1}`).toMatchObject({ error: { code: "invalid_code" } });
    }
    const after = await second({ pendingToken: doomed, code: await codeAt(secret) }, "192.0.2.22");
    expect(json(after)).toMatchObject({ error: { code: "sign_in_expired" } });
  });

  it("takes each code once within its window, and no older code after a newer one", async () => {
    const { email, secret } = await enrolled("reuse");
    const now = await codeAt(secret);
    expect((await second({ pendingToken: await pendingFor(email), code: now })).statusCode).toBe(
      200,
    );
    // Same window, same code: refused, though it is still the one the app shows.
    const again = await second({ pendingToken: await pendingFor(email), code: now });
    expect(again.statusCode).toBe(401);
    expect(json(again)).toMatchObject({ error: { code: "invalid_code" } });

    // The previous window's code is within the tolerance, but older than the one spent.
    const previous = await codeAt(secret, t.clock.now() - STEP);
    const older = await second({ pendingToken: await pendingFor(email), code: previous });
    expect(json(older)).toMatchObject({ error: { code: "invalid_code" } });

    // The next window's code works.
    t.clock.advance(STEP);
    const next = await second({
      pendingToken: await pendingFor(email),
      code: await codeAt(secret),
    });
    expect(next.statusCode, next.body).toBe(200);

    // Two sign-ins racing with one code: exactly one wins.
    t.clock.advance(STEP);
    const code = await codeAt(secret);
    const [a, b] = await Promise.all([pendingFor(email), pendingFor(email)]);
    const raced = await Promise.all([
      second({ pendingToken: a, code }),
      second({ pendingToken: b, code }),
    ]);
    expect(raced.map((r) => r.statusCode).sort()).toEqual([200, 401]);
  });

  it("counts wrong codes toward the account's back-off: the password again buys no new guesses", async () => {
    const { email, secret } = await enrolled("lockout");
    const ip = "198.51.100.40";
    const good = await codeAt(secret);
    const bad = good === "000000" ? "111111" : "000000";
    // Five wrong codes are free (then that pending sign-in ends) …
    let pending = await pendingFor(email, ip);
    for (let i = 0; i < 5; i++)
      expect((await second({ pendingToken: pending, code: bad }, ip)).statusCode).toBe(401);
    // … and the right password again does not reset the count: the sixth pauses.
    pending = await pendingFor(email, ip);
    expect((await second({ pendingToken: pending, code: bad }, ip)).statusCode).toBe(401);
    const paused = await second({ pendingToken: pending, code: good }, ip);
    expect(paused.statusCode).toBe(429);
    expect(json(paused)).toMatchObject({
      error: { code: "sign_in_paused", retryAt: new Date(t.clock.now() + 30_000).toISOString() },
    });
    // The password step is paused too, from that IP.
    expect(json(await login(email, GOOD_PASSWORD, ip))).toMatchObject({
      error: { code: "sign_in_paused" },
    });
    // When the pause ends, the right code signs in and the count starts again.
    t.clock.advance(30_000);
    pending = await pendingFor(email, ip);
    const ok = await second({ pendingToken: pending, code: await codeAt(secret) }, ip);
    expect(ok.statusCode, ok.body).toBe(200);
  });

  it("a sign-in waiting for its second factor ends when the password changes", async () => {
    const { client, email, secret } = await enrolled("pending-change");
    // Someone with the old password is at the second step when the owner changes it.
    const pending = await pendingFor(email, "198.51.100.70");
    const changed = await client.inject({
      method: "POST",
      url: "/api/v1/auth/password",
      payload: { currentPassword: GOOD_PASSWORD, newPassword: "another-plum-river-77" },
    });
    expect(changed.statusCode, changed.body).toBe(204);
    t.clock.advance(STEP);
    const late = await second(
      { pendingToken: pending, code: await codeAt(secret) },
      "198.51.100.70",
    );
    expect(late.statusCode, late.body).toBe(401);
    expect(json(late)).toMatchObject({ error: { code: "sign_in_expired" } });
  });

  it("32 parallel uses of one recovery code sign in exactly once, on one sign-in or many", async () => {
    const { client, email, recoveryCodes } = await enrolled("recovery-race");
    // One pending sign-in, the code sent 32 times at once (a double-click, or a thief racing).
    const one = await pendingFor(email, "198.51.100.60");
    const same = await Promise.all(
      Array.from({ length: 32 }, () =>
        second({ pendingToken: one, recoveryCode: recoveryCodes[0] }, "198.51.100.60"),
      ),
    );
    expect(same.filter((r) => r.statusCode === 200)).toHaveLength(1);
    // 32 sign-ins, each from its own address, racing one code.
    const ips = Array.from({ length: 32 }, (_, i) => `203.0.113.${100 + i}`);
    const pendings = await Promise.all(ips.map((ip) => pendingFor(email, ip)));
    const many = await Promise.all(
      pendings.map((pendingToken, i) =>
        second({ pendingToken, recoveryCode: recoveryCodes[1] }, ips[i]),
      ),
    );
    expect(many.filter((r) => r.statusCode === 200)).toHaveLength(1);
    expect(json(await client.inject({ url: "/api/v1/auth/second-factor" }))).toMatchObject({
      recoveryCodes: { remaining: 8 },
    });
  });

  it("takes each recovery code once, mails its use, and new codes void the old ones", async () => {
    const { client, email, recoveryCodes } = await enrolled("recovery");
    const [first, second2] = recoveryCodes;
    const used = await second({ pendingToken: await pendingFor(email), recoveryCode: first });
    expect(used.statusCode, used.body).toBe(200);
    // Typed in upper case without dashes, the second one works too.
    const typed = second2!.replace(/-/g, "").toUpperCase();
    expect(
      (await second({ pendingToken: await pendingFor(email), recoveryCode: typed })).statusCode,
    ).toBe(200);
    const reused = await second({ pendingToken: await pendingFor(email), recoveryCode: first });
    expect(reused.statusCode).toBe(401);
    expect(json(reused)).toMatchObject({ error: { code: "invalid_code" } });
    expect(json(await client.inject({ url: "/api/v1/auth/second-factor" }))).toMatchObject({
      recoveryCodes: { remaining: 8 },
    });

    await t.services.mail.runOnce();
    const notices = smtp.messages.filter(
      (m) => m.envelopeTo.includes(email) && /recovery code was used/i.test(m.parsed.subject ?? ""),
    );
    expect(notices).toHaveLength(2);
    // Both were queued at the same instant: the outbox may send them in either order.
    const texts = notices.map((n) => n.parsed.text ?? "");
    expect(texts.filter((text) => text.includes("9 unused recovery codes are left"))).toHaveLength(
      1,
    );
    const latest = notices.find((n) => n.parsed.text?.includes("8 unused recovery codes are left"));
    expect(latest).toBeDefined();
    expect(latest!.raw).not.toMatch(/https?:\/\//);
    for (const code of recoveryCodes) expect(latest!.raw).not.toContain(code);

    // New codes need the password; the old ones stop working at once.
    const refused = await client.inject({
      method: "POST",
      url: "/api/v1/auth/second-factor/recovery-codes",
      payload: { password: "not the password" },
    });
    expect(json(refused)).toMatchObject({ error: { code: "wrong_current_password" } });
    const fresh = await client.inject({
      method: "POST",
      url: "/api/v1/auth/second-factor/recovery-codes",
      payload: { password: GOOD_PASSWORD },
    });
    expect(fresh.statusCode, fresh.body).toBe(200);
    const newCodes = json<{ recoveryCodes: string[] }>(fresh).recoveryCodes;
    for (const code of newCodes) secrets.add(code);
    expect(newCodes).toHaveLength(10);
    const old = await second({
      pendingToken: await pendingFor(email),
      recoveryCode: recoveryCodes[2],
    });
    expect(json(old)).toMatchObject({ error: { code: "invalid_code" } });
    const newer = await second({
      pendingToken: await pendingFor(email),
      recoveryCode: newCodes[0],
    });
    expect(newer.statusCode).toBe(200);
  });

  it("turns the authenticator off with the password: sign-in is one step again", async () => {
    const { client, email } = await enrolled("off");
    const wrong = await client.inject({
      method: "DELETE",
      url: "/api/v1/auth/second-factor/totp",
      payload: { password: "not the password" },
    });
    expect(wrong.statusCode).toBe(403);
    expect((await login(email)).statusCode).toBe(202);
    const off = await client.inject({
      method: "DELETE",
      url: "/api/v1/auth/second-factor/totp",
      payload: { password: GOOD_PASSWORD },
    });
    expect(off.statusCode, off.body).toBe(204);
    expect((await login(email)).statusCode).toBe(200);
    expect(json(await client.inject({ url: "/api/v1/auth/second-factor" }))).toEqual({
      totp: { enabled: false, enabledAt: null },
      passkeys: { count: 0 },
      recoveryCodes: { remaining: 0 },
    });
  });

  it("records the sign-in in the audit log at the second step, not at the password", async () => {
    const { client, email, secret } = await enrolled("audited");
    const orgId = await orgIdOf(client);
    const count = async () => {
      const res = await client.inject({ url: `/api/v1/orgs/${orgId}/audit` });
      return res.body
        .trim()
        .split("\n")
        .filter((l) => l.includes('"signin.succeeded"')).length;
    };
    const before = await count();
    const pending = await pendingFor(email);
    expect(await count()).toBe(before);
    expect((await second({ pendingToken: pending, code: await codeAt(secret) })).statusCode).toBe(
      200,
    );
    expect(await count()).toBe(before + 1);
  });
});

export type { Client };
