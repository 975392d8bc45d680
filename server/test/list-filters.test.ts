/**
 * Search and filters of the dashboard lists and "delete all expired" (extensions of
 * GET /api/v1/shares, GET /api/v1/requests and DELETE /api/v1/shares/expired), on both databases.
 */
import { beforeAll, describe, expect, it } from "vitest";

import { linkIn, mailsTo, newOrg, signup, uniqueEmail, type Client } from "./helpers/accounts.js";
import { buildShare } from "./helpers/builders.js";
import { testDialects } from "./helpers/databases.js";
import { suiteApp } from "./helpers/suite.js";
import { createShare, errorCode, getShare, json } from "./helpers/http.js";

interface Listed {
  items: { id: string; name: string | null; status: string }[];
  nextCursor: string | null;
}

describe.each(testDialects)("list filters on %s", (dialect) => {
  const t = suiteApp(dialect);
  let admin: Client;
  let member: Client;
  let memberId: string;
  let orgId: string;
  const ids: Record<string, string> = {};

  async function share(as: Client, name: string, expiresIn = 3600) {
    const built = await buildShare({ name, expiresIn });
    // orgId: an invited member may also have an organization of their own.
    const res = await createShare(as, { ...built.body, orgId });
    expect(res.statusCode, res.body).toBe(201);
    ids[name] = built.body.id;
    return built;
  }

  const names = async (as: Client, query: string) =>
    json<Listed>(
      await as.inject({ url: `/api/v1/shares${query}${query ? "&" : "?"}orgId=${orgId}` }),
    )
      .items.map((i) => i.name)
      .sort();

  beforeAll(async () => {
    ({ admin, orgId } = await newOrg(t));
    const email = uniqueEmail("member");
    const invite = await admin.inject({
      method: "POST",
      url: `/api/v1/orgs/${orgId}/invitations`,
      payload: { email, role: "member" },
    });
    expect(invite.statusCode).toBe(201);
    const [mail] = await mailsTo(t, email);
    const token = linkIn(mail!, "http://hushlink.test/invitations/").split("/invitations/")[1]!;
    member = await signup(t, email);
    const accepted = await member.inject({
      method: "POST",
      url: `/api/v1/invitations/${token}/accept`,
    });
    expect(accepted.statusCode).toBe(200);
    memberId = json<{ user: { id: string } }>(await member.inject({ url: "/api/v1/auth/me" })).user
      .id;

    await share(admin, "Staging DB 100%");
    await share(admin, "Prod API key");
    await share(admin, "old one", 60);
    await share(member, "member staging_token");
    await share(member, "member old", 60);
    const viewed = await share(admin, "viewed staging");
    const reveal = await t.app.inject({
      method: "POST",
      url: `/api/v1/shares/${viewed.body.id}/reveal`,
      payload: { viewToken: viewed.body.viewToken },
    });
    expect(reveal.statusCode).toBe(200);
    t.clock.advance(2 * 60 * 1000);
  });

  it("searches the name, in any case, with LIKE's wildcards taken literally", async () => {
    expect(await names(admin, "?q=STAGING")).toEqual([
      "Staging DB 100%",
      "member staging_token",
      "viewed staging",
    ]);
    expect(await names(admin, "?q=100%25")).toEqual(["Staging DB 100%"]);
    expect(await names(admin, "?q=g_t")).toEqual(["member staging_token"]);
    expect(await names(admin, "?q=%25")).toEqual(["Staging DB 100%"]);
  });

  it("filters by status, expired including those not yet swept", async () => {
    expect(await names(admin, "?status=expired")).toEqual(["member old", "old one"]);
    expect(await names(admin, "?status=viewed")).toEqual(["viewed staging"]);
    expect(await names(admin, "?status=active")).toEqual([
      "Prod API key",
      "Staging DB 100%",
      "member staging_token",
    ]);
  });

  it("filters by creator: me or a member's id, combined with the others", async () => {
    expect(await names(member, "?creator=me")).toEqual(["member old", "member staging_token"]);
    expect(await names(admin, `?creator=${memberId}&status=active`)).toEqual([
      "member staging_token",
    ]);
    expect(await names(admin, "?creator=me&q=staging&status=active")).toEqual(["Staging DB 100%"]);
  });

  it("refuses an unknown status with 400", async () => {
    const res = await admin.inject({ url: "/api/v1/shares?status=gone" });
    expect(res.statusCode).toBe(400);
    expect(errorCode(res)).toBe("invalid_request");
  });

  it("refuses a query key it does not know with 400, as the audit list does", async () => {
    for (const url of [
      "/api/v1/shares?stauts=active",
      "/api/v1/shares?orgid=x",
      `/api/v1/shares?orgId=${orgId}&creator=me&page=2`,
      "/api/v1/requests?sort=name",
      "/api/v1/auth/sso/start?email=a%40b.test&next=%2F",
    ]) {
      const res = await admin.inject({ url });
      expect([res.statusCode, errorCode(res)], url).toEqual([400, "invalid_request"]);
      // The answer names the key, so the caller sees which one.
      const key = /[?&]([a-z]+)=[^&]*$/.exec(url)![1]!;
      expect(res.body, url).toContain(key);
    }
    const expired = await admin.inject({ method: "DELETE", url: "/api/v1/shares/expired?all=1" });
    expect([expired.statusCode, errorCode(expired)]).toEqual([400, "invalid_request"]);
    expect((await admin.inject({ url: `/api/v1/shares?orgId=${orgId}&q=x` })).statusCode).toBe(200);
  });

  it("takes a limit in its one spelling, plain decimal, and refuses the others with 400", async () => {
    for (const list of ["shares", "requests"]) {
      for (const limit of ["01", "1e1", "1.0", "0x1", "+1", " 1", "", "1,2"]) {
        const res = await admin.inject({
          url: `/api/v1/${list}?limit=${encodeURIComponent(limit)}`,
        });
        expect([res.statusCode, errorCode(res)], limit).toEqual([400, "invalid_request"]);
      }
      const one = await admin.inject({ url: `/api/v1/${list}?limit=1` });
      expect(one.statusCode).toBe(200);
      expect(json<Listed>(one).items.length).toBeLessThanOrEqual(1);
    }
  });

  it("delete all expired: a member removes their own, an admin the organization's", async () => {
    const byMember = await member.inject({
      method: "DELETE",
      url: `/api/v1/shares/expired?orgId=${orgId}`,
    });
    expect(byMember.statusCode).toBe(200);
    expect(json(byMember)).toEqual({ deleted: 1 });
    expect(await names(admin, "?status=expired")).toEqual(["old one"]);

    const byAdmin = await admin.inject({ method: "DELETE", url: "/api/v1/shares/expired" });
    expect(json(byAdmin)).toEqual({ deleted: 1 });
    expect(await names(admin, "?status=expired")).toEqual([]);
    // The link of a removed share now answers as unknown; live and viewed shares are untouched.
    expect((await getShare(t.app, ids["old one"]!)).statusCode).toBe(404);
    expect((await getShare(t.app, ids["Prod API key"]!)).statusCode).toBe(200);
    expect((await getShare(t.app, ids["viewed staging"]!)).statusCode).toBe(410);
    expect(json(await admin.inject({ method: "DELETE", url: "/api/v1/shares/expired" }))).toEqual({
      deleted: 0,
    });
  });

  it("needs a signed-in member", async () => {
    const res = await t.app.inject({ method: "DELETE", url: "/api/v1/shares/expired" });
    expect(res.statusCode).toBe(401);
  });

  it("requests: by status, requester and name", async () => {
    const make = async (as: Client, name: string) => {
      const res = await as.inject({
        method: "POST",
        url: "/api/v1/requests",
        payload: { expiresIn: 3600, name, orgId },
      });
      expect(res.statusCode, res.body).toBe(201);
      return json<{ id: string }>(res).id;
    };
    const answered = await make(admin, "VPN password");
    await make(admin, "wifi key");
    await make(member, "member vpn cert");
    const sent = await t.app.inject({
      method: "POST",
      url: `/api/v1/requests/${answered}/submit`,
      payload: { value: "x" },
    });
    expect(sent.statusCode).toBe(204);
    const list = async (as: Client, query: string) =>
      json<Listed>(await as.inject({ url: `/api/v1/requests${query}&orgId=${orgId}` }))
        .items.map((i) => i.name)
        .sort();
    expect(await list(admin, "?q=vpn")).toEqual(["VPN password", "member vpn cert"]);
    expect(await list(admin, "?status=fulfilled")).toEqual(["VPN password"]);
    expect(await list(admin, "?status=open&creator=me")).toEqual(["wifi key"]);
    expect(await list(member, "?creator=me")).toEqual(["member vpn cert"]);
    expect((await admin.inject({ url: "/api/v1/requests?status=done" })).statusCode).toBe(400);
  });
});
