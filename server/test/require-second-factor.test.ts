/**
 * "Require a second factor" for an organization (SPEC F16): members without one reach only their
 * account and enrolment through the API (403 second_factor_required elsewhere, by session and by
 * API token); members' state in the members list; an admin resets a member's second factor,
 * which is audited and mailed (real SMTP).
 */
import { describe, expect, it } from "vitest";

import { memberOf, newOrg, uniqueEmail, type Client } from "./helpers/accounts.js";
import { testDialects } from "./helpers/databases.js";
import { json } from "./helpers/http.js";
import { enrolTotp } from "./helpers/second-factor.js";
import { liveSuite } from "./helpers/suite.js";

describe.each(testDialects)("require a second factor on %s", (dialect) => {
  const { t, smtp } = liveSuite(dialect);

  const enrol = (client: Client) => enrolTotp(t, client);

  const require2fa = (admin: Client, orgId: string, on: boolean) =>
    admin.inject({
      method: "PUT",
      url: `/api/v1/orgs/${orgId}/security`,
      payload: { requireSecondFactor: on },
    });

  it("lets a member without a second factor reach only enrolment, by session and by token, until they set one up", async () => {
    const { admin, orgId } = await newOrg(t, uniqueEmail("admin"));
    const member = await memberOf(t, orgId, uniqueEmail("member"));
    const token = json<{ token: string }>(
      await member.inject({ method: "POST", url: "/api/v1/tokens", payload: { name: "ci" } }),
    ).token;

    // Members may read the setting; only admins change it.
    expect(json(await member.inject({ url: `/api/v1/orgs/${orgId}/security` }))).toEqual({
      requireSecondFactor: false,
    });
    expect((await require2fa(member, orgId, true)).statusCode).toBe(403);
    // The admin sets it up first, or they would shut themselves out too.
    await enrol(admin);
    const set = await require2fa(admin, orgId, true);
    expect(set.statusCode, set.body).toBe(200);
    expect(json(set)).toEqual({ requireSecondFactor: true });

    const blocked = await member.inject({ url: "/api/v1/shares" });
    expect(blocked.statusCode).toBe(403);
    expect(json(blocked)).toMatchObject({ error: { code: "second_factor_required" } });
    const byToken = await t.app.inject({
      url: "/api/v1/requests",
      headers: { authorization: `Bearer ${token}` },
    });
    expect(json(byToken)).toMatchObject({ error: { code: "second_factor_required" } });
    expect((await member.inject({ url: `/api/v1/orgs/${orgId}/members` })).statusCode).toBe(403);
    // Who am I says why; enrolment is open.
    expect(json(await member.inject({ url: "/api/v1/auth/me" }))).toMatchObject({
      secondFactor: { enabled: false, required: true },
    });
    expect((await member.inject({ url: "/api/v1/auth/second-factor" })).statusCode).toBe(200);
    // The admin, who has one, is not held back.
    expect((await admin.inject({ url: "/api/v1/shares" })).statusCode).toBe(200);

    await enrol(member);
    expect((await member.inject({ url: "/api/v1/shares" })).statusCode).toBe(200);
    expect(json(await member.inject({ url: "/api/v1/auth/me" }))).toMatchObject({
      secondFactor: { enabled: true, required: true },
    });

    // Members' state in the list.
    const list = json<{ items: { email: string; secondFactor: boolean }[] }>(
      await admin.inject({ url: `/api/v1/orgs/${orgId}/members` }),
    );
    expect(list.items.every((m) => m.secondFactor)).toBe(true);
  });

  it("answers 403 second_factor_required on every API route of the OpenAPI document but the account's and the configuration", async () => {
    const { admin, orgId } = await newOrg(t, uniqueEmail("walk-admin"));
    await enrol(admin);
    const member = await memberOf(t, orgId, uniqueEmail("walk-member"));
    const token = json<{ token: string }>(
      await member.inject({ method: "POST", url: "/api/v1/tokens", payload: { name: "walk" } }),
    ).token;
    expect((await require2fa(admin, orgId, true)).statusCode).toBe(200);

    const doc = json<{ paths: Record<string, Record<string, unknown>> }>(
      await t.app.inject({ url: "/api/openapi.json" }),
    );
    const open = (path: string) => path.startsWith("/api/v1/auth/") || path === "/api/v1/config";
    let walked = 0;
    for (const [path, operations] of Object.entries(doc.paths)) {
      if (!path.startsWith("/api/") || open(path)) continue;
      // The member's own organization where a route names one; any id elsewhere (the gate
      // answers before a handler looks for it).
      const url = path.replace("{orgId}", orgId).replace(/\{[^}]+\}/g, "x");
      for (const method of Object.keys(operations)) {
        if (!["get", "post", "put", "patch", "delete"].includes(method)) continue;
        const verb = method.toUpperCase() as "GET";
        const bySession = await member.inject({ method: verb, url });
        const byToken = await t.app.inject({
          method: verb,
          url,
          headers: { authorization: `Bearer ${token}` },
        });
        // No token creates tokens, whatever else holds (token-scope.ts): refused for that first.
        const tokenCode =
          `${verb} ${path}` === "POST /api/v1/tokens" ? "token_scope" : "second_factor_required";
        for (const [res, code] of [
          [bySession, "second_factor_required"],
          [byToken, tokenCode],
        ] as const) {
          expect(res.statusCode, `${method} ${path}: ${res.body}`).toBe(403);
          expect(json(res), `${method} ${path}`).toMatchObject({ error: { code } });
        }
        walked += 1;
      }
    }
    // The walk covered the API, not an empty document.
    expect(walked).toBeGreaterThan(40);
    // What stays open: who am I, enrolment, and the configuration.
    for (const url of ["/api/v1/auth/me", "/api/v1/auth/second-factor", "/api/v1/config"])
      expect((await member.inject({ url })).statusCode, url).toBe(200);
  });

  it("resets a member's second factor: audited, mailed, and the member is back at enrolment", async () => {
    const { admin, orgId } = await newOrg(t, uniqueEmail("resetter"));
    await enrol(admin);
    const member = await memberOf(t, orgId, uniqueEmail("lostphone"));
    const memberId = json<{ user: { id: string } }>(await member.inject({ url: "/api/v1/auth/me" }))
      .user.id;
    await enrol(member);
    expect((await require2fa(admin, orgId, true)).statusCode).toBe(200);

    // Members cannot reset others; an unknown member is 404.
    expect(
      (
        await member.inject({
          method: "DELETE",
          url: `/api/v1/orgs/${orgId}/members/${memberId}/second-factor`,
        })
      ).statusCode,
    ).toBe(403);
    const unknown = await admin.inject({
      method: "DELETE",
      url: `/api/v1/orgs/${orgId}/members/00000000-0000-0000-0000-000000000000/second-factor`,
    });
    expect(json(unknown)).toMatchObject({ error: { code: "member_not_found" } });

    const reset = await admin.inject({
      method: "DELETE",
      url: `/api/v1/orgs/${orgId}/members/${memberId}/second-factor`,
    });
    expect(reset.statusCode, reset.body).toBe(204);
    expect(json(await member.inject({ url: "/api/v1/auth/second-factor" }))).toMatchObject({
      totp: { enabled: false },
      recoveryCodes: { remaining: 0 },
    });
    expect(json(await member.inject({ url: "/api/v1/shares" }))).toMatchObject({
      error: { code: "second_factor_required" },
    });
    const list = json<{ items: { userId: string; secondFactor: boolean }[] }>(
      await admin.inject({ url: `/api/v1/orgs/${orgId}/members` }),
    );
    expect(list.items.find((m) => m.userId === memberId)?.secondFactor).toBe(false);

    await t.services.mail.runOnce();
    const mails = smtp.messages.filter(
      (m) => m.envelopeTo.includes(member.email) && /was reset/i.test(m.parsed.subject ?? ""),
    );
    expect(mails).toHaveLength(1);
    expect(mails[0]!.raw).not.toMatch(/https?:\/\//);

    const audit = await admin.inject({ url: `/api/v1/orgs/${orgId}/audit` });
    const entries = audit.body
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { type: string; target: { id: string } | null });
    expect(entries.filter((e) => e.type === "member.second_factor_reset")).toEqual([
      expect.objectContaining({ target: { kind: "user", id: memberId } }),
    ]);
  });
});
