/**
 * Sign-in pauses end when the owner proves the inbox and sets a new password (issue 15, items 1
 * and 2): by a password reset, and by confirming the address with a new password where the link
 * was opened outside the sign-up browser (403 new_password_required first). Either way the
 * owner signs in at once with the new password, from the IP that was paused and from any other,
 * instead of waiting out pauses that others' wrong passwords caused. On the injected clock,
 * which never moves here: every pause would still be in force.
 */
import { describe, expect, it } from "vitest";

import { GOOD_PASSWORD, linkIn, mailsTo, signup, uniqueEmail } from "./helpers/accounts.js";
import { testDialects } from "./helpers/databases.js";
import { suiteApp } from "./helpers/suite.js";
import { json } from "./helpers/http.js";

const NEW_PASSWORD = "copper-meadow-violin-77";
const TYPO_IP = "192.0.2.40";
const OWNER_IP = "192.0.2.41";

describe.each(testDialects)("pauses end when the owner sets a new password, on %s", (dialect) => {
  const t = suiteApp(dialect);

  const post = (url: string, payload: unknown, ip: string) =>
    t.app.inject({ method: "POST", url, payload: payload as object, remoteAddress: ip });
  const login = (email: string, password: string, ip: string) =>
    post("/api/v1/auth/login", { email, password }, ip);

  /**
   * Pauses `email` both ways: six wrong passwords from TYPO_IP pause that IP, and with 44 more
   * from other IPs (50 in the hour) every IP that never signed in to the account is paused.
   * Checks that both pauses hold for the right `password`.
   */
  async function pauseEverything(email: string, password: string, net: string) {
    for (let i = 0; i < 6; i++)
      expect((await login(email, `typo ${i}`, TYPO_IP)).statusCode).toBe(401);
    for (let i = 0; i < 44; i++)
      expect((await login(email, `guess ${i}`, `${net}.${i + 1}`)).statusCode).toBe(401);
    for (const ip of [TYPO_IP, `${net}.200`]) {
      const paused = await login(email, password, ip);
      expect(paused.statusCode, ip).toBe(429);
      expect(json(paused)).toMatchObject({ error: { code: "sign_in_paused" } });
    }
  }

  async function expectSignsInEverywhere(email: string, net: string) {
    for (const ip of [TYPO_IP, `${net}.201`, OWNER_IP]) {
      expect((await login(email, NEW_PASSWORD, ip)).statusCode, ip).toBe(200);
    }
  }

  it("a password reset from the inbox ends every pause of the account", async () => {
    const { email } = await signup(t, uniqueEmail("reset-paused"));
    await pauseEverything(email, GOOD_PASSWORD, "198.51.100");

    expect((await post("/api/v1/auth/password-reset", { email }, OWNER_IP)).statusCode).toBe(204);
    const token = linkIn(await mailsTo(t, email), "http://hushlink.test/reset-password#").split(
      "#",
    )[1];
    const reset = await post(
      "/api/v1/auth/password-reset/confirm",
      { token, password: NEW_PASSWORD },
      OWNER_IP,
    );
    expect(reset.statusCode).toBe(204);
    await expectSignsInEverywhere(email, "198.51.100");
  }, 120_000);

  it("confirming the address with a new password ends every pause too", async () => {
    const { email } = await signup(t, uniqueEmail("verify-paused"), undefined, {
      verified: false,
    });
    await pauseEverything(email, GOOD_PASSWORD, "198.51.101");

    const link = linkIn(await mailsTo(t, email), "http://hushlink.test/verify-email#");
    const token = new URL(link).hash.slice(1);
    // Opened where nobody signed up or signed in: a new password is needed, and nothing changes.
    const bare = await post("/api/v1/auth/verify-email", { token }, OWNER_IP);
    expect(json(bare)).toMatchObject({ error: { code: "new_password_required" } });
    expect((await login(email, GOOD_PASSWORD, TYPO_IP)).statusCode).toBe(429);

    const confirmed = await post(
      "/api/v1/auth/verify-email",
      { token, password: NEW_PASSWORD },
      OWNER_IP,
    );
    expect(confirmed.statusCode).toBe(204);
    await expectSignsInEverywhere(email, "198.51.101");
  }, 120_000);
});
