/**
 * Issue 24: an audit entry's caller comes from the request its route hands the audited call
 * (features/audit/audit.tap.ts), not from an AsyncLocalStorage. A token's request is the token's,
 * from that request's address; a link holder's is anonymous, from theirs; an event that no
 * request caused (the sweeper's) is anonymous, with no address.
 */
import { beforeAll, describe, expect, it } from "vitest";

import { auditEntries } from "./helpers/audit.js";
import { orgIdOf, signup, uniqueEmail, userIdOf, type Client } from "./helpers/accounts.js";
import { buildShare } from "./helpers/builders.js";
import { testDialects } from "./helpers/databases.js";
import { suiteApp } from "./helpers/suite.js";
import { json } from "./helpers/http.js";

describe.each(testDialects)("the audit entry's caller on %s", (dialect) => {
  const t = suiteApp(dialect);
  let admin: Client;
  let adminId: string;
  let orgId: string;

  beforeAll(async () => {
    admin = await signup(t, uniqueEmail("caller-admin"), "Caller Co");
    adminId = await userIdOf(t, admin.email);
    orgId = await orgIdOf(admin);
  });

  it("a token's request is the token's, from its address; a link holder's is anonymous", async () => {
    const token = json<{ token: string }>(
      await admin.inject({ method: "POST", url: "/api/v1/tokens", payload: { name: "caller" } }),
    );
    const bearer = { authorization: `Bearer ${token.token}` };
    const share = await buildShare({ maxViews: 5 });
    const created = await t.app.inject({
      method: "POST",
      url: "/api/v1/shares",
      headers: bearer,
      payload: { ...share.body, orgId },
      remoteAddress: "192.0.2.10",
    });
    expect(created.statusCode, created.body).toBe(201);
    const revealed = await t.app.inject({
      method: "POST",
      url: `/api/v1/shares/${share.body.id}/reveal`,
      payload: { viewToken: share.body.viewToken },
      remoteAddress: "198.51.100.20",
    });
    expect(revealed.statusCode, revealed.body).toBe(200);
    const deleted = await t.app.inject({
      method: "DELETE",
      url: `/api/v1/shares/${share.body.id}`,
      headers: bearer,
      remoteAddress: "192.0.2.30",
    });
    expect(deleted.statusCode, deleted.body).toBe(204);

    const entries = (await auditEntries(admin, orgId)).filter(
      (entry) => entry.target?.id === share.body.id,
    );
    expect(entries.map(({ type, actor, ip }) => ({ type, actor, ip }))).toEqual([
      { type: "share.created", actor: { kind: "token", id: adminId }, ip: "192.0.2.10" },
      { type: "share.revealed", actor: { kind: "anonymous", id: null }, ip: "198.51.100.20" },
      { type: "share.deleted", actor: { kind: "token", id: adminId }, ip: "192.0.2.30" },
    ]);
  });

  it("an event no request caused is anonymous, with no address", async () => {
    // As the sweeper and background jobs record: no caller given.
    await t.services.audit.sink.record({
      type: "share.expired",
      org: orgId,
      target: { kind: "share", id: "AAAAAAAAAAAAAAAAAAAAAA" },
    });
    const entries = await auditEntries(admin, orgId);
    expect(entries.at(-1)).toMatchObject({
      type: "share.expired",
      actor: { kind: "anonymous", id: null },
      ip: null,
    });
  });
});
