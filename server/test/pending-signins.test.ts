/**
 * The second step of sign-in (F16) seen from outside the code check itself: a wrong code is
 * recorded in the organization's audit log as `signin.second_factor_failed` (the password was
 * right), and pending sign-ins nobody finished are deleted by the app's sweeper once expired.
 * Real app on SQLite and (with TEST_DATABASE_URL) PostgreSQL; the clock is injected, nothing
 * sleeps.
 */
import type { AuditEntry } from "@hushlink/protocol";
import { describe, expect, it } from "vitest";

import {
  GOOD_PASSWORD,
  orgIdOf,
  signInAttempt,
  signup,
  uniqueEmail,
  userIdOf,
} from "./helpers/accounts.js";
import { testDialects } from "./helpers/databases.js";
import { json } from "./helpers/http.js";
import { enrolTotp, TOTP_STEP_MS, totpAt, wrongCode } from "./helpers/second-factor.js";
import { appPerTest } from "./helpers/suite.js";

const PENDING_MS = 5 * 60_000;

describe.each(testDialects)("pending sign-ins on %s", (dialect) => {
  const t = appPerTest(dialect);

  const password = (email: string, ip: string) => signInAttempt(t, email, GOOD_PASSWORD, ip);

  const second = (body: Record<string, unknown>, ip: string) =>
    t.app.inject({
      method: "POST",
      url: "/api/v1/auth/login/second-factor",
      payload: body,
      remoteAddress: ip,
    });

  async function pendingFor(email: string, ip = "192.0.2.50") {
    const res = await password(email, ip);
    expect(res.statusCode, res.body).toBe(202);
    return json<{ pendingToken: string }>(res).pendingToken;
  }

  /** An account with the authenticator app set up; the code that confirmed it is spent. */
  async function enrolled(name: string) {
    const client = await signup(t, uniqueEmail(name));
    const factor = await enrolTotp(t, client);
    t.clock.advance(TOTP_STEP_MS);
    return { client, email: client.email, ...factor };
  }

  const pendingRowsOf = async (userId: string) =>
    (
      await t.database.db
        .selectFrom("pending_signins")
        .select("token_hash")
        .where("user_id", "=", userId)
        .execute()
    ).length;

  it("records each wrong code in the audit log as a failed second step, and the right one as the sign-in", async () => {
    const { client, email, secret, recoveryCodes } = await enrolled("audit-code");
    const orgId = await orgIdOf(client);
    const userId = await userIdOf(t, email);
    const ip = "198.51.100.61";
    const good = await totpAt(t, secret);

    const pending = await pendingFor(email, ip);
    const wrong = await second({ pendingToken: pending, code: wrongCode(good) }, ip);
    expect(json(wrong)).toMatchObject({ error: { code: "invalid_code" } });
    const wrongRecovery = await second(
      { pendingToken: pending, recoveryCode: "aaaa-bbbb-cccc-dddd" },
      ip,
    );
    expect(json(wrongRecovery)).toMatchObject({ error: { code: "invalid_code" } });
    // An unknown or spent pending token names no account: nothing to record.
    const unknown = await second({ pendingToken: "x".repeat(43), code: good }, ip);
    expect(json(unknown)).toMatchObject({ error: { code: "sign_in_expired" } });
    expect((await second({ pendingToken: pending, code: good }, ip)).statusCode).toBe(200);

    const log = await client.inject({ url: `/api/v1/orgs/${orgId}/audit` });
    expect(log.statusCode, log.body).toBe(200);
    const entries = log.body
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as AuditEntry);
    const failed = entries.filter((e) => e.type === "signin.second_factor_failed");
    expect(failed).toEqual([
      expect.objectContaining({
        actor: { kind: "anonymous", id: null },
        ip,
        target: { kind: "user", id: userId },
        outcome: "failure",
      }),
      expect.objectContaining({ ip, target: { kind: "user", id: userId }, outcome: "failure" }),
    ]);
    // The password step recorded nothing; the code that passed recorded the sign-in after them.
    expect(entries.filter((e) => e.type === "signin.failed")).toEqual([]);
    const last = entries.at(-1)!;
    expect(last).toMatchObject({ type: "signin.succeeded", ip });
    expect(last.seq).toBeGreaterThan(failed[1]!.seq);
    // No code, recovery code or pending token in any entry (six digits can occur in a hash, so
    // the codes are looked for as whole values).
    for (const code of [good, wrongCode(good)]) expect(log.body).not.toContain(`"${code}"`);
    for (const secretText of [pending, ...recoveryCodes])
      expect(log.body).not.toContain(secretText);
  });

  it("counts a wrong code with the wrong passwords toward the lock-out: after five free, it pauses", async () => {
    const { email, secret } = await enrolled("audit-lockout");
    const ip = "198.51.100.62";
    const bad = wrongCode(await totpAt(t, secret));
    // Five wrong passwords, the free ones …
    for (let i = 0; i < 5; i++) {
      const res = await signInAttempt(t, email, "not the password", ip);
      expect(json(res), `wrong password ${i + 1}`).toMatchObject({
        error: { code: "invalid_credentials" },
      });
    }
    // … then the right password (answered: no pause yet) and a wrong code, the sixth failure,
    // which pauses: the password step is refused next, though a wrong password never came again.
    const pending = await pendingFor(email, ip);
    expect((await second({ pendingToken: pending, code: bad }, ip)).statusCode).toBe(401);
    expect(json(await password(email, ip))).toMatchObject({ error: { code: "sign_in_paused" } });
  });

  it("the sweeper deletes pending sign-ins once expired, and leaves live ones", async () => {
    const { email, secret } = await enrolled("sweep");
    const userId = await userIdOf(t, email);
    await pendingFor(email);
    await pendingFor(email);
    expect(await pendingRowsOf(userId)).toBe(2);

    t.clock.advance(PENDING_MS - 1);
    const live = await pendingFor(email);
    await t.services.sweeper.runOnce();
    // Not yet expired: kept.
    expect(await pendingRowsOf(userId)).toBe(3);

    t.clock.advance(1);
    await t.services.sweeper.runOnce();
    expect(await pendingRowsOf(userId)).toBe(1);
    // The one left still completes the sign-in.
    const done = await second({ pendingToken: live, code: await totpAt(t, secret) }, "192.0.2.50");
    expect(done.statusCode, done.body).toBe(200);

    t.clock.advance(PENDING_MS);
    await pendingFor(email);
    t.clock.advance(PENDING_MS);
    await t.services.sweeper.runOnce();
    expect(await pendingRowsOf(userId)).toBe(0);
  });
});
