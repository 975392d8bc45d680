/**
 * Adding a second factor needs a recent proof of identity (SPEC F16, extension): a session
 * signed in more than 15 minutes ago sends the password, or signs in again, before it can set up
 * an authenticator app or add a passkey, and the owner is mailed when either is added. Through
 * the real app and a real SMTP server on SQLite and (with TEST_DATABASE_URL) PostgreSQL; the
 * clock is injected and moved, nothing sleeps.
 */
import { describe, expect, it } from "vitest";

import {
  GOOD_PASSWORD,
  login,
  signInAttempt,
  signup,
  uniqueEmail,
  type Client,
} from "./helpers/accounts.js";
import { testDialects } from "./helpers/databases.js";
import { errorCode, json } from "./helpers/http.js";
import { SoftAuthenticator } from "./helpers/passkeys.js";
import { totpAt } from "./helpers/second-factor.js";
import { clockPerTest, liveSuite } from "./helpers/suite.js";

const MINUTE = 60_000;
const TOTP = "/api/v1/auth/second-factor/totp";
const PASSKEYS = "/api/v1/auth/second-factor/passkeys";

describe.each(testDialects)("adding a second factor on %s", (dialect) => {
  const live = liveSuite(dialect, {}, { clock: clockPerTest() });
  const { t, smtp } = live;

  const post = (client: Client, url: string, payload?: object, ip = "192.0.2.10") =>
    client.inject({ method: "POST", url, remoteAddress: ip, ...(payload ? { payload } : {}) });

  /** An account whose session signed in 16 minutes ago (an unlocked laptop, a copied cookie). */
  async function oldSession(name: string) {
    const client = await signup(t, uniqueEmail(name));
    t.clock.advance(16 * MINUTE);
    return client;
  }

  async function addPasskey(client: Client, proof: { password?: string } = {}) {
    const options = await post(client, `${PASSKEYS}/options`, proof);
    expect(options.statusCode, options.body).toBe(200);
    const key = new SoftAuthenticator();
    return post(client, PASSKEYS, {
      name: "Work laptop",
      credential: key.register(json<{ challenge: string; user: { id: string } }>(options)),
    });
  }

  const mailsAbout = async (email: string, subject: RegExp) => {
    await t.services.mail.runOnce();
    return smtp.messages.filter(
      (m) => m.envelopeTo.includes(email) && subject.test(m.parsed.subject ?? ""),
    );
  };

  it("an old session alone cannot start an authenticator app or a passkey; with the password it can", async () => {
    const client = await oldSession("old");
    for (const url of [TOTP, `${PASSKEYS}/options`]) {
      const refused = await post(client, url);
      expect(refused.statusCode, url).toBe(403);
      expect(errorCode(refused), url).toBe("recent_sign_in_required");
      // An empty proof is no proof either.
      expect(errorCode(await post(client, url, {})), url).toBe("recent_sign_in_required");
    }
    // Nothing was started by the refusals.
    const started = await t.database.db
      .selectFrom("user_totp")
      .innerJoin("users", "users.id", "user_totp.user_id")
      .select("user_totp.user_id")
      .where("users.email", "=", client.email)
      .execute();
    expect(started).toEqual([]);

    const totp = await post(client, TOTP, { password: GOOD_PASSWORD });
    expect(totp.statusCode, totp.body).toBe(200);
    const { secret } = json<{ secret: string }>(totp);
    // The proven start carries to the confirmation: no password needed there.
    const confirmed = await post(client, `${TOTP}/confirm`, { code: await totpAt(t, secret) });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    // So does the passkey's challenge, from the options the password opened.
    const added = await addPasskey(client, { password: GOOD_PASSWORD });
    expect(added.statusCode, added.body).toBe(201);
  });

  it("a session signed in within 15 minutes needs no password", async () => {
    const { email } = await oldSession("fresh");
    t.clock.advance(60 * MINUTE);
    const client = await login(t, email);
    t.clock.advance(14 * MINUTE);
    const totp = await post(client, TOTP);
    expect(totp.statusCode, totp.body).toBe(200);
    const { secret } = json<{ secret: string }>(totp);
    expect(
      (await post(client, `${TOTP}/confirm`, { code: await totpAt(t, secret) })).statusCode,
    ).toBe(200);
    expect((await addPasskey(client)).statusCode).toBe(201);
  });

  it("a wrong password is 403 wrong_current_password and counts toward the sign-in back-off", async () => {
    const client = await oldSession("wrong");
    const ip = "192.0.2.77";
    for (let i = 0; i < 6; i++) {
      const url = i % 2 === 0 ? TOTP : `${PASSKEYS}/options`;
      const wrong = await post(client, url, { password: `not it ${i}` }, ip);
      expect(wrong.statusCode, url).toBe(403);
      expect(errorCode(wrong)).toBe("wrong_current_password");
    }
    // Six wrong passwords from one IP pause the address there, as six wrong sign-ins would:
    // the right password waits, here and at the sign-in page.
    const paused = await post(client, TOTP, { password: GOOD_PASSWORD }, ip);
    expect(paused.statusCode).toBe(429);
    expect(errorCode(paused)).toBe("sign_in_paused");
    const signIn = await signInAttempt(t, client.email, GOOD_PASSWORD, ip);
    expect(signIn.statusCode).toBe(429);
    // A wrong password is wrong even on a fresh session: it is checked whenever it is given.
    const fresh = await login(t, client.email);
    const wrongFresh = await post(fresh, TOTP, { password: "still not it" }, "192.0.2.78");
    expect(errorCode(wrongFresh)).toBe("wrong_current_password");
  });

  it("a set-up started long ago needs a new proof to be confirmed", async () => {
    const client = await signup(t, uniqueEmail("stale"));
    const totp = await post(client, TOTP);
    expect(totp.statusCode, totp.body).toBe(200);
    const { secret } = json<{ secret: string }>(totp);
    t.clock.advance(16 * MINUTE);
    const code = await totpAt(t, secret);
    const stale = await post(client, `${TOTP}/confirm`, { code });
    expect(stale.statusCode).toBe(403);
    expect(errorCode(stale)).toBe("recent_sign_in_required");
    const wrong = await post(client, `${TOTP}/confirm`, { code, password: "not it" });
    expect(errorCode(wrong)).toBe("wrong_current_password");
    const proven = await post(client, `${TOTP}/confirm`, { code, password: GOOD_PASSWORD });
    expect(proven.statusCode, proven.body).toBe(200);
  });

  it("mails the owner when an authenticator app is set up or a passkey added, in their language", async () => {
    const client = await signup(t, uniqueEmail("told"));
    const totp = await post(client, TOTP);
    const { secret } = json<{ secret: string }>(totp);
    expect(
      (await post(client, `${TOTP}/confirm`, { code: await totpAt(t, secret) })).statusCode,
    ).toBe(200);
    const [app] = await mailsAbout(client.email, /authenticator app was set up/);
    expect(app, "the authenticator app's mail").toBeDefined();
    expect(app!.parsed.text).toContain("If it was not you, someone is signed in to your account");
    expect(app!.parsed.text).toContain("change your password, remove it");
    expect(app!.raw).not.toMatch(/https?:\/\//);
    expect(app!.raw).not.toContain(secret);

    const locale = await client.inject({
      method: "PATCH",
      url: "/api/v1/auth/me",
      payload: { locale: "de" },
    });
    expect(locale.statusCode, locale.body).toBe(200);
    expect((await addPasskey(client)).statusCode).toBe(201);
    const [passkey] = await mailsAbout(
      client.email,
      /Ihrem Hushlink-Konto wurde ein Passkey hinzugefügt/,
    );
    expect(passkey, "the passkey's mail, in German").toBeDefined();
    expect(passkey!.parsed.text).toContain("Er meldet ohne das Passwort an.");
    // The name was typed by whoever added it: it is not in the owner's mail.
    expect(passkey!.raw).not.toContain("Work laptop");
    expect(passkey!.raw).not.toMatch(/https?:\/\//);
  });
});
