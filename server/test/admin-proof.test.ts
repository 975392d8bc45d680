/**
 * An admin's dangerous changes need a recent proof of identity (extension; docs/SPEC.md, "Admin
 * changes: recent proof"), as creating an API token does: a stolen admin session (an unlocked
 * laptop, a copied cookie) must not alone make someone admin, send the organization's events to a
 * new address, or redirect or weaken its sign-in. A session signed in more than 15 minutes ago
 * gives the password; a refusal changes nothing (read back). The harmless variants need nothing.
 * Through the real app on SQLite and (with TEST_DATABASE_URL) PostgreSQL; the clock is moved.
 */
import type { LightMyRequestResponse } from "fastify";
import { describe, expect, it } from "vitest";

import type { Member, SsoSettings, Webhook } from "@hushlink/protocol";

import {
  GOOD_PASSWORD,
  login,
  memberOf,
  newOrg,
  uniqueEmail,
  type Client,
} from "./helpers/accounts.js";
import { testDialects } from "./helpers/databases.js";
import { errorCode, json } from "./helpers/http.js";
import { clockPerTest, suiteApp } from "./helpers/suite.js";

const MINUTE = 60_000;
const ISSUER = "https://idp.example.test/realms/acme";
const OTHER_ISSUER = "https://evil.example.test/";

function expectRefused(res: LightMyRequestResponse, code = "recent_sign_in_required") {
  expect(res.statusCode, res.body).toBe(403);
  expect(errorCode(res)).toBe(code);
}

