/**
 * Single sign-on (SPEC F15) against a real OpenID provider on 127.0.0.1: the settings API, the
 * domain discovery, sign-in, first sign-in, linking, `requireSso` with break-glass, and every
 * check of the callback failing closed.
 */
import { beforeAll, describe, expect, it } from "vitest";

import { DISCOVERY_TTL_MS, JWKS_TTL_MS } from "../src/features/sso/sso.client.js";
import { openWithRootKey } from "../src/lib/sealing.js";
import {
  addMembership,
  clientFrom,
  GOOD_PASSWORD,
  login,
  newOrg,
  signInAttempt,
  signup,
  uniqueEmail,
  type Client,
} from "./helpers/accounts.js";
import { TEST_ROOT_KEY } from "./helpers/app.js";
import { clockPerTest } from "./helpers/suite.js";
import { auditEntries } from "./helpers/audit.js";
import { testDialects } from "./helpers/databases.js";
import { json } from "./helpers/http.js";
import {
  ssoRoundTrip,
  ssoToCallback,
  type TestAccount,
  type TestProvider,
} from "./helpers/oidc-provider.js";
import { CALLBACK, ssoSuite } from "./helpers/sso-suite.js";

describe.each(testDialects)("single sign-on on %s", (dialect) => {
  // Tests move the clock (discovery and key caches expiring): each moves its own.
  const clock = clockPerTest();
  const { t, idp, saveProven } = ssoSuite(dialect, { clock });
  let admin: Client;
  let orgId: string;
  const domain = `acme-${dialect}-${process.pid}.test`;
  let n = 0;
  const person = (over: Partial<TestAccount> = {}): TestAccount => {
    n += 1;
    return {
      sub: `sub-${n}`,
      email: `p${n}@${domain}`,
      email_verified: true,
      name: `P ${n}`,
      ...over,
    };
  };
  const settingsUrl = () => `/api/v1/orgs/${orgId}/sso`;
  /** Saves the settings; a new domain's claim is then proven through the test DNS server. */
  const configure = (body: Record<string, unknown> = {}) =>
    saveProven({ admin, orgId }, domain, body);

  /** The whole browser round trip; answers the callback's answer. */
  const ssoSignIn = (account: TestAccount, options: { returnTo?: string } = {}) =>
    ssoRoundTrip(t.app, idp, account, { callback: CALLBACK, ...options });
  /** The same, short of the callback, for whoever the provider signs in. */
  const toCallback = (email: string) => ssoToCallback(t.app, email, { callback: CALLBACK });

  /** How many accounts have this address: an SSO sign-in must never make a second one. */
  const accountsWith = async (email: string) =>
    (await t.database.db.selectFrom("users").select("id").where("email", "=", email).execute())
      .length;
  const sessionOf = (res: { cookies: { name: string; value: string }[] }) =>
    res.cookies.find((c) => c.name === "hl_session" && c.value !== "");
  const meOf = async (res: { cookies: { name: string; value: string }[] }) =>
    json<{ user: { email: string; emailVerified: boolean }; orgs: { id: string; role: string }[] }>(
      await t.app.inject({
        url: "/api/v1/auth/me",
        headers: { cookie: `hl_session=${sessionOf(res)!.value}` },
      }),
    );

  /**
   * Signing in through the provider as `email` lands in a session of the one account with that
   * address, now verified and a member of the organization.
   */
  const expectSignsInAsMember = async (email: string) => {
    const { res } = await ssoSignIn(person({ email }));
    expect(res.statusCode).toBe(303);
    const me = await meOf(res);
    expect(me.user).toMatchObject({ email, emailVerified: true });
    expect(me.orgs.map((o) => o.id)).toContain(orgId);
    expect(await accountsWith(email)).toBe(1);
  };

  beforeAll(async () => {
    ({ admin, orgId } = await newOrg(t, uniqueEmail("sso-admin"), "Acme"));
  });

  it("keeps the settings for admins, the client secret sealed and never answered", async () => {
    const empty = await admin.inject({ url: settingsUrl() });
    expect(json(empty)).toMatchObject({ enabled: false, clientSecretSet: false, domains: [] });
    expect(json(empty)).toMatchObject({ redirectUri: CALLBACK });
    const noSecret = await configure();
    expect(noSecret.statusCode).toBe(400);
    expect(json(noSecret)).toMatchObject({ error: { code: "sso_secret_required" } });

    const saved = await configure({
      clientSecret: idp.clientSecret,
      domains: [domain.toUpperCase()],
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(json(saved)).toMatchObject({ enabled: true, clientSecretSet: true, domains: [domain] });
    expect(saved.body).not.toContain(idp.clientSecret);
    // Saved again without a secret: the stored one stays.
    const kept = await configure();
    expect(json(kept)).toMatchObject({ clientSecretSet: true });
    const row = await t.database.db
      .selectFrom("org_sso")
      .select("client_secret_sealed")
      .where("org_id", "=", orgId)
      .executeTakeFirstOrThrow();
    expect(row.client_secret_sealed).not.toContain(idp.clientSecret);
    const opened = openWithRootKey(
      TEST_ROOT_KEY,
      row.client_secret_sealed!,
      `org_sso.client_secret_sealed.${orgId}`,
    );
    expect(opened).toBe(idp.clientSecret);
    const read = await admin.inject({ url: settingsUrl() });
    expect(read.body).not.toContain(idp.clientSecret);
  });

  it("refuses members and break-glass non-admins; another organization's claim stays pending", async () => {
    const { admin: other, orgId: otherOrg } = await newOrg(t, uniqueEmail("sso-other"), "Other");
    const claimed = await other.inject({
      method: "PUT",
      url: `/api/v1/orgs/${otherOrg}/sso`,
      payload: {
        enabled: false,
        issuer: idp.issuer,
        clientId: "x",
        domains: [domain],
      },
    });
    expect(claimed.statusCode).toBe(200);
    expect(json(claimed)).toMatchObject({
      domains: [domain],
      domainClaims: [{ domain, status: "pending", provenAt: null }],
    });
    const notAdmin = await configure({ breakGlassUserIds: ["nobody"] });
    expect(json(notAdmin)).toMatchObject({ error: { code: "break_glass_not_admin" } });
    const stranger = await other.inject({ url: settingsUrl() });
    expect(stranger.statusCode).toBe(404);
    const bad = await admin.inject({
      method: "PUT",
      url: settingsUrl(),
      payload: { enabled: true, issuer: "not a url", clientId: "x", domains: [] },
    });
    expect(json(bad)).toMatchObject({ error: { code: "invalid_request" } });
  });

  it("tests the connection by discovery", async () => {
    const ok = await admin.inject({
      method: "POST",
      url: `${settingsUrl()}/test`,
      payload: { issuer: idp.issuer },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(json(ok)).toMatchObject({
      issuer: idp.issuer,
      authorizationEndpoint: `${idp.issuer}/auth`,
      pkce: true,
    });
    // A trailing slash too many: the answer names the issuer as the provider spells it.
    const slash = await admin.inject({
      method: "POST",
      url: `${settingsUrl()}/test`,
      payload: { issuer: `${idp.issuer}/` },
    });
    expect(json(slash)).toMatchObject({ issuer: idp.issuer });
    const nothing = await admin.inject({
      method: "POST",
      url: `${settingsUrl()}/test`,
      payload: { issuer: "http://127.0.0.1:9/nothing" },
    });
    expect(nothing.statusCode).toBe(400);
    expect(json(nothing)).toMatchObject({ error: { code: "sso_discovery_failed" } });
  });

  it("tells the login page by domain alone, the same with or without an account", async () => {
    await configure({ clientSecret: idp.clientSecret });
    const ask = (email: string) =>
      t.app.inject({ method: "POST", url: "/api/v1/auth/sso/discover", payload: { email } });
    const known = await ask(admin.email.replace(/@.*/, `@${domain}`));
    const unknown = await ask(`nobody-at-all@${domain}`);
    expect(json(known)).toMatchObject({ sso: true });
    expect(json(unknown).sso).toBe(true);
    expect(json<{ startUrl: string }>(unknown).startUrl).toMatch(/^\/api\/v1\/auth\/sso\/start\?/);
    expect(json(await ask("someone@elsewhere.test"))).toEqual({ sso: false, startUrl: null });
  });

  it("creates, joins and signs in on first sign-in; signs in the second time", async () => {
    await configure({ clientSecret: idp.clientSecret });
    const who = person();
    const first = await ssoSignIn(who, { returnTo: "/app/shares?x=1" });
    expect(first.res.statusCode).toBe(303);
    expect(first.res.headers.location).toBe("/app/shares?x=1");
    const me = await meOf(first.res);
    expect(me.user).toMatchObject({ email: who.email, emailVerified: true });
    expect(me.orgs).toContainEqual(expect.objectContaining({ id: orgId, role: "member" }));
    const second = await ssoSignIn(who);
    expect(second.res.headers.location).toBe("/");
    expect((await meOf(second.res)).orgs.filter((o) => o.id === orgId)).toHaveLength(1);
    expect(await accountsWith(who.email)).toBe(1);
    // An SSO account has no password to sign in with.
    const password = await signInAttempt(t, who.email, "!sso");
    expect(password.statusCode).toBe(401);
  });

  it("matches the provider's subject, not the address, on later sign-ins", async () => {
    await configure({ clientSecret: idp.clientSecret });
    const who = person();
    const idOf = async (res: Parameters<typeof meOf>[0]) =>
      json<{ user: { id: string; email: string } }>(
        await t.app.inject({
          url: "/api/v1/auth/me",
          headers: { cookie: `hl_session=${sessionOf(res)!.value}` },
        }),
      ).user;
    const first = await idOf((await ssoSignIn(who)).res);
    const stored = await t.database.db
      .selectFrom("sso_identities")
      .selectAll()
      .where("user_id", "=", first.id)
      .execute();
    expect(stored).toEqual([
      expect.objectContaining({ issuer: idp.issuer, subject: who.sub, user_id: first.id }),
    ]);

    // The address changed at the provider: the same account, no second one.
    const renamed = `renamed-${n}@${domain}`;
    const again = await idOf((await ssoSignIn({ ...who, email: renamed })).res);
    expect(again).toEqual(first);
    expect(await accountsWith(renamed)).toBe(0);

    // Changed to the address of someone else's account: still the subject's own account.
    const victimEmail = `victim-${n}@${domain}`;
    const victim = await signup(t, victimEmail);
    const victimId = json<{ user: { id: string } }>(await victim.inject({ url: "/api/v1/auth/me" }))
      .user.id;
    const moved = await idOf((await ssoSignIn({ ...who, email: victimEmail })).res);
    expect(moved.id).toBe(first.id);
    expect(moved.id).not.toBe(victimId);

    // Another subject given the first one's address is refused: no session, no second link.
    const impostor = await ssoSignIn(person({ email: who.email }));
    expect(impostor.res.headers.location).toBe("/login?sso_error=identity");
    expect(sessionOf(impostor.res)).toBeUndefined();
    expect(await accountsWith(who.email)).toBe(1);
  });

  it("sends returnTo only to this site's own paths", async () => {
    await configure({ clientSecret: idp.clientSecret });
    for (const returnTo of [
      "https://evil.test/",
      "//evil.test/x",
      "/\\evil.test",
      "javascript:x",
    ]) {
      const { res } = await ssoSignIn(person(), { returnTo });
      expect(res.headers.location, returnTo).toBe("/");
    }
  });

  it("links an existing password account instead of making another", async () => {
    await configure({ clientSecret: idp.clientSecret });
    // Confirmed and a member already: its password is its owner's.
    const email = `linked-${n}@${domain}`;
    await signup(t, email, "Linked");
    await addMembership(t, orgId, email);
    await expectSignsInAsMember(email);
    // The password still works while SSO is not required.
    await login(t, email, GOOD_PASSWORD);
  });

  it("links an unproven account without the password whoever signed up with the address typed", async () => {
    await configure({ clientSecret: idp.clientSecret });
    // Someone who does not own the inbox signed up with the address and chose this password.
    const email = `unproven-${n}@${domain}`;
    const holder = await signup(t, email, "Holder", { verified: false });
    await expectSignsInAsMember(email);
    // The provider proved the address, not the password: the holder is out and stays out.
    expect((await holder.inject({ url: "/api/v1/auth/me" })).statusCode).toBe(401);
    const attempt = await signInAttempt(t, email, GOOD_PASSWORD);
    expect(attempt.statusCode).toBe(401);
    expect(json(attempt)).toMatchObject({ error: { code: "invalid_credentials" } });
  });

  it("an account without a password adds a second factor right after signing in, not later", async () => {
    await configure({ clientSecret: idp.clientSecret });
    const who = person();
    const client = clientFrom(t, (await ssoSignIn(who)).res, who.email);
    const options = "/api/v1/auth/second-factor/passkeys/options";
    const fresh = await client.inject({ method: "POST", url: options });
    expect(fresh.statusCode, fresh.body).toBe(200);
    // A session signed in 16 minutes ago has no password to give: signing in again is the way.
    clock.advance(16 * 60_000);
    const old = await client.inject({ method: "POST", url: "/api/v1/auth/second-factor/totp" });
    expect(old.statusCode).toBe(403);
    expect(json(old)).toMatchObject({ error: { code: "recent_sign_in_required" } });
    const again = clientFrom(t, (await ssoSignIn(who)).res, who.email);
    expect((await again.inject({ method: "POST", url: options })).statusCode).toBe(200);
  });

  it("never signs in to a confirmed account outside the organization (domains are only claimed)", async () => {
    await configure({ clientSecret: idp.clientSecret });
    // Any admin can list any domain: the provider they run vouches for addresses nobody proved
    // the organization owns. A confirmed account outside it is not the provider's to give away.
    const email = `outsider-${n}@${domain}`;
    const outsider = await signup(t, email, "Outsider");
    const outsiderId = json<{ user: { id: string } }>(
      await outsider.inject({ url: "/api/v1/auth/me" }),
    ).user.id;
    const { res } = await ssoSignIn(person({ email }));
    expect(res.headers.location).toBe("/login?sso_error=identity");
    expect(sessionOf(res)).toBeUndefined();
    const links = await t.database.db
      .selectFrom("sso_identities")
      .select("user_id")
      .where("user_id", "=", outsiderId)
      .execute();
    expect(links).toEqual([]);
    const memberships = await t.database.db
      .selectFrom("memberships")
      .select("org_id")
      .where("user_id", "=", outsiderId)
      .execute();
    expect(memberships.map((m) => m.org_id)).not.toContain(orgId);
    // Nor does requireSso lock the password of someone the organization does not have.
    await configure({ requireSso: true });
    await login(t, email);
    await configure({ requireSso: false });

    // Once a member of the organization, the same confirmed account links and signs in.
    await addMembership(t, orgId, email);
    const member = await ssoSignIn(person({ email }));
    expect(member.res.statusCode).toBe(303);
    expect(
      json<{ user: { id: string } }>(
        await t.app.inject({
          url: "/api/v1/auth/me",
          headers: { cookie: `hl_session=${sessionOf(member.res)!.value}` },
        }),
      ).user.id,
    ).toBe(outsiderId);
  });

  it("with requireSso refuses the password of members, except break-glass admins", async () => {
    const memberEmail = `member-${n}@${domain}`;
    await signup(t, memberEmail);
    await addMembership(t, orgId, memberEmail);
    const glassEmail = `glass-${n}@${domain}`;
    const glass = await signup(t, glassEmail);
    const glassId = json<{ user: { id: string } }>(await glass.inject({ url: "/api/v1/auth/me" }))
      .user.id;
    await t.database.db
      .insertInto("memberships")
      .values({ org_id: orgId, user_id: glassId, role: "admin", created_at: t.clock.now() })
      .execute();
    const saved = await configure({
      clientSecret: idp.clientSecret,
      requireSso: true,
      breakGlassUserIds: [glassId],
    });
    expect(json(saved)).toMatchObject({ requireSso: true, breakGlassUserIds: [glassId] });
    const refused = await signInAttempt(t, memberEmail);
    expect(refused.statusCode).toBe(403);
    expect(json(refused)).toMatchObject({ error: { code: "sso_required" } });
    expect(sessionOf(refused)).toBeUndefined();
    await login(t, glassEmail);
    // A wrong password still answers as any wrong password does.
    const wrong = await signInAttempt(t, memberEmail, "wrong-password-here");
    expect(json(wrong)).toMatchObject({ error: { code: "invalid_credentials" } });
    await configure({ requireSso: false, breakGlassUserIds: [] });
  });

  describe("each check of the callback fails closed", () => {
    const refused = (
      outcome: {
        res: {
          statusCode: number;
          headers: Record<string, unknown>;
          cookies: { name: string; value: string }[];
        };
      },
      reason: string,
    ) => {
      expect(outcome.res.statusCode).toBe(303);
      expect(outcome.res.headers.location).toBe(`/login?sso_error=${reason}`);
      expect(sessionOf(outcome.res)).toBeUndefined();
    };
    const withTamper = async (tamper: TestProvider["tamper"], reason = "token") => {
      await configure({ clientSecret: idp.clientSecret });
      idp.tamper = tamper;
      try {
        const who = person();
        refused(await ssoSignIn(who), reason);
        expect(await accountsWith(who.email)).toBe(0);
      } finally {
        idp.tamper = null;
      }
    };

    it("wrong issuer", () => withTamper({ claims: (c) => ({ ...c, iss: "http://127.0.0.1:1" }) }));
    it("wrong audience", () => withTamper({ claims: (c) => ({ ...c, aud: "someone-else" }) }));
    it("bad signature", () => withTamper({ foreignKey: true }));
    it("expired token", () => {
      const now = Math.floor(Date.now() / 1000);
      return withTamper({ claims: (c) => ({ ...c, iat: now - 7200, exp: now - 3600 }) });
    });
    it("wrong nonce", () => withTamper({ claims: (c) => ({ ...c, nonce: "not-the-nonce" }) }));
    it("unverified e-mail", async () => {
      await configure({ clientSecret: idp.clientSecret });
      refused(await ssoSignIn(person({ email_verified: false })), "email_unverified");
    });
    it("a domain the organization does not own", async () => {
      await configure({ clientSecret: idp.clientSecret });
      idp.signInAs(person({ email: `someone-${n}@foreign.test` }));
      // The sign-in starts for the organization's domain; the provider answers another one.
      const { callback } = await toCallback(`x@${domain}`);
      refused({ res: await callback() }, "domain");
    });
    it("replayed state", async () => {
      await configure({ clientSecret: idp.clientSecret });
      const first = await ssoSignIn(person());
      expect(sessionOf(first.res)).toBeDefined();
      refused({ res: await first.again() }, "state");
    });
    it("a callback raced many times signs in once", async () => {
      await configure({ clientSecret: idp.clientSecret });
      const who = person();
      idp.signInAs(who);
      const { callback } = await toCallback(who.email);
      const answers = await Promise.all(Array.from({ length: 12 }, () => callback()));
      expect(answers.filter((a) => sessionOf(a) !== undefined)).toHaveLength(1);
      expect(answers.filter((a) => a.headers.location === "/login?sso_error=state")).toHaveLength(
        11,
      );
    });
    it("missing state or another browser's state", async () => {
      await configure({ clientSecret: idp.clientSecret });
      const who = person();
      idp.signInAs(who);
      const { back, url } = await toCallback(who.email);
      refused({ res: await t.app.inject({ url }) }, "state");
      refused(
        { res: await t.app.inject({ url, headers: { cookie: "hl_sso=someone-elses" } }) },
        "state",
      );
      const noState = new URLSearchParams(back.search);
      noState.delete("state");
      refused(
        { res: await t.app.inject({ url: `${back.pathname}?${noState.toString()}` }) },
        "state",
      );
    });
    it("a domain with no provider", async () => {
      const res = await t.app.inject({ url: "/api/v1/auth/sso/start?email=a%40nowhere.test" });
      expect(res.headers.location).toBe("/login?sso_error=not_configured");
    });
  });

  it("records SSO sign-ins, refused ones and settings changes in the audit log", async () => {
    const entries = () => auditEntries(admin, orgId);
    const before = (await entries()).length;
    await configure({ clientSecret: idp.clientSecret });
    const who = person();
    const ok = await ssoSignIn(who);
    const userId = json<{ user: { id: string } }>(
      await t.app.inject({
        url: "/api/v1/auth/me",
        headers: { cookie: `hl_session=${sessionOf(ok.res)!.value}` },
      }),
    ).user.id;
    await ssoSignIn(person({ email_verified: false }));
    // A replayed state names no organization: nothing to record.
    await ok.again();
    const logged = (await entries()).slice(before);
    expect(logged).toMatchObject([
      { type: "sso.settings_changed", target: { kind: "org", id: orgId }, outcome: "success" },
      {
        type: "sso.signin_succeeded",
        actor: { kind: "user", id: userId },
        target: { kind: "user", id: userId },
      },
      { type: "sso.signin_failed", actor: { kind: "anonymous" }, outcome: "failure" },
    ]);
    expect(JSON.stringify(logged)).not.toContain(idp.clientSecret);
  });

  it("reads discovery and keys once per TTL, and the keys again for a rotated key", async () => {
    await configure({ clientSecret: idp.clientSecret });
    // Whatever earlier tests left in the cache is stale now.
    t.clock.advance(DISCOVERY_TTL_MS);
    idp.requests.length = 0;
    const fetched = () => ({
      discovery: idp.requests.filter((p) => p === "/.well-known/openid-configuration").length,
      jwks: idp.requests.filter((p) => p === "/jwks").length,
    });
    const signsIn = async () => expect(sessionOf((await ssoSignIn(person())).res)).toBeDefined();
    for (let i = 0; i < 3; i += 1) await signsIn();
    expect(fetched()).toEqual({ discovery: 1, jwks: 1 });

    // The provider signs with a key the cached set does not have: read once more, then cached.
    await idp.rotateKey();
    await signsIn();
    await signsIn();
    expect(fetched()).toEqual({ discovery: 1, jwks: 2 });

    t.clock.advance(JWKS_TTL_MS);
    await signsIn();
    expect(fetched()).toEqual({ discovery: 1, jwks: 3 });
    t.clock.advance(DISCOVERY_TTL_MS);
    await signsIn();
    expect(fetched()).toEqual({ discovery: 2, jwks: 4 });
  });

  it("never writes the client secret, state, code or tokens to the log", () => {
    const log = t.logs.join("");
    expect(log).not.toContain(idp.clientSecret);
    expect(log).not.toMatch(/[?&](code|state)=/);
    expect(log).not.toContain("id_token");
  });
});
