import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { AuditEventType, type WebhookPayload } from "@hushlink/protocol";

import { createTestApp, type TestApp } from "./helpers/app.js";
import { auditEntries } from "./helpers/audit.js";
import { testDialects } from "./helpers/databases.js";
import { CALLBACK, everyEventEnv, provokeEveryEvent } from "./helpers/every-event.js";
import { startTestProvider, type TestProvider } from "./helpers/oidc-provider.js";
import { startSmtpServer, type TestSmtpServer } from "./helpers/smtp.js";
import { startWebhookReceiver, type WebhookReceiver } from "./helpers/webhook-receiver.js";

/*
 * SPEC F18: a payload carries no secret material. One run through every audited event
 * (helpers/every-event.ts), with two endpoints (standard and slack) subscribed to all of them
 * and names not ticked; then every delivered body is searched for each secret the run handled:
 * link secrets, view tokens, verifiers, ciphertext, passwords, API tokens, session cookies,
 * invitation and e-mail tokens, e-mail and authenticator codes, reading secrets, submitted
 * values, the webhook secrets, and the names given to shares and requests.
 */
describe.each(testDialects)("webhook payloads on %s", (dialect) => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  let idp: TestProvider;
  let smtp: TestSmtpServer;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    smtp = await startSmtpServer();
    idp = await startTestProvider(CALLBACK);
    t = await createTestApp(dialect, {
      env: { ...everyEventEnv(smtp), WEBHOOK_ALLOW_PRIVATE: "true" },
    });
  });
  afterAll(async () => {
    await t.close();
    await idp.close();
    await smtp.stop();
    await receiver.close();
  });

  it("no delivered body holds secret material, over every event type", async () => {
    const run = await provokeEveryEvent(t, {
      idp,
      smtp,
      domain: `scan-${dialect}-${process.pid}.test`,
      hooks: [
        { url: receiver.url("/hook/standard"), format: "standard" },
        { url: receiver.url("/hook/slack"), format: "slack" },
      ],
    });
    for (let i = 0; i < 5; i += 1) await t.services.webhookWorker.runOnce();

    // Every type the audit log recorded in the run was delivered, to both endpoints.
    const recorded = new Set((await auditEntries(run.admin, run.orgId)).map((e) => e.type));
    const standard = receiver.received.filter((r) => r.path === "/hook/standard");
    const slack = receiver.received.filter((r) => r.path === "/hook/slack");
    const delivered = new Set(standard.map((r) => (JSON.parse(r.body) as WebhookPayload).type));
    expect([...recorded].sort()).toEqual([...delivered].sort());
    // The slack endpoint was added after the standard one: the standard one also got its creation.
    expect(slack).toHaveLength(standard.length - 1);
    // The run provokes every type there is (audit-every-event.test.ts checks the export).
    expect([...delivered].sort()).toEqual([...AuditEventType.options].sort());

    // Only the whitelisted fields, and none of the secrets, anywhere in a body or header.
    for (const r of standard) {
      const payload = JSON.parse(r.body) as WebhookPayload;
      expect(Object.keys(payload).sort()).toEqual(["data", "timestamp", "type"]);
      for (const key of Object.keys(payload.data))
        expect(["org", "seq", "actor", "ip", "target", "outcome", "via"]).toContain(key);
    }
    const everything = receiver.received
      .map((r) => {
        const { "webhook-signature": _sig, ...headers } = r.headers;
        return `${r.path}\n${JSON.stringify(headers)}\n${r.body}`;
      })
      .join("\n");
    expect(run.secrets.length).toBeGreaterThan(40);
    for (const secret of run.secrets)
      expect(everything, "a delivered body holds secret material").not.toContain(secret);
    expect(run.codes.length).toBeGreaterThanOrEqual(2);
    for (const code of run.codes)
      expect(everything, "a delivered body holds a code").not.toMatch(
        new RegExp(`(?<![0-9])${code}(?![0-9])`),
      );
    // The run is some 60 requests with Argon2id and SSO: slow on a loaded machine.
  }, 180_000);
});
