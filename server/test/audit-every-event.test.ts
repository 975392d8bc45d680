/**
 * SPEC F18's whole list of events: one run provokes each over HTTP (helpers/every-event.ts) and
 * every event type must then be in the organization's export, with `via` where the type does not
 * say how, and the export must verify as a chain.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { AuditEventType } from "@hushlink/protocol";

import { createTestApp, type TestApp } from "./helpers/app.js";
import { auditEntries } from "./helpers/audit.js";
import { testDialects } from "./helpers/databases.js";
import { CALLBACK, everyEventEnv, provokeEveryEvent } from "./helpers/every-event.js";
import { startTestProvider, type TestProvider } from "./helpers/oidc-provider.js";
import { startSmtpServer, type TestSmtpServer } from "./helpers/smtp.js";

describe.each(testDialects)("every audit event on %s", (dialect) => {
  let t: TestApp;
  let idp: TestProvider;
  let smtp: TestSmtpServer;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await createTestApp(dialect, { env: everyEventEnv(smtp) });
    idp = await startTestProvider(CALLBACK);
  });
  afterAll(async () => {
    await idp.close();
    await t.close();
    await smtp.stop();
  });

  it("records each event type of the list, and the export verifies", async () => {
    const domain = `every-${dialect}-${process.pid}.test`;
    const { admin, orgId } = await provokeEveryEvent(t, { idp, smtp, domain });
    const entries = await auditEntries(admin, orgId);
    const types = new Set(entries.map((e) => e.type));
    const missing = AuditEventType.options.filter((type) => !types.has(type));
    expect(missing, "event types no request of the run recorded").toEqual([]);

    // How a member joined, and how a sign-in with a second factor went.
    const joined = entries.filter((e) => e.type === "member.joined").map((e) => e.via);
    expect(joined).toEqual(expect.arrayContaining(["invitation", "invited_signup"]));
    expect(entries.find((e) => e.type === "signin.second_factor_failed")).toMatchObject({
      via: "totp",
      outcome: "failure",
      actor: { kind: "anonymous" },
      target: { kind: "user" },
    });
    expect(entries.filter((e) => e.type === "signin.succeeded").map((e) => e.via)).toEqual(
      expect.arrayContaining(["totp", "passkey"]),
    );
    expect(entries.find((e) => e.type === "passkey.removed")).toMatchObject({
      actor: { kind: "user" },
      target: { kind: "passkey" },
    });
    // The account's own authenticator app and recovery codes: by the account, on the account.
    for (const type of ["totp.enabled", "totp.disabled", "recovery_codes.regenerated"]) {
      const entry = entries.find((e) => e.type === type);
      expect(entry, type).toMatchObject({ actor: { kind: "user" }, target: { kind: "user" } });
      expect(entry?.target?.id, type).toBe(entry?.actor.id);
    }
    // Expired by the sweeper (no caller), then removed by "Delete all expired".
    const expired = entries.find((e) => e.type === "share.expired")!;
    expect(expired).toMatchObject({ actor: { kind: "anonymous", id: null }, ip: null });
    expect(
      entries.some((e) => e.type === "share.deleted" && e.target?.id === expired.target?.id),
    ).toBe(true);
    // Both kinds of opening an answer.
    expect(entries.filter((e) => e.type === "request.opened")).toHaveLength(2);
    // The run is some 60 requests with Argon2id and SSO: slow on a loaded machine.
  }, 180_000);
});
