import { beforeAll, describe, expect, it } from "vitest";

import { derivePasswordKeys } from "@hushlink/protocol";

import { auditEntries } from "./helpers/audit.js";
import {
  GOOD_PASSWORD,
  login,
  memberOf,
  signInAttempt,
  signup,
  uniqueEmail,
  type Client,
} from "./helpers/accounts.js";
import { buildShare, FAST_KDF } from "./helpers/builders.js";
import { testDialects } from "./helpers/databases.js";
import { suiteApp } from "./helpers/suite.js";
import { createShare, json, reveal } from "./helpers/http.js";

/*
 * The events the features already had reach the audit log through the wiring (audit.wiring.ts):
 * each request below leaves its entry, with the caller and address of that request.
 */
describe.each(testDialects)("audit events on %s", (dialect) => {
  const t = suiteApp(dialect, { env: { PASSWORD_ATTEMPTS: "2" } });
  let admin: Client;
  let adminId: string;
  let orgId: string;

  const entries = () => auditEntries(admin, orgId);
  /** The entries recorded while `fn` ran. */
  const during = async (fn: () => Promise<unknown>) => {
    const before = (await entries()).length;
    await fn();
    return (await entries()).slice(before);
  };

  beforeAll(async () => {
    admin = await signup(t, uniqueEmail("events-admin"), "Events Co");
    const me = json<{ user: { id: string }; orgs: { id: string }[] }>(
      await admin.inject({ url: "/api/v1/auth/me" }),
    );
    adminId = me.user.id;
    orgId = me.orgs[0]!.id;
  });

  it("sign-ins, failed and succeeded, in the account's organization", async () => {
    const logged = await during(async () => {
      const wrong = await signInAttempt(t, admin.email, "not the password at all", "192.0.2.7");
      expect(wrong.statusCode).toBe(401);
      admin = await login(t, admin.email, GOOD_PASSWORD);
    });
    // The failure is recorded without holding its answer (audit.wiring.ts): in either order.
    expect(logged.sort((a, b) => a.type.localeCompare(b.type))).toMatchObject([
      { type: "signin.failed", outcome: "failure", actor: { kind: "anonymous" }, ip: "192.0.2.7" },
      { type: "signin.succeeded", outcome: "success", actor: { kind: "user", id: adminId } },
    ]);
  });

  it("shares: created, revealed, wrong password, locked, deleted", async () => {
    const open = await buildShare({ maxViews: 5 });
    const locked = await buildShare({ password: "the right one" });
    const wrong = await derivePasswordKeys(locked.linkSecret, "a wrong one", FAST_KDF);
    const logged = await during(async () => {
      for (const s of [open, locked]) {
        const res = await createShare(admin, { ...s.body, orgId });
        expect(res.statusCode).toBe(201);
      }
      expect(
        (await reveal(t.app, open.body.id, { viewToken: open.body.viewToken })).statusCode,
      ).toBe(200);
      for (let i = 0; i < 2; i += 1) {
        const res = await reveal(t.app, locked.body.id, {
          viewToken: locked.body.viewToken,
          verifier: wrong.verifier,
        });
        expect(res.statusCode).toBe(403);
      }
      const res = await admin.inject({ method: "DELETE", url: `/api/v1/shares/${open.body.id}` });
      expect(res.statusCode).toBe(204);
    });
    const share = (id: string) => ({ kind: "share", id });
    expect(logged).toMatchObject([
      { type: "share.created", actor: { kind: "user", id: adminId }, target: share(open.body.id) },
      { type: "share.created", target: share(locked.body.id) },
      {
        type: "share.revealed",
        actor: { kind: "anonymous", id: null },
        target: share(open.body.id),
      },
      { type: "share.wrong_password", outcome: "failure", target: share(locked.body.id) },
      { type: "share.wrong_password", outcome: "failure", target: share(locked.body.id) },
      { type: "share.locked", target: share(locked.body.id) },
      { type: "share.deleted", actor: { kind: "user", id: adminId }, target: share(open.body.id) },
    ]);
    // Nothing of the link reaches the log.
    const text = JSON.stringify(logged);
    for (const secret of [open.linkSecret, open.body.viewToken, wrong.verifier])
      expect(text).not.toContain(secret);
  });

  it("requests, tokens and branding, through a session and through an API token", async () => {
    let tokenId = "";
    const logged = await during(async () => {
      const created = await admin.inject({
        method: "POST",
        url: "/api/v1/tokens",
        payload: { name: "audit test" },
      });
      expect(created.statusCode).toBe(201);
      const { id, token } = json<{ id: string; token: string }>(created);
      tokenId = id;
      const request = await t.app.inject({
        method: "POST",
        url: "/api/v1/requests",
        headers: { authorization: `Bearer ${token}` },
        payload: { orgId, expiresIn: 600, access: "organization" },
      });
      expect(request.statusCode).toBe(201);
      const requestId = json<{ id: string }>(request).id;
      const removed = await admin.inject({
        method: "DELETE",
        url: `/api/v1/requests/${requestId}`,
      });
      expect(removed.statusCode).toBe(204);
      const branded = await admin.inject({
        method: "PUT",
        url: `/api/v1/orgs/${orgId}/branding`,
        payload: { primaryColor: "#123456" },
      });
      expect(branded.statusCode).toBe(200);
      expect(
        (await admin.inject({ method: "DELETE", url: `/api/v1/tokens/${id}` })).statusCode,
      ).toBe(204);
    });
    expect(logged).toMatchObject([
      { type: "token.created", target: { kind: "token", id: tokenId } },
      { type: "request.created", actor: { kind: "token", id: adminId } },
      { type: "request.deleted", actor: { kind: "user", id: adminId } },
      { type: "branding.changed", target: { kind: "org", id: orgId } },
      { type: "token.revoked", target: { kind: "token", id: tokenId } },
    ]);
  });

  it("members: role changed, removed, left", async () => {
    const clients = [await memberOf(t, orgId), await memberOf(t, orgId)];
    const ids: string[] = [];
    for (const c of clients)
      ids.push(json<{ user: { id: string } }>(await c.inject({ url: "/api/v1/auth/me" })).user.id);
    const logged = await during(async () => {
      const role = await admin.inject({
        method: "PUT",
        url: `/api/v1/orgs/${orgId}/members/${ids[0]}`,
        payload: { role: "admin" },
      });
      expect(role.statusCode).toBe(204);
      const removed = await admin.inject({
        method: "DELETE",
        url: `/api/v1/orgs/${orgId}/members/${ids[0]}`,
      });
      expect(removed.statusCode).toBe(204);
      const left = await clients[1]!.inject({
        method: "DELETE",
        url: `/api/v1/orgs/${orgId}/members/${ids[1]}`,
      });
      expect(left.statusCode).toBe(204);
    });
    expect(logged).toMatchObject([
      { type: "member.role_changed", actor: { id: adminId }, target: { kind: "user", id: ids[0] } },
      { type: "member.removed", actor: { id: adminId }, target: { kind: "user", id: ids[0] } },
      { type: "member.left", actor: { id: ids[1] }, target: { kind: "user", id: ids[1] } },
    ]);
  });
});
