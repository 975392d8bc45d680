import { describe, expect, it } from "vitest";

import {
  clientFrom,
  GOOD_PASSWORD,
  linkIn,
  login,
  mailsTo,
  newOrg,
  signInAttempt,
  signup,
  uniqueEmail,
  type Client,
} from "./helpers/accounts.js";
import { buildShare } from "./helpers/builders.js";
import { testDialects } from "./helpers/databases.js";
import { clockPerTest, suiteApp } from "./helpers/suite.js";
import { createShare, errorCode, json } from "./helpers/http.js";

const DAY = 24 * 3600 * 1000;

describe.each(testDialects)("accounts on %s", (dialect) => {
  const t = suiteApp(dialect, { clock: clockPerTest() });

  const me = (c: Client) => c.inject({ url: "/api/v1/auth/me" });

  describe("sign-up and verification", () => {
    it("creates the account and its organization, mails a verification link, and signs in on it", async () => {
      const email = uniqueEmail("Alice").replace("alice", "ALICE");
      const res = await t.app.inject({
        method: "POST",
        url: "/api/v1/auth/signup",
        payload: { email, password: GOOD_PASSWORD, name: "Alice" },
      });
      // The same answer as for an address that has an account (signup-enumeration.test.ts):
      // nobody is signed in, the sign-up browser holds a cookie for the verification link.
      expect(res.statusCode).toBe(202);
      expect(json(res)).toEqual({ status: "check_inbox" });
      expect(res.cookies.map((c) => c.name)).toEqual(["hl_signup"]);
      expect(res.cookies[0]).toMatchObject({
        httpOnly: true,
        sameSite: "Strict",
        path: "/api/v1/auth/verify-email",
      });
      const browserCookie = `hl_signup=${res.cookies[0]!.value}`;

      const mails = await mailsTo(t, email.toLowerCase());
      expect(mails.length).toBeGreaterThan(0);
      const link = linkIn(mails, "http://hushlink.test/verify-email#");
      const token = new URL(link).hash.slice(1);
      const verify = await t.app.inject({
        method: "POST",
        url: "/api/v1/auth/verify-email",
        payload: { token },
        headers: { cookie: browserCookie },
      });
      expect(verify.statusCode).toBe(204);
      // Opened in the browser that signed up: it is signed in now, confirmed, with its organization.
      const session = verify.cookies.find((c) => c.name === "hl_session")!;
      expect(session).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/" });
      const csrf = verify.cookies.find((c) => c.name === "hl_csrf")!;
      expect(csrf.httpOnly).toBeFalsy();
      const alice = clientFrom(t, verify, email.toLowerCase());
      const body = json<{
        user: { email: string; emailVerified: boolean };
        orgs: { name: string; role: string }[];
      }>(await me(alice));
      expect(body.user).toMatchObject({ email: email.toLowerCase(), emailVerified: true });
      expect(body.orgs).toEqual([
        expect.objectContaining({ name: "Alice's organization", role: "admin" }),
      ]);
      const again = await t.app.inject({
        method: "POST",
        url: "/api/v1/auth/verify-email",
        payload: { token },
      });
      expect(again.statusCode).toBe(400);
      expect(json(again)).toMatchObject({ error: { code: "invalid_token" } });
    });

    it("answers a taken address as a new one, and refuses a short password and a common one", async () => {
      const a = await signup(t);
      const taken = await t.app.inject({
        method: "POST",
        url: "/api/v1/auth/signup",
        payload: { email: a.email.toUpperCase(), password: GOOD_PASSWORD },
      });
      expect(taken.statusCode).toBe(202);
      expect(json(taken)).toEqual({ status: "check_inbox" });
      const short = await t.app.inject({
        method: "POST",
        url: "/api/v1/auth/signup",
        payload: { email: uniqueEmail(), password: "short" },
      });
      expect(json(short)).toMatchObject({ error: { code: "invalid_request" } });
      const common = await t.app.inject({
        method: "POST",
        url: "/api/v1/auth/signup",
        payload: { email: uniqueEmail(), password: "password123" },
      });
      expect(common.statusCode).toBe(400);
      expect(json(common)).toMatchObject({ error: { code: "weak_password" } });
      const header = await t.app.inject({
        method: "POST",
        url: "/api/v1/auth/signup",
        payload: { email: "x@example.test\r\nBcc: y@example.test", password: GOOD_PASSWORD },
      });
      expect(header.statusCode).toBe(400);
    });
  });

  describe("sign-in and sessions", () => {
    it("answers a wrong password and an unknown address the same way", async () => {
      const a = await signup(t);
      const wrong = await signInAttempt(t, a.email, "not the password");
      const unknown = await signInAttempt(t, uniqueEmail("nobody"), "not the password");
      expect(wrong.statusCode).toBe(401);
      expect(unknown.statusCode).toBe(401);
      expect(wrong.body).toBe(unknown.body);
      expect((await login(t, a.email)).email).toBe(a.email);
    });

    it("pauses sign-in after six wrong passwords, even for the right one, and says until when", async () => {
      const a = await signup(t);
      for (let i = 0; i < 6; i++) {
        const wrong = await signInAttempt(t, a.email, `wrong ${i}`);
        expect(wrong.statusCode).toBe(401);
      }
      const right = await signInAttempt(t, a.email);
      expect(right.statusCode).toBe(429);
      expect(json(right)).toMatchObject({
        error: { code: "sign_in_paused", retryAt: new Date(t.clock.now() + 30_000).toISOString() },
      });
      t.clock.advance(30_000);
      expect((await login(t, a.email)).email).toBe(a.email);
    });

    it("sign-out deletes the session on the server", async () => {
      const a = await signup(t);
      const copy = { ...a };
      expect((await a.inject({ method: "POST", url: "/api/v1/auth/logout" })).statusCode).toBe(204);
      // The same cookie, replayed, no longer works.
      expect((await me(copy)).statusCode).toBe(401);
    });

    it("expires sessions after 7 idle days and after 30 days in all", async () => {
      const a = await signup(t);
      t.clock.advance(6 * DAY);
      expect((await me(a)).statusCode).toBe(200);
      t.clock.advance(6 * DAY);
      expect((await me(a)).statusCode).toBe(200);
      t.clock.advance(7 * DAY + 1);
      expect((await me(a)).statusCode).toBe(401);
      const b = await login(t, a.email);
      for (let i = 0; i < 4; i++) {
        t.clock.advance(6 * DAY);
        expect((await me(b)).statusCode).toBe(200);
      }
      t.clock.advance(5 * DAY);
      expect((await me(b)).statusCode).toBe(200);
      // 30 days after sign-in, however active: the absolute lifetime.
      t.clock.advance(1 * DAY);
      expect((await me(b)).statusCode).toBe(401);
    });

    it("refuses cookie-authenticated changes without the CSRF header or from a foreign origin", async () => {
      const a = await signup(t);
      const noHeader = await t.app.inject({
        method: "POST",
        url: "/api/v1/tokens",
        headers: { cookie: a.headers.cookie! },
        payload: { name: "x" },
      });
      expect(noHeader.statusCode).toBe(403);
      expect(json(noHeader)).toMatchObject({ error: { code: "csrf_failed" } });
      const wrongHeader = await t.app.inject({
        method: "POST",
        url: "/api/v1/tokens",
        headers: { cookie: a.headers.cookie!, "x-csrf-token": "nope" },
        payload: { name: "x" },
      });
      expect(wrongHeader.statusCode).toBe(403);
      const foreign = await a.inject({
        method: "POST",
        url: "/api/v1/tokens",
        headers: { origin: "https://evil.example" },
        payload: { name: "x" },
      });
      expect(foreign.statusCode).toBe(403);
      expect(json(foreign)).toMatchObject({ error: { code: "csrf_failed" } });
      const ok = await a.inject({
        method: "POST",
        url: "/api/v1/tokens",
        headers: { origin: "http://localhost:80" },
        payload: { name: "x" },
      });
      expect(ok.statusCode).toBe(201);
    });
  });

  describe("password reset", () => {
    it("mails a single-use link that sets a new password and signs out every session", async () => {
      const a = await signup(t);
      const unknown = await t.app.inject({
        method: "POST",
        url: "/api/v1/auth/password-reset",
        payload: { email: uniqueEmail("ghost") },
      });
      const known = await t.app.inject({
        method: "POST",
        url: "/api/v1/auth/password-reset",
        payload: { email: a.email },
      });
      expect(unknown.statusCode).toBe(204);
      expect(known.statusCode).toBe(204);
      expect(unknown.body).toBe(known.body);

      const mails = await mailsTo(t, a.email);
      const link = linkIn(mails, "http://hushlink.test/reset-password#");
      const token = link.split("#")[1]!;
      const newPassword = "copper-meadow-violin-77";
      const confirm = await t.app.inject({
        method: "POST",
        url: "/api/v1/auth/password-reset/confirm",
        payload: { token, password: newPassword },
      });
      expect(confirm.statusCode).toBe(204);
      expect((await me(a)).statusCode).toBe(401);
      expect((await login(t, a.email, newPassword)).email).toBe(a.email);
      const reuse = await t.app.inject({
        method: "POST",
        url: "/api/v1/auth/password-reset/confirm",
        payload: { token, password: "another-good-password-9" },
      });
      expect(json(reuse)).toMatchObject({ error: { code: "invalid_token" } });
    });

    it("refuses a reset link older than 30 minutes", async () => {
      const a = await signup(t);
      await t.app.inject({
        method: "POST",
        url: "/api/v1/auth/password-reset",
        payload: { email: a.email },
      });
      const mails = await mailsTo(t, a.email);
      const token = linkIn(mails, "http://hushlink.test/reset-password#").split("#")[1]!;
      t.clock.advance(30 * 60 * 1000 + 1);
      const res = await t.app.inject({
        method: "POST",
        url: "/api/v1/auth/password-reset/confirm",
        payload: { token, password: "copper-meadow-violin-77" },
      });
      expect(json(res)).toMatchObject({ error: { code: "invalid_token" } });
    });
  });

  describe("organizations", () => {
    it("invitations, roles and the last admin", async () => {
      const { admin, orgId } = await newOrg(t, uniqueEmail("admin"), "Ada");
      const bobEmail = uniqueEmail("bob");
      const invite = await admin.inject({
        method: "POST",
        url: `/api/v1/orgs/${orgId}/invitations`,
        payload: { email: bobEmail, role: "member" },
      });
      expect(invite.statusCode).toBe(201);
      const mails = await mailsTo(t, bobEmail);
      const token = linkIn(mails, "http://hushlink.test/invitations/").split("/invitations/")[1]!;
      expect(json(await t.app.inject({ url: `/api/v1/invitations/${token}` }))).toMatchObject({
        orgName: "Ada's organization",
        email: bobEmail,
      });

      const mallory = await signup(t);
      const stolen = await mallory.inject({
        method: "POST",
        url: `/api/v1/invitations/${token}/accept`,
      });
      expect(stolen.statusCode).toBe(403);
      expect(json(stolen)).toMatchObject({ error: { code: "invitation_email_mismatch" } });

      const bob = await signup(t, bobEmail);
      const accept = await bob.inject({
        method: "POST",
        url: `/api/v1/invitations/${token}/accept`,
      });
      expect(accept.statusCode).toBe(200);
      expect(
        (await bob.inject({ method: "POST", url: `/api/v1/invitations/${token}/accept` }))
          .statusCode,
      ).toBe(404);

      const members = json<{ items: { userId: string; email: string; role: string }[] }>(
        await bob.inject({ url: `/api/v1/orgs/${orgId}/members` }),
      );
      expect(members.items.map((m) => [m.email, m.role]).sort()).toEqual(
        [
          [admin.email, "admin"],
          [bobEmail, "member"],
        ].sort(),
      );
      const adminId = members.items.find((m) => m.role === "admin")!.userId;
      const bobId = members.items.find((m) => m.role === "member")!.userId;

      // Members cannot invite or change roles.
      expect(
        (
          await bob.inject({
            method: "POST",
            url: `/api/v1/orgs/${orgId}/invitations`,
            payload: { email: uniqueEmail() },
          })
        ).statusCode,
      ).toBe(403);
      expect(
        (
          await bob.inject({
            method: "PUT",
            url: `/api/v1/orgs/${orgId}/members/${bobId}`,
            payload: { role: "admin" },
          })
        ).statusCode,
      ).toBe(403);
      // The last admin can neither be demoted nor leave.
      const demote = await admin.inject({
        method: "PUT",
        url: `/api/v1/orgs/${orgId}/members/${adminId}`,
        payload: { role: "member" },
      });
      expect(demote.statusCode).toBe(409);
      expect(json(demote)).toMatchObject({ error: { code: "last_admin" } });
      expect(
        (await admin.inject({ method: "DELETE", url: `/api/v1/orgs/${orgId}/members/${adminId}` }))
          .statusCode,
      ).toBe(409);
      // With a second admin, the first may leave.
      expect(
        (
          await admin.inject({
            method: "PUT",
            url: `/api/v1/orgs/${orgId}/members/${bobId}`,
            payload: { role: "admin" },
          })
        ).statusCode,
      ).toBe(204);
      expect(
        (await admin.inject({ method: "DELETE", url: `/api/v1/orgs/${orgId}/members/${adminId}` }))
          .statusCode,
      ).toBe(204);
      expect((await admin.inject({ url: `/api/v1/orgs/${orgId}/members` })).statusCode).toBe(404);
    });
  });

  describe("API tokens", () => {
    it("are shown once, work as Bearer without CSRF, and stop working when revoked", async () => {
      const a = await signup(t);
      const created = json<{ id: string; token: string }>(
        await a.inject({ method: "POST", url: "/api/v1/tokens", payload: { name: "ci" } }),
      );
      expect(created.token).toMatch(/^hl_[A-Za-z0-9_-]{43}$/);
      const bearer = { authorization: `Bearer ${created.token}` };
      expect(json(await t.app.inject({ url: "/api/v1/auth/me", headers: bearer }))).toMatchObject({
        user: { email: a.email },
      });
      const share = await buildShare();
      const res = await t.app.inject({
        method: "POST",
        url: "/api/v1/shares",
        headers: bearer,
        payload: share.body,
      });
      expect(res.statusCode).toBe(201);
      expect(json(res)).not.toHaveProperty("manageToken");
      const list = json<{ items: { id: string; name: string; lastUsedAt: string | null }[] }>(
        await a.inject({ url: "/api/v1/tokens" }),
      );
      expect(list.items).toEqual([expect.objectContaining({ id: created.id, name: "ci" })]);
      expect(JSON.stringify(list)).not.toContain(created.token);
      expect(
        (await a.inject({ method: "DELETE", url: `/api/v1/tokens/${created.id}` })).statusCode,
      ).toBe(204);
      const revoked = await t.app.inject({ url: "/api/v1/auth/me", headers: bearer });
      expect(revoked.statusCode).toBe(401);
      expect(json(revoked)).toMatchObject({ error: { code: "invalid_token" } });
    });
  });

  describe("shares of members", () => {
    it("lists, shows the access log, and deletes; another organization sees 404", async () => {
      const alice = await signup(t);
      const carol = await signup(t);
      const share = await buildShare({ name: "db password", maxViews: 2 });
      const created = await createShare(alice, { ...share.body, notifyOnView: true });
      expect(created.statusCode).toBe(201);
      t.clock.advance(1000);
      const reveal = await t.app.inject({
        method: "POST",
        url: `/api/v1/shares/${share.body.id}/reveal`,
        payload: { viewToken: share.body.viewToken },
      });
      expect(reveal.statusCode).toBe(200);

      const list = json<{
        items: { id: string; name: string; viewCount: number; status: string }[];
        nextCursor: string | null;
      }>(await alice.inject({ url: "/api/v1/shares" }));
      expect(list.items).toEqual([
        expect.objectContaining({
          createdBy: alice.email,
          id: share.body.id,
          name: "db password",
          viewCount: 1,
          status: "active",
          maxViews: 2,
        }),
      ]);
      const events = json<{ items: { type: string; ip: string }[] }>(
        await alice.inject({ url: `/api/v1/shares/${share.body.id}/events` }),
      );
      expect(events.items.map((e) => e.type)).toEqual(["created", "revealed"]);
      const viewed = await mailsTo(t, alice.email);
      expect(viewed.some((m) => /viewed/i.test(m))).toBe(true);

      expect(json(await carol.inject({ url: "/api/v1/shares" }))).toMatchObject({ items: [] });
      expect(
        (await carol.inject({ url: `/api/v1/shares/${share.body.id}/events` })).statusCode,
      ).toBe(404);
      expect(
        (await carol.inject({ method: "DELETE", url: `/api/v1/shares/${share.body.id}` }))
          .statusCode,
      ).toBe(404);
      expect(
        (await alice.inject({ method: "DELETE", url: `/api/v1/shares/${share.body.id}` }))
          .statusCode,
      ).toBe(204);
      const after = json<{ items: { status: string }[] }>(
        await alice.inject({ url: "/api/v1/shares" }),
      );
      expect(after.items[0]).toMatchObject({ status: "deleted" });
    });

    it("refuses a share name with line breaks, and notifies the creator of a plain one", async () => {
      const a = await signup(t, uniqueEmail("notify"), "Multi Line");
      const broken = await buildShare({ name: "line one\nline two\ttab" });
      const refused = await createShare(a, { ...broken.body, notifyOnView: true });
      expect(refused.statusCode).toBe(400);
      expect(errorCode(refused)).toBe("invalid_request");

      const share = await buildShare({ name: "line one line two" });
      expect((await createShare(a, { ...share.body, notifyOnView: true })).statusCode).toBe(201);
      const reveal = await t.app.inject({
        method: "POST",
        url: `/api/v1/shares/${share.body.id}/reveal`,
        payload: { viewToken: share.body.viewToken },
      });
      expect(reveal.statusCode).toBe(200);
      const mails = await mailsTo(t, a.email);
      expect(mails.some((m) => m.includes("line one line two"))).toBe(true);
    });

    it("pages with a cursor", async () => {
      const a = await signup(t);
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const s = await buildShare();
        await createShare(a, s.body);
        ids.push(s.body.id);
        t.clock.advance(1000);
      }
      const first = json<{ items: { id: string }[]; nextCursor: string }>(
        await a.inject({ url: "/api/v1/shares?limit=3" }),
      );
      const second = json<{ items: { id: string }[]; nextCursor: string | null }>(
        await a.inject({ url: `/api/v1/shares?limit=3&cursor=${first.nextCursor}` }),
      );
      expect([...first.items, ...second.items].map((i) => i.id)).toEqual(ids.reverse());
      expect(second.nextCursor).toBeNull();
      expect((await a.inject({ url: "/api/v1/shares?cursor=garbage" })).statusCode).toBe(400);
    });

    it("organization-only shares open for members only, and a refused viewer consumes nothing", async () => {
      const alice = await signup(t);
      const outsider = await signup(t);
      const share = await buildShare();
      expect((await createShare(alice, { ...share.body, access: "organization" })).statusCode).toBe(
        201,
      );
      const url = `/api/v1/shares/${share.body.id}/reveal`;
      const payload = { viewToken: share.body.viewToken };
      const anonymous = await t.app.inject({ method: "POST", url, payload });
      expect(anonymous.statusCode).toBe(401);
      expect(json(anonymous)).toMatchObject({ error: { code: "login_required" } });
      const other = await outsider.inject({ method: "POST", url, payload });
      expect(other.statusCode).toBe(403);
      expect(json(other)).toMatchObject({ error: { code: "not_allowed" } });
      const meta = json<{ access: string; orgName: string; viewsRemaining: number }>(
        await t.app.inject({ url: `/api/v1/shares/${share.body.id}` }),
      );
      expect(meta).toMatchObject({ access: "organization", viewsRemaining: 1 });
      expect(meta.orgName).toMatch(/'s organization$/);
      // The page learns before Reveal whether this caller may open it (the reveal's own rule).
      const allowed = async (client: { inject: typeof t.app.inject }) =>
        json<{ viewerAllowed?: boolean }>(
          await client.inject({ url: `/api/v1/shares/${share.body.id}` }),
        ).viewerAllowed;
      expect(meta).toMatchObject({ viewerAllowed: false });
      expect(await allowed(outsider)).toBe(false);
      expect(await allowed(alice)).toBe(true);
      expect((await alice.inject({ method: "POST", url, payload })).statusCode).toBe(200);
      const anonCreate = await createShare(t.app, {
        ...(await buildShare()).body,
        access: "organization",
      });
      expect(anonCreate.statusCode).toBe(401);
    });
  });
});
