/**
 * Operators control sign-up (SPEC F15, issues 15 and 20): SIGNUP=open (anyone), invite (only
 * with an invitation) or domains (addresses at SIGNUP_DOMAINS). An invitation works in every
 * mode; refusals are 403 with a code, judged from the address alone (never from whether it has
 * an account); GET /api/v1/config says which mode is on.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { GOOD_PASSWORD, linkIn, mailsTo, signInAttempt, uniqueEmail } from "./helpers/accounts.js";
import { createTestApp, type TestApp } from "./helpers/app.js";
import { testDialects } from "./helpers/databases.js";
import { json } from "./helpers/http.js";
import { hashPassword } from "../src/features/auth/passwords.js";
import { newId } from "../src/lib/tokens.js";

describe.each(testDialects)("SIGNUP modes on %s", (dialect) => {
  const apps: TestApp[] = [];
  afterAll(async () => {
    for (const t of apps) await t.close();
  });

  async function appWith(env: Record<string, string>) {
    const t = await createTestApp(dialect, { env });
    apps.push(t);
    return t;
  }

  const signup = (t: TestApp, payload: Record<string, unknown>) =>
    t.app.inject({ method: "POST", url: "/api/v1/auth/signup", payload });
  const config = async (t: TestApp) =>
    json<{ signup: { mode: string; domains: string[] } }>(
      await t.app.inject({ url: "/api/v1/config" }),
    ).signup;
  const userCount = async (t: TestApp, email: string) =>
    (await t.database.db.selectFrom("users").select("id").where("email", "=", email).execute())
      .length;

  /**
   * An admin invites `email`. The admin is made straight in the database, as an operator's first
   * account would be where sign-up is closed.
   */
  async function invitationFor(t: TestApp, email: string) {
    const adminEmail = uniqueEmail("admin");
    const userId = newId();
    const orgId = newId();
    const now = t.clock.now();
    await t.database.db
      .insertInto("users")
      .values({
        id: userId,
        email: adminEmail,
        name: "Admin",
        password_hash: await hashPassword(GOOD_PASSWORD),
        created_at: now,
        email_verified_at: now,
      })
      .execute();
    await t.database.db
      .insertInto("orgs")
      .values({ id: orgId, name: "Acme", created_at: now })
      .execute();
    await t.database.db
      .insertInto("memberships")
      .values({ org_id: orgId, user_id: userId, role: "admin", created_at: now })
      .execute();
    const login = await signInAttempt(t, adminEmail);
    const cookies = Object.fromEntries(login.cookies.map((c) => [c.name, c.value]));
    const invited = await t.app.inject({
      method: "POST",
      url: `/api/v1/orgs/${orgId}/invitations`,
      payload: { email, role: "member" },
      headers: {
        cookie: `hl_session=${cookies.hl_session}; hl_csrf=${cookies.hl_csrf}`,
        "x-csrf-token": cookies.hl_csrf!,
      },
    });
    expect(invited.statusCode).toBe(201);
    return linkIn(await mailsTo(t, email), "http://hushlink.test/invitations/").split(
      "/invitations/",
    )[1]!;
  }

  describe("open (the default)", () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await appWith({});
    });

    it("lets anyone sign up, and says so", async () => {
      expect(await config(t)).toEqual({ mode: "open", domains: [] });
      expect((await signup(t, { email: uniqueEmail(), password: GOOD_PASSWORD })).statusCode).toBe(
        202,
      );
    });
  });

  describe("invite", () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await appWith({ SIGNUP: "invite" });
    });

    it("refuses sign-up without an invitation, and creates nothing", async () => {
      expect(await config(t)).toEqual({ mode: "invite", domains: [] });
      const email = uniqueEmail("uninvited");
      const refused = await signup(t, { email, password: GOOD_PASSWORD });
      expect(refused.statusCode).toBe(403);
      expect(json(refused)).toMatchObject({ error: { code: "signup_invite_only" } });
      expect(await userCount(t, email)).toBe(0);
      expect(await mailsTo(t, email)).toEqual([]);
    });

    it("lets an invited address sign up with its invitation", async () => {
      const email = uniqueEmail("invited");
      const token = await invitationFor(t, email);
      // Even the invited address needs the invitation itself: it is what proves the inbox.
      const bare = await signup(t, { email, password: GOOD_PASSWORD });
      expect(json(bare)).toMatchObject({ error: { code: "signup_invite_only" } });
      const joined = await signup(t, { email, password: GOOD_PASSWORD, invitation: token });
      expect(joined.statusCode).toBe(201);
      expect(json(joined)).toMatchObject({
        user: { email, emailVerified: true },
        orgs: [{ name: "Acme", role: "member" }],
      });
    });
  });

  describe("domains", () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await appWith({ SIGNUP: "domains", SIGNUP_DOMAINS: "Example.test, @acme.example" });
    });

    it("takes addresses at the listed domains only, any case, subdomains not included", async () => {
      expect(await config(t)).toEqual({
        mode: "domains",
        domains: ["example.test", "acme.example"],
      });
      expect(
        (await signup(t, { email: "Pat@ACME.example", password: GOOD_PASSWORD })).statusCode,
      ).toBe(202);
      expect((await signup(t, { email: uniqueEmail(), password: GOOD_PASSWORD })).statusCode).toBe(
        202,
      );
      for (const email of ["eve@evil.test", "eve@sub.acme.example", "eve@acme.example.evil"]) {
        const refused = await signup(t, { email, password: GOOD_PASSWORD });
        expect(refused.statusCode, email).toBe(403);
        expect(json(refused)).toMatchObject({
          error: { code: "signup_domain_not_allowed", domains: ["example.test", "acme.example"] },
        });
        expect(await userCount(t, email)).toBe(0);
      }
    });

    it("lets an invited address of another domain sign up with its invitation", async () => {
      const email = "contractor@elsewhere.test";
      const token = await invitationFor(t, email);
      const joined = await signup(t, { email, password: GOOD_PASSWORD, invitation: token });
      expect(joined.statusCode).toBe(201);
    });
  });
});
