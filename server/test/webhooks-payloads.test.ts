import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  AuditEventType,
  derivePasswordKeys,
  type AuditEntry,
  type CreatedWebhook,
  type WebhookPayload,
} from "@hushlink/protocol";

import { createTestApp, type TestApp } from "./helpers/app.js";
import {
  GOOD_PASSWORD,
  linkIn,
  login,
  mailsTo,
  memberOf,
  signup,
  uniqueEmail,
} from "./helpers/accounts.js";
import { buildShare, FAST_KDF } from "./helpers/builders.js";
import { testDialects } from "./helpers/databases.js";
import { json, reveal } from "./helpers/http.js";
import { startWebhookReceiver, type WebhookReceiver } from "./helpers/webhook-receiver.js";

/*
 * SPEC F18: a payload carries no secret material. One run through every audited event, with two
 * endpoints (standard and slack) subscribed to all of them and names not ticked; then every
 * delivered body is searched for each secret the run handled: link secrets, view tokens,
 * verifiers, ciphertext, passwords, API tokens, session cookies, invitation and e-mail tokens,
 * submitted values, the webhook secrets, and the names given to shares and requests.
 */
describe.each(testDialects)("webhook payloads on %s", (dialect) => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  const secrets: string[] = [];
  const keep = (...values: (string | undefined)[]) => {
    for (const v of values) if (v) secrets.push(v);
  };

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    t = await createTestApp(dialect, {
      env: { WEBHOOK_ALLOW_PRIVATE: "true", PASSWORD_ATTEMPTS: "2" },
    });
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  it("no delivered body holds secret material, over every event type", async () => {
    const admin = await signup(t, uniqueEmail("scan-admin"), "Scan Co");
    keep(GOOD_PASSWORD, ...Object.values(admin.headers).flatMap((h) => h.split(/[;=\s]+/)));
    const me = json<{ user: { id: string }; orgs: { id: string }[] }>(
      await admin.inject({ url: "/api/v1/auth/me" }),
    );
    const orgId = me.orgs[0]!.id;
    const hooks: CreatedWebhook[] = [];
    for (const format of ["standard", "slack"]) {
      const res = await admin.inject({
        method: "POST",
        url: `/api/v1/orgs/${orgId}/webhooks`,
        payload: { url: receiver.url(`/hook/${format}`), events: AuditEventType.options, format },
      });
      expect(res.statusCode, res.body).toBe(201);
      hooks.push(json<CreatedWebhook>(res));
    }
    keep(...hooks.map((h) => h.secret), ...hooks.map((h) => h.secret.slice("whsec_".length)));

    // Sign-ins, failed and succeeded.
    const wrongPassword = "not-the-password-at-all-77";
    keep(wrongPassword);
    await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email: admin.email, password: wrongPassword },
    });
    const again = await login(t, admin.email);
    keep(...Object.values(again.headers).flatMap((h) => h.split(/[;=\s]+/)));

    // Shares: created (named), revealed, wrong password twice (locked), deleted.
    const open = await buildShare({ name: "Name of the open share" });
    const locked = await buildShare({
      password: "the right one",
      name: "Name of the locked share",
    });
    const wrong = await derivePasswordKeys(locked.linkSecret, "a wrong one", FAST_KDF);
    keep(
      "Name of the open share",
      "Name of the locked share",
      "the right one",
      "a wrong one",
      open.text,
      locked.text,
      wrong.verifier,
    );
    for (const s of [open, locked]) {
      keep(s.linkSecret, s.body.viewToken, s.body.ciphertext);
      const res = await admin.inject({
        method: "POST",
        url: "/api/v1/shares",
        payload: { ...s.body, orgId },
      });
      expect(res.statusCode).toBe(201);
      // The manage token and whatever else the answer carries, but the share's id: that is the
      // event's target.
      const { id: _id, ...answer } = json<Record<string, unknown>>(res);
      keep(...Object.values(answer).filter((v): v is string => typeof v === "string"));
    }
    expect((await reveal(t.app, open.body.id, { viewToken: open.body.viewToken })).statusCode).toBe(
      200,
    );
    for (let i = 0; i < 2; i += 1)
      await reveal(t.app, locked.body.id, {
        viewToken: locked.body.viewToken,
        verifier: wrong.verifier,
      });
    const second = await buildShare({ name: "Name of the deleted share" });
    keep(
      second.linkSecret,
      second.body.viewToken,
      second.body.ciphertext,
      "Name of the deleted share",
    );
    await admin.inject({
      method: "POST",
      url: "/api/v1/shares",
      payload: { ...second.body, orgId },
    });
    expect(
      (await admin.inject({ method: "DELETE", url: `/api/v1/shares/${second.body.id}` }))
        .statusCode,
    ).toBe(204);

    // Tokens, requests (created, answered, deleted), branding.
    const token = json<{ id: string; token: string }>(
      await admin.inject({ method: "POST", url: "/api/v1/tokens", payload: { name: "scan" } }),
    );
    keep(token.token);
    const request = await t.app.inject({
      method: "POST",
      url: "/api/v1/requests",
      headers: { authorization: `Bearer ${token.token}` },
      payload: { orgId, expiresIn: 600, access: "anyone", name: "Name of the request" },
    });
    expect(request.statusCode, request.body).toBe(201);
    keep("Name of the request");
    const requestId = json<{ id: string }>(request).id;
    const value = `submitted-value-${Math.random().toString(36).slice(2)}`;
    keep(value);
    const submitted = await t.app.inject({
      method: "POST",
      url: `/api/v1/requests/${requestId}/submit`,
      payload: { value },
    });
    expect(submitted.statusCode, submitted.body).toBe(204);
    await admin.inject({ method: "DELETE", url: `/api/v1/requests/${requestId}` });
    await admin.inject({ method: "DELETE", url: `/api/v1/tokens/${token.id}` });
    await admin.inject({
      method: "PUT",
      url: `/api/v1/orgs/${orgId}/branding`,
      payload: { primaryColor: "#123456" },
    });

    // Members: invited, joined, role changed, removed, left.
    const joinerEmail = uniqueEmail("scan-joiner");
    const invited = await admin.inject({
      method: "POST",
      url: `/api/v1/orgs/${orgId}/invitations`,
      payload: { email: joinerEmail, role: "member" },
    });
    expect(invited.statusCode, invited.body).toBe(201);
    const invitation = linkIn(await mailsTo(t, joinerEmail), "http://hushlink.test/invitations/");
    const invitationToken = invitation.split("/invitations/")[1]!;
    keep(invitationToken);
    const joiner = await signup(t, joinerEmail);
    const accepted = await joiner.inject({
      method: "POST",
      url: `/api/v1/invitations/${invitationToken}/accept`,
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    const joinerId = json<{ user: { id: string } }>(await joiner.inject({ url: "/api/v1/auth/me" }))
      .user.id;
    await admin.inject({
      method: "PUT",
      url: `/api/v1/orgs/${orgId}/members/${joinerId}`,
      payload: { role: "admin" },
    });
    await admin.inject({ method: "DELETE", url: `/api/v1/orgs/${orgId}/members/${joinerId}` });
    const leaver = await memberOf(t, orgId);
    const leaverId = json<{ user: { id: string } }>(await leaver.inject({ url: "/api/v1/auth/me" }))
      .user.id;
    await leaver.inject({ method: "DELETE", url: `/api/v1/orgs/${orgId}/members/${leaverId}` });

    // Webhook changes.
    const extra = json<CreatedWebhook>(
      await admin.inject({
        method: "POST",
        url: `/api/v1/orgs/${orgId}/webhooks`,
        payload: { url: receiver.url("/hook/extra"), events: ["share.created"] },
      }),
    );
    keep(extra.secret);
    await admin.inject({ method: "DELETE", url: `/api/v1/orgs/${orgId}/webhooks/${extra.id}` });

    // Every token any mail of the run carried (verification, invitation).
    const folder = join(t.testDb.dataDir, "mail");
    for (const file of readdirSync(folder)) {
      const text = readFileSync(join(folder, file), "utf8")
        .replace(/=\r?\n/g, "")
        .replace(/=3D/g, "=");
      for (const m of text.matchAll(
        /https?:\/\/hushlink\.test\/[^\s"<>]*[#/=]([A-Za-z0-9_-]{20,})/g,
      ))
        keep(m[1]);
    }

    for (let i = 0; i < 5; i += 1) await t.services.webhookWorker.runOnce();

    // Every type the audit log recorded in the run was delivered, to both endpoints.
    const audit = await admin.inject({ url: `/api/v1/orgs/${orgId}/audit` });
    const recorded = new Set(
      audit.body
        .trimEnd()
        .split("\n")
        .map((l) => (JSON.parse(l) as AuditEntry).type),
    );
    const standard = receiver.received.filter((r) => r.path === "/hook/standard");
    const slack = receiver.received.filter((r) => r.path === "/hook/slack");
    const delivered = new Set(standard.map((r) => (JSON.parse(r.body) as WebhookPayload).type));
    expect([...recorded].sort()).toEqual([...delivered].sort());
    // The slack endpoint was added after the standard one: the standard one also got its creation.
    expect(slack).toHaveLength(standard.length - 1);
    for (const type of [
      "signin.failed",
      "signin.succeeded",
      "share.created",
      "share.revealed",
      "share.wrong_password",
      "share.locked",
      "share.deleted",
      "token.created",
      "token.revoked",
      "request.created",
      "request.answered",
      "request.deleted",
      "branding.changed",
      "member.invited",
      "member.joined",
      "member.role_changed",
      "member.removed",
      "member.left",
      "webhook.created",
      "webhook.deleted",
    ])
      expect(delivered, type).toContain(type);

    // Only the whitelisted fields, and none of the secrets, anywhere in a body or header.
    for (const r of standard) {
      const payload = JSON.parse(r.body) as WebhookPayload;
      expect(Object.keys(payload).sort()).toEqual(["data", "timestamp", "type"]);
      for (const key of Object.keys(payload.data))
        expect(["org", "seq", "actor", "ip", "target", "outcome"]).toContain(key);
    }
    const everything = receiver.received
      .map((r) => {
        const { "webhook-signature": _sig, ...headers } = r.headers;
        return `${r.path}\n${JSON.stringify(headers)}\n${r.body}`;
      })
      .join("\n");
    expect(secrets.length).toBeGreaterThan(25);
    for (const secret of new Set(secrets.filter((s) => s.length >= 8)))
      expect(everything, "a delivered body holds secret material").not.toContain(secret);
  });
});
