/**
 * `requireSso` holds on every request (SPEC F15): sessions made by password (or passkey) before
 * an admin switched it on answer 401 `sso_required` with their cookies cleared; SSO sessions,
 * API tokens, break-glass admins and accounts outside the organization are untouched.
 */
import { beforeAll, describe, expect, it } from "vitest";

import {
  addMembership,
  clientFrom,
  newOrg,
  sessionMethodsOf,
  signup,
  uniqueEmail,
  userIdOf,
  type Client,
} from "./helpers/accounts.js";
import { testDialects } from "./helpers/databases.js";
import { json } from "./helpers/http.js";
import { ssoRoundTrip } from "./helpers/oidc-provider.js";
import { addPasskey } from "./helpers/passkeys.js";
import { CALLBACK, ssoSuite } from "./helpers/sso-suite.js";
import { hashToken } from "../src/lib/tokens.js";

describe.each(testDialects)("requireSso on existing sessions on %s", (dialect) => {
  const { t, idp, saveProven } = ssoSuite(dialect);
  let admin: Client;
  let orgId: string;
  const domain = `req-${dialect}-${process.pid}.test`;

  const configure = (requireSso: boolean, breakGlassUserIds: string[] = []) =>
    saveProven({ admin, orgId }, domain, {
      clientSecret: idp.clientSecret,
      requireSso,
      breakGlassUserIds,
    });

  beforeAll(async () => {
    ({ admin, orgId } = await newOrg(t, uniqueEmail("req-admin"), "Acme"));
    expect((await configure(false)).statusCode).toBe(200);
  });

  it("ends a member's password session at once, keeps SSO sessions, tokens, break-glass admins and outsiders", async () => {
    const member = await signup(t, `member@${domain}`);
    await addMembership(t, orgId, member.email);
    const token = json<{ token: string }>(
      await member.inject({ method: "POST", url: "/api/v1/tokens", payload: { name: "ci" } }),
    ).token;
    const sso = await ssoRoundTrip(
      t.app,
      idp,
      { sub: "s-1", email: `sso@${domain}`, email_verified: true },
      { callback: CALLBACK },
    );
    const ssoClient = clientFrom(t, sso.res, `sso@${domain}`);
    // At the domain but not a member: requireSso is not the organization's to impose on them.
    const outsider = await signup(t, `outsider@${domain}`);
    const glass = await signup(t, `glass@${domain}`);
    await addMembership(t, orgId, glass.email, "admin");
    const glassId = await userIdOf(t, glass.email);
    for (const c of [member, ssoClient, outsider, glass, admin])
      expect((await c.inject({ url: "/api/v1/shares" })).statusCode, c.email).toBe(200);

    expect((await configure(true, [glassId])).statusCode).toBe(200);

    for (const url of ["/api/v1/shares", "/api/v1/auth/me"]) {
      const refused = await member.inject({ url });
      expect(refused.statusCode, url).toBe(401);
      expect(json(refused)).toMatchObject({ error: { code: "sso_required" } });
      const cleared = refused.cookies.filter((c) => c.value === "").map((c) => c.name);
      expect(cleared.sort()).toEqual(["hl_csrf", "hl_session"]);
    }
    // A state change is refused the same way, before its handler.
    const post = await member.inject({
      method: "POST",
      url: "/api/v1/tokens",
      payload: { name: "another" },
    });
    expect(json(post)).toMatchObject({ error: { code: "sso_required" } });
    // Pages take no credentials: the session is not used there, nothing refused.
    expect((await member.inject({ url: "/login" })).statusCode).not.toBe(401);

    for (const c of [ssoClient, outsider, glass, admin])
      expect((await c.inject({ url: "/api/v1/shares" })).statusCode, c.email).toBe(200);
    // An API token is its own credential (scoped, expiring): it stays valid.
    const byToken = await t.app.inject({
      url: "/api/v1/shares",
      headers: { authorization: `Bearer ${token}` },
    });
    expect(byToken.statusCode).toBe(200);

    // The requirement, not the session, was what refused: switched off, the session answers.
    expect((await configure(false)).statusCode).toBe(200);
    expect((await member.inject({ url: "/api/v1/shares" })).statusCode).toBe(200);
  });

  it("records how each session was made", async () => {
    const who = await signup(t, uniqueEmail("method"));
    await ssoRoundTrip(
      t.app,
      idp,
      { sub: "s-2", email: `sso2@${domain}`, email_verified: true },
      { callback: CALLBACK },
    );
    const methods = (email: string) => sessionMethodsOf(t, email);
    expect(await methods(who.email)).toEqual(["password"]);
    expect(await methods(`sso2@${domain}`)).toEqual(["sso"]);
  });

  it("stores a sign-in with a passkey alone as a passkey session, which requireSso then ends", async () => {
    const member = await signup(t, `keyholder@${domain}`);
    await addMembership(t, orgId, member.email);
    const { key } = await addPasskey(member);
    const signInOptions = json<{ challenge: string }>(
      await t.app.inject({ method: "POST", url: "/api/v1/auth/login/passkey/options" }),
    );
    const signedIn = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/login/passkey",
      payload: { credential: key.assert(signInOptions) },
    });
    expect(signedIn.statusCode, signedIn.body).toBe(200);
    const byKey = clientFrom(t, signedIn, member.email);
    const cookie = signedIn.cookies.find((c) => c.name === "hl_session")!.value;
    const stored = await t.database.db
      .selectFrom("sessions")
      .select("method")
      .where("token_hash", "=", hashToken(cookie))
      .executeTakeFirstOrThrow();
    expect(stored.method).toBe("passkey");
    expect((await byKey.inject({ url: "/api/v1/shares" })).statusCode).toBe(200);

    expect((await configure(true)).statusCode).toBe(200);
    try {
      const refused = await byKey.inject({ url: "/api/v1/shares" });
      expect(refused.statusCode).toBe(401);
      expect(json(refused)).toMatchObject({ error: { code: "sso_required" } });
    } finally {
      expect((await configure(false)).statusCode).toBe(200);
    }
  });
});
