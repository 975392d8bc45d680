/**
 * A password sign-in tells nobody that an address has an account made by single sign-on: such an
 * account has no password hash, and its wrong password must take the one Argon2id verification
 * that an unknown address takes, not fail at once on a hash that does not decode.
 */
import { describe, expect, it } from "vitest";

import { orgIdOf, signInAttempt, signup, uniqueEmail } from "./helpers/accounts.js";
import { testDialects } from "./helpers/databases.js";
import { ssoRoundTrip, type TestAccount } from "./helpers/oidc-provider.js";
import { CALLBACK, ssoSuite } from "./helpers/sso-suite.js";
import { fasterHalfMean } from "./helpers/timing.js";

const PAIRS = 8;

describe.each(testDialects)("password sign-in of an SSO account on %s", (dialect) => {
  const { t, idp, saveProven } = ssoSuite(dialect);
  const domain = `timing-${dialect}-${process.pid}.test`;

  it("takes as long as for an unknown address, and answers the same", async (context) => {
    const admin = await signup(t, uniqueEmail("sso-timing-admin"), "Timing");
    const orgId = await orgIdOf(admin);
    expect(
      (await saveProven({ admin, orgId }, domain, { clientSecret: idp.clientSecret })).statusCode,
    ).toBe(200);
    const who: TestAccount = {
      sub: "timing-sub",
      email: `someone@${domain}`,
      email_verified: true,
      name: "Someone",
    };
    expect((await ssoRoundTrip(t.app, idp, who, { callback: CALLBACK })).res.statusCode).toBe(303);

    const timed = async (email: string) => {
      const started = performance.now();
      const res = await signInAttempt(t, email, "not-the-password-at-all");
      const ms = performance.now() - started;
      // Each attempt on its own: the back-off would pause the address after a few.
      await t.database.db.deleteFrom("sign_in_attempts").execute();
      return {
        status: res.statusCode,
        code: res.json<{ error: { code: string } }>().error.code,
        ms,
      };
    };
    await timed(who.email);
    await timed(`nobody@${domain}`);
    const sso: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < PAIRS; i++) {
      const a = await timed(who.email);
      const b = await timed(`nobody-${i}@${domain}`);
      expect([a.status, a.code]).toEqual([401, "invalid_credentials"]);
      expect([b.status, b.code]).toEqual([401, "invalid_credentials"]);
      sso.push(a.ms);
      unknown.push(b.ms);
    }
    const ssoMs = fasterHalfMean(sso);
    const unknownMs = fasterHalfMean(unknown);
    await context.annotate(
      `${dialect}: faster halves ${ssoMs.toFixed(1)} ms (SSO account) vs ` +
        `${unknownMs.toFixed(1)} ms (unknown address)`,
    );
    // The Argon2id verification is most of either; without it the answer comes in a few ms.
    expect(ssoMs).toBeGreaterThan(unknownMs / 2);
  }, 60_000);
});
