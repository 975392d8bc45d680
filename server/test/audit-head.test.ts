/**
 * The audit chain's head (extension of F18): what `GET /api/v1/orgs/{orgId}/audit/head` answers
 * is the newest exported entry, it moves with every event, and removing entries from the end of
 * an export, which the chain alone cannot show, is caught by comparing with a pinned head.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { verifyAuditExport, type AuditEntry } from "@hushlink/protocol";

import { createTestApp, type TestApp } from "./helpers/app.js";
import { memberOf, newOrg, orgIdOf, signup, type Client } from "./helpers/accounts.js";
import { testDialects } from "./helpers/databases.js";
import { json } from "./helpers/http.js";

interface Head {
  seq: number;
  hash: string | null;
  cutSeq: number;
  cutHash: string | null;
}

describe.each(testDialects)("audit head on %s", (dialect) => {
  let t: TestApp;
  let admin: Client;
  let orgId: string;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    ({ admin, orgId } = await newOrg(t));
  });
  afterAll(() => t.close());

  const head = async () => {
    const res = await admin.inject({ url: `/api/v1/orgs/${orgId}/audit/head` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers["cache-control"]).toBe("no-store");
    return json<Head>(res);
  };
  const exported = async () => {
    const res = await admin.inject({ url: `/api/v1/orgs/${orgId}/audit` });
    return res.body
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as AuditEntry);
  };

  it("is the newest exported entry, and moves with each event", async () => {
    const before = await head();
    const entries = await exported();
    const last = entries.at(-1)!;
    expect(before).toEqual({ seq: last.seq, hash: last.hash, cutSeq: 0, cutHash: null });

    const changed = await admin.inject({
      method: "PUT",
      url: `/api/v1/orgs/${orgId}/branding`,
      payload: { primaryColor: "#123456" },
    });
    expect(changed.statusCode).toBe(200);
    const after = await head();
    expect(after.seq).toBe(before.seq + 1);
    expect(after.hash).not.toBe(before.hash);
    expect((await exported()).at(-1)?.hash).toBe(after.hash);
  });

  it("catches a shortened export that still verifies as a chain", async () => {
    const pinned = await head();
    const entries = await exported();
    const shortened = entries.slice(0, -1);
    const text = (list: AuditEntry[]) => list.map((e) => JSON.stringify(e)).join("\n");
    // The chain alone holds for both: only the pinned head tells them apart.
    expect((await verifyAuditExport(text(entries))).ok).toBe(true);
    expect((await verifyAuditExport(text(shortened))).ok).toBe(true);
    expect(entries.at(-1)?.hash).toBe(pinned.hash);
    expect(shortened.at(-1)?.hash).not.toBe(pinned.hash);
  });

  it("is for admins of the organization only", async () => {
    const member = await memberOf(t, orgId);
    const refused = await member.inject({ url: `/api/v1/orgs/${orgId}/audit/head` });
    expect(refused.statusCode).toBe(403);
    const outsider = await signup(t);
    const unknown = await outsider.inject({ url: `/api/v1/orgs/${orgId}/audit/head` });
    expect(unknown.statusCode).toBe(404);
  });

  it("is empty-handed for an organization with nothing logged but its own sign-up", async () => {
    const fresh = await signup(t);
    const body = json<Head>(
      await fresh.inject({ url: `/api/v1/orgs/${await orgIdOf(fresh)}/audit/head` }),
    );
    expect(body.seq).toBeGreaterThanOrEqual(0);
    expect(body.hash === null).toBe(body.seq === 0);
  });
});
