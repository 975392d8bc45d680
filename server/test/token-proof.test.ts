/**
 * Creating an API token needs a recent proof of identity (SPEC F8, extension): a token outlives
 * the session that makes it, so a stolen session alone must not mint one. A session signed in
 * more than 15 minutes ago sends the password; the owner is mailed (name, scope, expiry, never
 * the token). Through the real app and a real SMTP server on SQLite and (with TEST_DATABASE_URL)
 * PostgreSQL; the clock is injected and moved, nothing sleeps.
 */
import { describe, expect, it } from "vitest";

import { GOOD_PASSWORD, login, signup, uniqueEmail, type Client } from "./helpers/accounts.js";
import { testDialects } from "./helpers/databases.js";
import { errorCode, json } from "./helpers/http.js";
import { clockPerTest, liveSuite } from "./helpers/suite.js";

const MINUTE = 60_000;
const TOKENS = "/api/v1/tokens";
const SUBJECT = /An API token was created/;

describe.each(testDialects)("creating an API token on %s", (dialect) => {
  const live = liveSuite(dialect, {}, { clock: clockPerTest() });
  const { t, smtp } = live;

  const create = (client: Client, payload: object, ip = "192.0.2.20") =>
    client.inject({ method: "POST", url: TOKENS, remoteAddress: ip, payload });

  /** An account whose session signed in 16 minutes ago (an unlocked laptop, a copied cookie). */
  async function oldSession(name: string) {
    const client = await signup(t, uniqueEmail(name));
    t.clock.advance(16 * MINUTE);
    return client;
  }

  const tokensOf = (email: string) =>
    t.database.db
      .selectFrom("api_tokens")
      .innerJoin("users", "users.id", "api_tokens.user_id")
      .select(["api_tokens.id", "api_tokens.name"])
      .where("users.email", "=", email)
      .execute();

  const mailsAbout = async (email: string) => {
    await t.services.mail.runOnce();
    return smtp.messages.filter(
      (m) => m.envelopeTo.includes(email) && SUBJECT.test(m.parsed.subject ?? ""),
    );
  };

  it("an old session alone cannot create a token; with the password it can, and the owner is told", async () => {
    const client = await oldSession("old-token");
    const refused = await create(client, { name: "CI deploy" });
    expect(refused.statusCode, refused.body).toBe(403);
    expect(errorCode(refused)).toBe("recent_sign_in_required");
    // Nothing was made, and nothing was mailed, by the refusal.
    expect(await tokensOf(client.email)).toEqual([]);
    expect(await mailsAbout(client.email)).toEqual([]);

    const made = await create(client, {
      name: "CI deploy",
      scope: "read",
      expiresIn: 30 * 24 * 3600,
      password: GOOD_PASSWORD,
    });
    expect(made.statusCode, made.body).toBe(201);
    const { token, expiresAt } = json<{ token: string; expiresAt: string }>(made);
    const mails = await mailsAbout(client.email);
    expect(mails).toHaveLength(1);
    const text = mails[0]!.parsed.text ?? "";
    expect(text).toContain("“CI deploy”");
    expect(text).toContain("Scope: read only.");
    expect(text).toContain(`It expires on ${expiresAt.slice(0, 10)}`);
    // The token itself is in the answer only, never in the mail.
    expect(mails[0]!.raw).not.toContain(token);
    expect(mails[0]!.raw).not.toContain(token.slice(3, 20));
  });

  it("a session signed in within 15 minutes needs no password", async () => {
    const { email } = await oldSession("fresh-token");
    t.clock.advance(60 * MINUTE);
    const client = await login(t, email);
    t.clock.advance(14 * MINUTE);
    const made = await create(client, { name: "laptop" });
    expect(made.statusCode, made.body).toBe(201);
    const mails = await mailsAbout(email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.parsed.text ?? "").toContain("It never expires.");
  });

  it("a wrong password is 403 wrong_current_password and counts toward the sign-in back-off", async () => {
    const client = await oldSession("wrong-token");
    const ip = "192.0.2.88";
    for (let i = 0; i < 6; i++) {
      const wrong = await create(client, { name: "x", password: `not it ${i}` }, ip);
      expect(wrong.statusCode).toBe(403);
      expect(errorCode(wrong)).toBe("wrong_current_password");
    }
    const paused = await create(client, { name: "x", password: GOOD_PASSWORD }, ip);
    expect(paused.statusCode).toBe(429);
    expect(errorCode(paused)).toBe("sign_in_paused");
    // A wrong password is checked even on a fresh session.
    const fresh = await login(t, client.email);
    const wrongFresh = await create(fresh, { name: "x", password: "still not it" }, "192.0.2.89");
    expect(errorCode(wrongFresh)).toBe("wrong_current_password");
    expect(await tokensOf(client.email)).toEqual([]);
  });

  it("an API token cannot create a token, even with the password", async () => {
    const client = await signup(t, uniqueEmail("token-token"));
    const made = await create(client, { name: "full" });
    const { token } = json<{ token: string }>(made);
    const byToken = await t.app.inject({
      method: "POST",
      url: TOKENS,
      headers: { authorization: `Bearer ${token}` },
      payload: { name: "minted", password: GOOD_PASSWORD },
    });
    expect(byToken.statusCode).toBe(403);
    expect(errorCode(byToken)).toBe("token_scope");
    expect((await tokensOf(client.email)).map((r) => r.name)).toEqual(["full"]);
  });

  it("tokens made at once each get their one mail, committed with them", async () => {
    const client = await oldSession("many-token");
    const answers = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        create(client, { name: `job ${i}`, password: GOOD_PASSWORD }),
      ),
    );
    expect(answers.map((a) => a.statusCode)).toEqual([201, 201, 201, 201, 201]);
    expect(await tokensOf(client.email)).toHaveLength(5);
    const texts = (await mailsAbout(client.email)).map((m) => m.parsed.text ?? "");
    expect(texts).toHaveLength(5);
    for (let i = 0; i < 5; i++) expect(texts.some((x) => x.includes(`“job ${i}”`))).toBe(true);
  });
});
