/**
 * The account-wide part of the sign-in back-off (issue 15, item 2; sign-in-backoff.ts), on the
 * app's injected clock: 50 wrong passwords within an hour, from any number of IPs, pause sign-in
 * until that hour is over, but only for IPs that have not signed in to the account in the last
 * 90 days. The owner's usual IPs keep signing in, and still have their own per-IP back-off.
 */
import { describe, expect, it } from "vitest";

import { GOOD_PASSWORD, signInAttempt, signup, uniqueEmail } from "./helpers/accounts.js";
import { testDialects } from "./helpers/databases.js";
import { appPerTest } from "./helpers/suite.js";
import { json } from "./helpers/http.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe.each(testDialects)("account-wide sign-in back-off on %s", (dialect) => {
  // Both tests move the clock: each has an app (and a clock) of its own.
  const t = appPerTest(dialect);

  const login = (email: string, password: string, ip: string) =>
    signInAttempt(t, email, password, ip);

  /** One wrong password from each of `count` IPs no one has used (the per-IP part never pauses). */
  async function spray(email: string, count: number, net: string) {
    for (let i = 0; i < count; i++) {
      const wrong = await login(email, `guess number ${i}`, `${net}.${i + 1}`);
      expect(wrong.statusCode, `guess ${i + 1}`).toBe(401);
    }
  }

  it("pauses unknown IPs after 50 wrong passwords in an hour, until the hour ends", async () => {
    const { email } = await signup(t, uniqueEmail("sprayed"));
    const started = t.clock.now();
    await spray(email, 49, "198.51.100");
    // 49 are not enough: a fresh IP with the right password gets in.
    expect((await login(email, GOOD_PASSWORD, "192.0.2.200")).statusCode).toBe(200);

    t.clock.advance(10 * MINUTE);
    expect((await login(email, "guess number 50", "203.0.113.50")).statusCode).toBe(401);
    const paused = await login(email, GOOD_PASSWORD, "203.0.113.77");
    expect(paused.statusCode).toBe(429);
    // Until the end of the hour that began with the first of the 50, not an hour from the last.
    expect(json(paused)).toMatchObject({
      error: { code: "sign_in_paused", retryAt: new Date(started + HOUR).toISOString() },
    });
    // The header says the same as retryAt (RFC 9110 §10.2.3), 50 minutes from now, in seconds.
    expect(paused.headers["retry-after"]).toBe(String(50 * 60));
    // Attempts during the pause are refused unchecked and do not move its end.
    for (let i = 0; i < 5; i++) await login(email, `during ${i}`, `203.0.113.${100 + i}`);
    expect(json(await login(email, GOOD_PASSWORD, "203.0.113.78"))).toMatchObject({
      error: { retryAt: new Date(started + HOUR).toISOString() },
    });

    t.clock.advance(started + HOUR - t.clock.now());
    expect((await login(email, GOOD_PASSWORD, "203.0.113.79")).statusCode).toBe(200);
  });

  it("lets IPs that signed in to the account in the last 90 days through the pause", async () => {
    const { email } = await signup(t, uniqueEmail("trusted"));
    const home = "192.0.2.10";
    const office = "192.0.2.20";
    const stale = "192.0.2.30";
    expect((await login(email, GOOD_PASSWORD, stale)).statusCode).toBe(200);
    t.clock.advance(91 * DAY);
    expect((await login(email, GOOD_PASSWORD, home)).statusCode).toBe(200);
    t.clock.advance(89 * DAY);
    expect((await login(email, GOOD_PASSWORD, office)).statusCode).toBe(200);

    await spray(email, 50, "198.51.101");
    expect(json(await login(email, GOOD_PASSWORD, "203.0.113.5"))).toMatchObject({
      error: { code: "sign_in_paused" },
    });
    // Known IPs (89 days and moments ago) sign in; one known 91 days ago counts as unknown.
    expect((await login(email, GOOD_PASSWORD, home)).statusCode).toBe(200);
    expect((await login(email, GOOD_PASSWORD, office)).statusCode).toBe(200);
    expect(json(await login(email, GOOD_PASSWORD, stale))).toMatchObject({
      error: { code: "sign_in_paused" },
    });

    // A known IP is not exempt from its own back-off: six wrong passwords pause it for 30 s.
    for (let i = 0; i < 6; i++)
      expect((await login(email, `typo ${i}`, office)).statusCode).toBe(401);
    const own = await login(email, GOOD_PASSWORD, office);
    expect(own.statusCode).toBe(429);
    expect(json(own)).toMatchObject({
      error: { retryAt: new Date(t.clock.now() + 30_000).toISOString() },
    });
    // …while the other known IP is untouched by it.
    expect((await login(email, GOOD_PASSWORD, home)).statusCode).toBe(200);
  });

  it("pauses one IP longer at each wrong password past five, and starts again a day later", async () => {
    const { email } = await signup(t, uniqueEmail("ladder"));
    const ip = "198.51.102.7";
    const started = t.clock.now();
    const retryAt = async (password: string) => {
      const answer = await login(email, password, ip);
      expect(answer.statusCode).toBe(429);
      return json<{ error: { retryAt: string } }>(answer).error.retryAt;
    };
    for (let i = 0; i < 6; i++) expect((await login(email, `wrong ${i}`, ip)).statusCode).toBe(401);
    for (const pause of [30_000, MINUTE, 2 * MINUTE, 5 * MINUTE, 15 * MINUTE, 15 * MINUTE]) {
      const until = new Date(t.clock.now() + pause).toISOString();
      expect(await retryAt(GOOD_PASSWORD)).toBe(until);
      // Tries during the pause are refused unchecked and do not move its end.
      expect(await retryAt("during")).toBe(until);
      t.clock.advance(pause);
      expect((await login(email, "wrong again", ip)).statusCode).toBe(401);
    }
    // A day after the first failure the count starts again: five free, the sixth pauses 30 s.
    t.clock.advance(started + DAY - t.clock.now());
    for (let i = 0; i < 6; i++)
      expect((await login(email, `new day ${i}`, ip)).statusCode).toBe(401);
    expect(await retryAt(GOOD_PASSWORD)).toBe(new Date(t.clock.now() + 30_000).toISOString());
  });
});
