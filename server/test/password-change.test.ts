/**
 * Changing the password while signed in (extends SPEC §4, F8): POST /api/v1/auth/password. Over
 * real HTTP on a listening app with a real SMTP server, on SQLite and (with TEST_DATABASE_URL)
 * PostgreSQL.
 */
import { afterAll, describe, expect, it } from "vitest";

import { GOOD_PASSWORD, uniqueEmail } from "./helpers/accounts.js";
import { testDialects } from "./helpers/databases.js";
import { errorCodeOf, LiveClient, loginLive, signupLive } from "./helpers/live.js";
import { dereference } from "./helpers/openapi.js";
import { clockPerTest, liveSuite } from "./helpers/suite.js";
import { hashToken } from "../src/lib/tokens.js";

const MINUTE = 60_000;
const NEW_PASSWORD = "amber-harbour-violin-73";

describe.each(testDialects)("changing the password on %s", (dialect) => {
  const live = liveSuite(dialect, {}, { clock: clockPerTest() });
  const { t, smtp } = live;
  /** Every password the tests sent: none may reach a log line or a mail. */
  const passwords = new Set([GOOD_PASSWORD, NEW_PASSWORD]);

  // Registered after liveSuite's hooks, so it runs before the app closes.
  afterAll(() => {
    const logs = t.logs.join("");
    expect(logs).toContain('"route":"/api/v1/auth/password"');
    for (const password of passwords) {
      expect(logs).not.toContain(password);
      for (const message of smtp.messages) expect(message.raw).not.toContain(password);
    }
  });

  function change(client: LiveClient, currentPassword: string, newPassword: string) {
    passwords.add(currentPassword);
    passwords.add(newPassword);
    return client.post("/api/v1/auth/password", { currentPassword, newPassword });
  }

  const login = (email: string, password: string) =>
    new LiveClient(live.base, email).post("/api/v1/auth/login", { email, password });

  const me = (client: LiveClient) => client.get("/api/v1/auth/me");

  async function mailsAbout(email: string) {
    await t.services.mail.runOnce();
    return smtp.messages.filter(
      (m) => m.envelopeTo.includes(email) && /password was changed/i.test(m.parsed.subject ?? ""),
    );
  }

  it("sets the new password, signs out every other session but this one, and mails a notice without a link", async () => {
    const email = uniqueEmail("changer");
    const laptop = await signupLive(live.base, email, { name: "Walter" });
    const phone = await loginLive(live.base, email);
    const tablet = await loginLive(live.base, email);
    const token = await laptop.post<{ token: string }>("/api/v1/tokens", { name: "CI" });
    expect(token.status).toBe(201);
    t.clock.advance(5 * MINUTE);
    const changedAt = t.clock.now();

    const answer = await change(laptop, GOOD_PASSWORD, NEW_PASSWORD);
    expect(answer.status, answer.text).toBe(204);
    expect(answer.text).toBe("");

    // This session stays, and its CSRF-protected calls keep working.
    expect((await me(laptop)).status).toBe(200);
    expect((await laptop.post("/api/v1/tokens", { name: "after" })).status).toBe(201);
    // Every other session is out, on its next request.
    for (const other of [phone, tablet]) {
      const refused = await me(other);
      expect(refused.status).toBe(401);
      expect(errorCodeOf(refused)).toBe("login_required");
    }
    // API tokens made before the change are revoked with it (issue 15; keepApiTokens keeps
    // them: takeover.test.ts).
    const bearer = await new LiveClient(live.base).get("/api/v1/auth/me", {
      headers: { authorization: `Bearer ${token.body.token}` },
    });
    expect(bearer.status).toBe(401);

    // The old password no longer signs in; the new one does.
    const old = await login(email, GOOD_PASSWORD);
    expect(old.status).toBe(401);
    expect(errorCodeOf(old)).toBe("invalid_credentials");
    expect((await login(email, NEW_PASSWORD)).status).toBe(200);

    // The notice reached the real SMTP server: both parts, the time, and no link at all.
    const mails = await mailsAbout(email);
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect(mail.envelopeTo).toEqual([email]);
    expect(mail.parsed.subject).toBe("Your Hushlink password was changed");
    const iso = new Date(changedAt).toISOString();
    expect(mail.parsed.text).toContain(`${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`);
    expect(mail.parsed.text).toContain("Forgot your password?");
    expect(mail.parsed.text).not.toMatch(/https?:|www\./i);
    expect(typeof mail.parsed.html).toBe("string");
    expect(mail.parsed.html).not.toMatch(/<a\b|href=|https?:/i);
    expect(mail.raw).not.toMatch(/https?:\/\/hushlink\.test/);
  });

  it("a wrong current password: 403 wrong_current_password, nothing changes, and it counts toward the back-off", async () => {
    const email = uniqueEmail("guesser");
    const stolen = await signupLive(live.base, email);
    const owner = await loginLive(live.base, email);

    const wrong = await change(stolen, "not-the-password-1", NEW_PASSWORD);
    expect(wrong.status).toBe(403);
    expect(errorCodeOf(wrong)).toBe("wrong_current_password");
    expect(wrong.text).not.toContain(NEW_PASSWORD);
    expect((await me(owner)).status).toBe(200);
    expect((await mailsAbout(email)).length).toBe(0);

    // Five wrong passwords from one IP are free, at sign-in and here together...
    for (let i = 0; i < 3; i++) expect((await login(email, `wrong-login-${i}`)).status).toBe(401);
    expect((await change(stolen, "not-the-password-2", NEW_PASSWORD)).status).toBe(403);
    expect((await login(email, GOOD_PASSWORD)).status).toBe(200);
    // ...(the right one started the count again)...
    for (let i = 0; i < 4; i++) expect((await login(email, `wrong-again-${i}`)).status).toBe(401);
    expect((await change(stolen, "not-the-password-3", NEW_PASSWORD)).status).toBe(403);
    // ...and the sixth pauses both, for 30 seconds, saying until when.
    expect((await change(stolen, "not-the-password-4", NEW_PASSWORD)).status).toBe(403);
    const until = new Date(t.clock.now() + 30_000).toISOString();
    const paused = await login(email, GOOD_PASSWORD);
    expect(paused.status).toBe(429);
    expect(paused.body.error).toMatchObject({ code: "sign_in_paused", retryAt: until });
    const pausedChange = await change(stolen, GOOD_PASSWORD, NEW_PASSWORD);
    expect(pausedChange.status).toBe(429);
    expect(errorCodeOf(pausedChange)).toBe("sign_in_paused");

    // When the pause is over the right password works; it never changed.
    t.clock.advance(30_000);
    expect((await login(email, GOOD_PASSWORD)).status).toBe(200);
    expect((await login(email, NEW_PASSWORD)).status).toBe(401);
    expect((await me(owner)).status).toBe(200);
  });

  it("the new password follows the sign-up rules: too short, common, built on the address, unchanged", async () => {
    const email = uniqueEmail("rules");
    const client = await signupLive(live.base, email);
    const cases: [string, string][] = [
      ["short-1", "invalid_request"],
      ["password123", "weak_password"],
      ["aaaaaaaaaaaa", "weak_password"],
      [`${email.split("@")[0]}!`, "weak_password"],
      [GOOD_PASSWORD, "same_password"],
    ];
    for (const [newPassword, code] of cases) {
      const answer = await change(client, GOOD_PASSWORD, newPassword);
      expect(answer.status, newPassword).toBe(400);
      expect(errorCodeOf(answer), newPassword).toBe(code);
      expect(answer.text).not.toContain(newPassword);
    }
    // Nothing changed, and a refused new password is no wrong guess of the current one: the
    // account-wide count, which only failures write, has no row.
    expect((await login(email, GOOD_PASSWORD)).status).toBe(200);
    const failures = await t.database.db
      .selectFrom("sign_in_attempts")
      .select("failures")
      .where("account_key", "=", hashToken(email))
      .where("ip", "=", "*")
      .execute();
    expect(failures).toEqual([]);
    expect((await mailsAbout(email)).length).toBe(0);
  });

  it("needs a session and the CSRF header; bodies are checked", async () => {
    const email = uniqueEmail("csrf");
    const client = await signupLive(live.base, email);
    const body = { currentPassword: GOOD_PASSWORD, newPassword: NEW_PASSWORD };

    const noHeader = await client.post("/api/v1/auth/password", body, { noCsrf: true });
    expect(noHeader.status).toBe(403);
    expect(errorCodeOf(noHeader)).toBe("csrf_failed");
    const wrongHeader = await client.post("/api/v1/auth/password", body, {
      noCsrf: true,
      headers: { "x-csrf-token": "not-the-token" },
    });
    expect(wrongHeader.status).toBe(403);
    expect(errorCodeOf(wrongHeader)).toBe("csrf_failed");
    const foreign = await client.post("/api/v1/auth/password", body, {
      headers: { origin: "https://evil.example" },
    });
    expect(foreign.status).toBe(403);
    expect(errorCodeOf(foreign)).toBe("csrf_failed");

    const anonymous = await new LiveClient(live.base).post("/api/v1/auth/password", body);
    expect(anonymous.status).toBe(401);
    expect(errorCodeOf(anonymous)).toBe("login_required");

    const missing = await client.post("/api/v1/auth/password", { newPassword: NEW_PASSWORD });
    expect(missing.status).toBe(400);
    expect(errorCodeOf(missing)).toBe("invalid_request");
    const extra = await client.post("/api/v1/auth/password", { ...body, email: "x@example.test" });
    expect(extra.status).toBe(400);

    // None of these changed anything.
    expect((await login(email, GOOD_PASSWORD)).status).toBe(200);
    expect((await me(client)).status).toBe(200);
  });

  it("two changes racing with the same current password: exactly one wins", async () => {
    const email = uniqueEmail("racer");
    const first = await signupLive(live.base, email);
    // Two tabs of one session, so neither request can be refused for a signed-out session.
    const second = first.clone();
    const candidates = ["racing-otter-lamp-11", "racing-heron-bell-22"];
    const answers = await Promise.all([
      change(first, GOOD_PASSWORD, candidates[0]!),
      change(second, GOOD_PASSWORD, candidates[1]!),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([204, 403]);
    expect(answers.map((a) => errorCodeOf(a)).filter(Boolean)).toEqual(["wrong_current_password"]);
    const winner = answers[0].status === 204 ? 0 : 1;
    expect((await login(email, candidates[winner]!)).status).toBe(200);
    expect((await login(email, candidates[1 - winner]!)).status).toBe(401);
    expect((await login(email, GOOD_PASSWORD)).status).toBe(401);
    expect((await me(first)).status).toBe(200);
    expect(await mailsAbout(email)).toHaveLength(1);
  });

  it("is in the OpenAPI document with its body", async () => {
    const doc = await new LiveClient(live.base).get<{
      paths: Record<string, Record<string, Record<string, unknown>>>;
      components: { schemas: Record<string, unknown> };
    }>("/api/openapi.json");
    const operation = doc.body.paths["/api/v1/auth/password"]?.post;
    expect(operation?.tags).toEqual(["auth"]);
    const text = JSON.stringify(dereference(doc.body, operation));
    expect(text).toContain("currentPassword");
    expect(text).toContain("newPassword");
    expect(Object.keys(operation?.responses as object)).toEqual(
      expect.arrayContaining(["204", "400", "401", "403"]),
    );
  });
});
