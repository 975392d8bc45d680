import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  AUDIT_GENESIS,
  auditEntryHash,
  canonicalJson,
  verifyAuditExport,
  type AuditEntry,
} from "@hushlink/protocol";

import { createTestApp, type TestApp } from "./helpers/app.js";
import { login, memberOf, newOrg, uniqueEmail, type Client } from "./helpers/accounts.js";
import { testDialects } from "./helpers/databases.js";
import { json } from "./helpers/http.js";
import { clockPerTest } from "./helpers/suite.js";

const DAY = 24 * 3600 * 1000;

const lines = (text: string) => (text === "" ? [] : text.trimEnd().split("\n"));

/*
 * The chain under concurrent writers: two app instances on one database (on PostgreSQL each with
 * its own pool, as two servers would; on SQLite one handle, as in instances.test.ts), eight
 * writers, a thousand events; the export must verify and every kind of tampering be named.
 */
describe.each(testDialects)("audit log on %s", (dialect) => {
  let first: TestApp;
  let second: TestApp;
  let admin: Client;
  let orgId: string;
  // A test moves it past the retention: for itself alone.
  const clock = clockPerTest();
  const exportLog = async (query = "") => {
    const res = await admin.inject({ url: `/api/v1/orgs/${orgId}/audit${query}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toContain("application/x-ndjson");
    return res.body;
  };

  beforeAll(async () => {
    first = await createTestApp(dialect, { clock, env: { AUDIT_RETENTION_DAYS: "30" } });
    second = await createTestApp(dialect, {
      clock,
      env: { AUDIT_RETENTION_DAYS: "30" },
      database: {
        testDb: first.testDb,
        handle: dialect === "postgres" ? first.testDb.openAnother() : first.testDb.handle,
      },
    });
    ({ admin, orgId } = await newOrg(first, uniqueEmail("audit-admin"), "Audit Co"));
  });
  afterAll(async () => {
    await second.app.close();
    await first.close();
  });

  it("1,000 events from 8 concurrent writers on two instances form one chain that verifies", async () => {
    const before = lines(await exportLog()).length;
    await Promise.all(
      Array.from({ length: 8 }, async (_, writer) => {
        const instance = writer % 2 ? first : second;
        for (let i = 0; i < 125; i += 1) {
          await instance.services.audit.sink.record({
            type: "share.revealed",
            org: orgId,
            actor: { kind: "anonymous", id: null },
            ip: `10.0.${writer}.${i}`,
            target: { kind: "share", id: `w${writer}-${i}` },
          });
        }
      }),
    );
    const text = await exportLog();
    const all = lines(text);
    expect(all).toHaveLength(before + 1000);
    const entries = all.map((l) => JSON.parse(l) as AuditEntry);
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
    expect(entries[0]!.prev).toBe(AUDIT_GENESIS);
    const verdict = await verifyAuditExport(text);
    expect(verdict).toMatchObject({ ok: true, entries: before + 1000 });
    const head = await first.services.audit.head(orgId);
    expect(verdict.ok && verdict.lastHash).toBe(head.hash);
  }, 120_000);

  it("verify names the line that was edited, removed or reordered", async () => {
    const all = lines(await exportLog());
    expect(all.length).toBeGreaterThan(20);
    const edited = [...all];
    edited[9] = edited[9]!.replace(/"ip":"[^"]*"/, '"ip":"192.0.2.1"');
    expect(edited[9]).not.toBe(all[9]);
    expect(await verifyAuditExport(edited.join("\n"))).toMatchObject({ ok: false, line: 10 });

    const removed = all.filter((_, i) => i !== 9);
    expect(await verifyAuditExport(removed.join("\n"))).toMatchObject({ ok: false, line: 10 });

    const reordered = [...all];
    [reordered[9], reordered[10]] = [all[10]!, all[9]!];
    expect(await verifyAuditExport(reordered.join("\n"))).toMatchObject({ ok: false, line: 10 });

    // An edit whose own hash is recomputed still breaks the next line's link.
    const entry = JSON.parse(all[4]!) as AuditEntry;
    const forged = { ...entry, ip: "192.0.2.9" };
    forged.hash = await auditEntryHash(forged);
    const rehashed = [...all];
    rehashed[4] = canonicalJson(forged);
    expect(await verifyAuditExport(rehashed.join("\n"))).toMatchObject({ ok: false, line: 6 });
  });

  it("exports a time range, admins only", async () => {
    const now = new Date(clock.now()).toISOString();
    expect(await exportLog(`?since=${encodeURIComponent(now)}`)).not.toBe("");
    const later = new Date(clock.now() + 1000).toISOString();
    expect(await exportLog(`?since=${encodeURIComponent(later)}`)).toBe("");
    const backwards = await admin.inject({
      url: `/api/v1/orgs/${orgId}/audit?since=${encodeURIComponent(later)}&until=${encodeURIComponent(now)}`,
    });
    expect(backwards.statusCode).toBe(400);
    expect(json(backwards)).toMatchObject({ error: { code: "invalid_audit_range" } });

    const member = await memberOf(first, orgId);
    const denied = await member.inject({ url: `/api/v1/orgs/${orgId}/audit` });
    expect(denied.statusCode).toBe(403);
    expect(json(denied)).toMatchObject({ error: { code: "admin_required" } });
    const anonymous = await first.app.inject({ url: `/api/v1/orgs/${orgId}/audit` });
    expect(anonymous.statusCode).toBe(401);
  });

  it("pruning past the retention keeps the rest verifiable from the recorded cut", async () => {
    const old = lines(await exportLog()).length;
    clock.advance(31 * DAY);
    admin = await login(first, admin.email); // the session has outlived its 30 days too
    await first.services.audit.sink.record({
      type: "branding.changed",
      org: orgId,
      actor: { kind: "user", id: null },
      ip: null,
    });
    const removed = await first.services.audit.prune();
    expect(removed).toBeGreaterThanOrEqual(old);
    const text = await exportLog();
    const kept = lines(text).map((l) => JSON.parse(l) as AuditEntry);
    // The sign-in above and the entry just made.
    expect(kept.map((e) => e.type)).toEqual(["signin.succeeded", "branding.changed"]);
    const head = await first.services.audit.head(orgId);
    expect(head.cutSeq).toBe(old);
    expect(kept[0]).toMatchObject({ seq: old + 1, prev: head.cutHash });
    expect(await verifyAuditExport(text)).toMatchObject({ ok: true, entries: 2 });
  });
});
