/**
 * `GET /api/v1/orgs/{orgId}/audit/entries` (extension, for the Audit tab): pages of entries,
 * newest first, filtered by type, actor and time; the entries are the export's, hash and all.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { AuditEntry, AuditEntryPage } from "@hushlink/protocol";

import { memberOf, newOrg, uniqueEmail, type Client } from "./helpers/accounts.js";
import { createTestApp, type TestApp } from "./helpers/app.js";
import { auditEntries } from "./helpers/audit.js";
import { testDialects } from "./helpers/databases.js";
import { json } from "./helpers/http.js";

describe.each(testDialects)("audit entries on %s", (dialect) => {
  let t: TestApp;
  let admin: Client;
  let member: Client;
  let orgId: string;
  let memberId: string;
  let middle: string;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    ({ admin, orgId } = await newOrg(t, uniqueEmail("entries-admin"), "Entries Co"));
    member = await memberOf(t, orgId);
    memberId = json<{ user: { id: string } }>(await member.inject({ url: "/api/v1/auth/me" })).user
      .id;
    for (const color of ["#111111", "#222222", "#333333"]) {
      t.clock.advance(60_000);
      await admin.inject({
        method: "PUT",
        url: `/api/v1/orgs/${orgId}/branding`,
        payload: { primaryColor: color },
      });
      if (color === "#222222") middle = new Date(t.clock.now()).toISOString();
    }
    t.clock.advance(60_000);
    for (const name of ["one", "two"])
      await member.inject({ method: "POST", url: "/api/v1/tokens", payload: { name } });
  });
  afterAll(() => t.close());

  const page = async (query: string) => {
    const res = await admin.inject({ url: `/api/v1/orgs/${orgId}/audit/entries?${query}` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers["cache-control"]).toContain("no-store");
    return json<AuditEntryPage>(res);
  };

  it("pages newest first, each entry as the export has it", async () => {
    const exported = await auditEntries(admin, orgId);
    const seen: AuditEntry[] = [];
    let cursor: string | null = "";
    while (cursor !== null) {
      const p = await page(`limit=3${cursor ? `&cursor=${cursor}` : ""}`);
      expect(p.entries.length).toBeLessThanOrEqual(3);
      seen.push(...p.entries);
      cursor = p.nextCursor;
    }
    expect(seen).toEqual([...exported].reverse());
  });

  it("filters by type, actor and time", async () => {
    const branding = await page("type=branding.changed");
    expect(branding.entries.map((e) => e.type)).toEqual([
      "branding.changed",
      "branding.changed",
      "branding.changed",
    ]);
    expect(branding.nextCursor).toBeNull();
    const byMember = await page(`actor=${memberId}`);
    expect(byMember.entries.length).toBeGreaterThanOrEqual(2);
    expect(byMember.entries.every((e) => e.actor.id === memberId)).toBe(true);
    expect(byMember.entries.slice(0, 2).map((e) => e.type)).toEqual([
      "token.created",
      "token.created",
    ]);
    const since = await page(`type=branding.changed&since=${middle}`);
    expect(since.entries).toHaveLength(2);
    const until = await page(`type=branding.changed&until=${middle}`);
    expect(until.entries).toHaveLength(1);
    const both = await page(`since=${middle}&until=${middle.replace(/\.\d+Z$/, ".001Z")}`);
    expect(both.entries.map((e) => e.type)).toEqual(["branding.changed"]);
    // Paging within a filter.
    const first = await page("type=branding.changed&limit=2");
    expect(first.entries).toHaveLength(2);
    const rest = await page(`type=branding.changed&limit=2&cursor=${first.nextCursor}`);
    expect(rest.entries).toHaveLength(1);
    expect(rest.entries[0]!.seq).toBeLessThan(first.entries[1]!.seq);
  });

  it("refuses bad queries with their codes, and members", async () => {
    const bad: [string, string][] = [
      ["type=share.nothing", "invalid_request"],
      ["limit=0", "invalid_request"],
      ["limit=101", "invalid_request"],
      ["limit=01", "invalid_request"],
      ["limit=1e1", "invalid_request"],
      ["limit=0x1", "invalid_request"],
      ["limit=", "invalid_request"],
      ["since=yesterday", "invalid_request"],
      [`since=${middle}&until=${middle}`, "invalid_audit_range"],
      ["cursor=not-a-cursor", "invalid_cursor"],
      ["extra=1", "invalid_request"],
    ];
    for (const [query, code] of bad) {
      const res = await admin.inject({ url: `/api/v1/orgs/${orgId}/audit/entries?${query}` });
      expect(res.statusCode, query).toBe(400);
      expect(json(res), query).toMatchObject({ error: { code } });
    }
    const denied = await member.inject({ url: `/api/v1/orgs/${orgId}/audit/entries` });
    expect(denied.statusCode).toBe(403);
    expect(json(denied)).toMatchObject({ error: { code: "admin_required" } });
  });
});