describe.each(testDialects)("an admin's dangerous changes on %s", (dialect) => {
  const clock = clockPerTest();
  const t = suiteApp(dialect, { clock, env: { WEBHOOK_ALLOW_PRIVATE: "true" } });

  /** An admin of a new organization whose session signed in 16 minutes ago. */
  async function oldAdmin(name: string) {
    const { admin, orgId } = await newOrg(t, uniqueEmail(name), `${name} Co`);
    clock.advance(16 * MINUTE);
    return { admin, orgId };
  }

  /** The same admin signed in again just now. */
  const freshly = (admin: Client) => login(t, admin.email);

  describe("making someone admin", () => {
    const setRole = (c: Client, orgId: string, userId: string, payload: object) =>
      c.inject({ method: "PUT", url: `/api/v1/orgs/${orgId}/members/${userId}`, payload });
    const invite = (c: Client, orgId: string, payload: object) =>
      c.inject({ method: "POST", url: `/api/v1/orgs/${orgId}/invitations`, payload });
    const roleOf = async (c: Client, orgId: string, email: string) =>
      json<{ items: Member[] }>(
        await c.inject({ url: `/api/v1/orgs/${orgId}/members` }),
      ).items.find((m) => m.email === email)?.role;
    const pending = async (c: Client, orgId: string) =>
      json<{ items: { email: string; role: string }[] }>(
        await c.inject({ url: `/api/v1/orgs/${orgId}/invitations` }),
      ).items;
    const userIdIn = async (c: Client, orgId: string, email: string) =>
      json<{ items: Member[] }>(
        await c.inject({ url: `/api/v1/orgs/${orgId}/members` }),
      ).items.find((m) => m.email === email)!.userId;

    it("an old session promotes only with the right password; demoting needs none", async () => {
      const { admin, orgId } = await oldAdmin("promote");
      const member = await memberOf(t, orgId);
      const userId = await userIdIn(admin, orgId, member.email);

      expectRefused(await setRole(admin, orgId, userId, { role: "admin" }));
      expect(await roleOf(admin, orgId, member.email)).toBe("member");
      const wrong = await setRole(admin, orgId, userId, { role: "admin", password: "not it" });
      expectRefused(wrong, "wrong_current_password");
      expect(await roleOf(admin, orgId, member.email)).toBe("member");

      const done = await setRole(admin, orgId, userId, { role: "admin", password: GOOD_PASSWORD });
      expect(done.statusCode, done.body).toBe(204);
      expect(await roleOf(admin, orgId, member.email)).toBe("admin");
      // Taking admin away hands nothing to anyone: no proof.
      const demoted = await setRole(admin, orgId, userId, { role: "member" });
      expect(demoted.statusCode, demoted.body).toBe(204);
      expect(await roleOf(admin, orgId, member.email)).toBe("member");
    });

    it("an old session invites an admin only with the password; a member without", async () => {
      const { admin, orgId } = await oldAdmin("invite-admin");
      const boss = uniqueEmail("boss");
      expectRefused(await invite(admin, orgId, { email: boss, role: "admin" }));
      const wrong = await invite(admin, orgId, { email: boss, role: "admin", password: "nope" });
      expectRefused(wrong, "wrong_current_password");
      expect(await pending(admin, orgId)).toEqual([]);

      const plain = uniqueEmail("plain");
      const member = await invite(admin, orgId, { email: plain });
      expect(member.statusCode, member.body).toBe(201);
      const proven = await invite(admin, orgId, {
        email: boss,
        role: "admin",
        password: GOOD_PASSWORD,
      });
      expect(proven.statusCode, proven.body).toBe(201);
      const listed = (await pending(admin, orgId)).map((i) => [i.email, i.role]);
      expect(listed.sort()).toEqual(
        [
          [boss, "admin"],
          [plain, "member"],
        ].sort(),
      );
    });

    it("a session signed in within 15 minutes needs no password", async () => {
      const { admin, orgId } = await oldAdmin("fresh-promote");
      const member = await memberOf(t, orgId);
      const fresh = await freshly(admin);
      clock.advance(14 * MINUTE);
      const userId = await userIdIn(fresh, orgId, member.email);
      const done = await setRole(fresh, orgId, userId, { role: "admin" });
      expect(done.statusCode, done.body).toBe(204);
      expect(await roleOf(fresh, orgId, member.email)).toBe("admin");
      const invited = await invite(fresh, orgId, { email: uniqueEmail("b"), role: "admin" });
      expect(invited.statusCode, invited.body).toBe(201);
    });

    it("wrong passwords count toward the sign-in back-off", async () => {
      const { admin, orgId } = await oldAdmin("backoff-promote");
      const member = await memberOf(t, orgId);
      const userId = await userIdIn(admin, orgId, member.email);
      const ip = "192.0.2.77";
      for (let i = 0; i < 6; i++) {
        const wrong = await admin.inject({
          method: "PUT",
          url: `/api/v1/orgs/${orgId}/members/${userId}`,
          remoteAddress: ip,
          payload: { role: "admin", password: `not it ${i}` },
        });
        expectRefused(wrong, "wrong_current_password");
      }
      const paused = await admin.inject({
        method: "PUT",
        url: `/api/v1/orgs/${orgId}/members/${userId}`,
        remoteAddress: ip,
        payload: { role: "admin", password: GOOD_PASSWORD },
      });
      expect(paused.statusCode).toBe(429);
      expect(errorCode(paused)).toBe("sign_in_paused");
      expect(await roleOf(admin, orgId, member.email)).toBe("member");
    });
  });

  describe("webhooks", () => {
    const hooksUrl = (orgId: string) => `/api/v1/orgs/${orgId}/webhooks`;
    const add = (c: Client, orgId: string, payload: object = {}) =>
      c.inject({
        method: "POST",
        url: hooksUrl(orgId),
        payload: { url: "http://127.0.0.1:9/first", events: ["share.deleted"], ...payload },
      });
    const patch = (c: Client, orgId: string, id: string, payload: object) =>
      c.inject({ method: "PATCH", url: `${hooksUrl(orgId)}/${id}`, payload });
    const listed = async (c: Client, orgId: string) =>
      json<{ webhooks: Webhook[] }>(await c.inject({ url: hooksUrl(orgId) })).webhooks;

    it("an old session adds an endpoint only with the right password", async () => {
      const { admin, orgId } = await oldAdmin("hook-add");
      expectRefused(await add(admin, orgId));
      expectRefused(await add(admin, orgId, { password: "not it" }), "wrong_current_password");
      expect(await listed(admin, orgId)).toEqual([]);
      const made = await add(admin, orgId, { password: GOOD_PASSWORD });
      expect(made.statusCode, made.body).toBe(201);
      expect((await listed(admin, orgId)).map((w) => w.url)).toEqual(["http://127.0.0.1:9/first"]);
    });

    it("an old session moves an endpoint only with the password; other fields need none", async () => {
      const { admin, orgId } = await oldAdmin("hook-move");
      const { id } = json<Webhook>(await add(admin, orgId, { password: GOOD_PASSWORD }));

      const moved = "http://127.0.0.1:9/elsewhere";
      expectRefused(await patch(admin, orgId, id, { url: moved }));
      expectRefused(
        await patch(admin, orgId, id, { url: moved, password: "x" }),
        "wrong_current_password",
      );
      // Refused whole: the events sent along did not change either.
      expectRefused(await patch(admin, orgId, id, { url: moved, events: ["share.created"] }));
      expect(await listed(admin, orgId)).toMatchObject([
        { url: "http://127.0.0.1:9/first", events: ["share.deleted"] },
      ]);

      // What goes to the address already approved, and the same URL sent back, need nothing.
      const harmless = await patch(admin, orgId, id, {
        url: "http://127.0.0.1:9/first",
        events: ["share.created"],
        includeShareNames: true,
        enabled: false,
      });
      expect(harmless.statusCode, harmless.body).toBe(200);
      expect(json<Webhook>(harmless)).toMatchObject({ events: ["share.created"], enabled: false });

      const proven = await patch(admin, orgId, id, { url: moved, password: GOOD_PASSWORD });
      expect(proven.statusCode, proven.body).toBe(200);
      expect((await listed(admin, orgId)).map((w) => w.url)).toEqual([moved]);
    });

    it("a session signed in within 15 minutes adds and moves one without a password", async () => {
      const { admin, orgId } = await oldAdmin("hook-fresh");
      const fresh = await freshly(admin);
      const made = await add(fresh, orgId);
      expect(made.statusCode, made.body).toBe(201);
      const moved = await patch(fresh, orgId, json<Webhook>(made).id, {
        url: "http://127.0.0.1:9/second",
      });
      expect(moved.statusCode, moved.body).toBe(200);
      expect(json<Webhook>(moved).url).toBe("http://127.0.0.1:9/second");
    });

    it("an API token has no sign-in to count: it gives the password", async () => {
      const { admin, orgId } = await oldAdmin("hook-token");
      const { token } = json<{ token: string }>(
        await admin.inject({
          method: "POST",
          url: "/api/v1/tokens",
          payload: { name: "ci", password: GOOD_PASSWORD },
        }),
      );
      const byToken = (payload: object) =>
        t.app.inject({
          method: "POST",
          url: hooksUrl(orgId),
          headers: { authorization: `Bearer ${token}` },
          payload: { url: "http://127.0.0.1:9/t", events: ["share.deleted"], ...payload },
        });
      expectRefused(await byToken({}));
      expect((await byToken({ password: GOOD_PASSWORD })).statusCode).toBe(201);
    });
  });

  describe("single sign-on settings", () => {
    const ssoUrl = (orgId: string) => `/api/v1/orgs/${orgId}/sso`;
    const base = { enabled: true, issuer: ISSUER, clientId: "hushlink", domains: ["acme.test"] };
    const put = (c: Client, orgId: string, payload: object) =>
      c.inject({ method: "PUT", url: ssoUrl(orgId), payload: { ...base, ...payload } });
    const read = async (c: Client, orgId: string) =>
      json<SsoSettings>(await c.inject({ url: ssoUrl(orgId) }));

    /** An old admin session whose organization has a provider, requireSso on. */
    async function connected(name: string) {
      const { admin, orgId } = await oldAdmin(name);
      const saved = await put(admin, orgId, {
        clientSecret: "first secret",
        requireSso: true,
        password: GOOD_PASSWORD,
      });
      expect(saved.statusCode, saved.body).toBe(200);
      return { admin, orgId };
    }

    it("an old session connects a provider only with the right password", async () => {
      const { admin, orgId } = await oldAdmin("sso-connect");
      expectRefused(await put(admin, orgId, { clientSecret: "s" }));
      const wrong = await put(admin, orgId, { clientSecret: "s", password: "not it" });
      expectRefused(wrong, "wrong_current_password");
      expect(await read(admin, orgId)).toMatchObject({ issuer: null, clientSecretSet: false });
      const saved = await put(admin, orgId, { clientSecret: "s", password: GOOD_PASSWORD });
      expect(saved.statusCode, saved.body).toBe(200);
      expect(await read(admin, orgId)).toMatchObject({ issuer: ISSUER, clientSecretSet: true });
    });

    it("redirecting or weakening sign-in is refused without the password, and changes nothing", async () => {
      const { admin, orgId } = await connected("sso-weaken");
      const before = await read(admin, orgId);
      const memberId = json<{ items: Member[] }>(
        await admin.inject({ url: `/api/v1/orgs/${orgId}/members` }),
      ).items[0]!.userId;
      const required = { requireSso: true };
      for (const change of [
        { ...required, issuer: OTHER_ISSUER },
        { ...required, clientId: "someone-else" },
        { ...required, clientSecret: "another secret" },
        { requireSso: false },
        { ...required, enabled: false },
        { ...required, domains: [] },
        { ...required, breakGlassUserIds: [memberId] },
      ])
        expectRefused(await put(admin, orgId, change));
      expect(await read(admin, orgId)).toEqual(before);

      const off = await put(admin, orgId, { requireSso: false, password: GOOD_PASSWORD });
      expect(off.statusCode, off.body).toBe(200);
      expect((await read(admin, orgId)).requireSso).toBe(false);
    });

    it("tightening sign-in and claiming a domain need no proof", async () => {
      const { admin, orgId } = await oldAdmin("sso-tighten");
      const saved = await put(admin, orgId, { clientSecret: "s", password: GOOD_PASSWORD });
      expect(saved.statusCode, saved.body).toBe(200);
      const tightened = await put(admin, orgId, {
        requireSso: true,
        domains: ["acme.test", "acme-two.test"],
      });
      expect(tightened.statusCode, tightened.body).toBe(200);
      const now = await read(admin, orgId);
      expect(now).toMatchObject({ requireSso: true, issuer: ISSUER });
      expect([...now.domains].sort()).toEqual(["acme-two.test", "acme.test"]);
    });

    it("a session signed in within 15 minutes changes the provider without a password", async () => {
      const { admin, orgId } = await connected("sso-fresh");
      const fresh = await freshly(admin);
      const changed = await put(fresh, orgId, { issuer: OTHER_ISSUER, requireSso: false });
      expect(changed.statusCode, changed.body).toBe(200);
      expect(await read(fresh, orgId)).toMatchObject({ issuer: OTHER_ISSUER, requireSso: false });
    });
  });

  describe("deleting the organization", () => {
    const remove = (c: Client, orgId: string, payload: object) =>
      c.inject({ method: "DELETE", url: `/api/v1/orgs/${orgId}`, payload });
    /** An old admin's organization, renamed (no proof needed) to the name deletion asks for. */
    async function named(label: string) {
      const { admin, orgId } = await oldAdmin(label);
      const renamed = await admin.inject({
        method: "PATCH",
        url: `/api/v1/orgs/${orgId}`,
        payload: { name: "Doomed" },
      });
      expect(renamed.statusCode, renamed.body).toBe(200);
      return { admin, orgId, name: "Doomed" };
    }
    const exists = async (c: Client, orgId: string) =>
      (await c.inject({ url: `/api/v1/orgs/${orgId}/members` })).statusCode === 200;

    it("an old session deletes only with the right password; a refusal deletes nothing", async () => {
      const { admin, orgId, name } = await named("delete-org");
      expectRefused(await remove(admin, orgId, { name }));
      expect(await exists(admin, orgId)).toBe(true);
      expectRefused(
        await remove(admin, orgId, { name, password: "not it" }),
        "wrong_current_password",
      );
      expect(await exists(admin, orgId)).toBe(true);
      const done = await remove(admin, orgId, { name, password: GOOD_PASSWORD });
      expect(done.statusCode, done.body).toBe(204);
      expect(await exists(admin, orgId)).toBe(false);
    });

    it("a session signed in within 15 minutes deletes without a password", async () => {
      const { admin, orgId, name } = await named("delete-org-fresh");
      const fresh = await freshly(admin);
      const done = await remove(fresh, orgId, { name });
      expect(done.statusCode, done.body).toBe(204);
      expect(await exists(fresh, orgId)).toBe(false);
    });
  });
});
