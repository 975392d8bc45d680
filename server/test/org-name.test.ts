/**
 * Organization names (issue 25, defect 5): new organizations are named after a company's e-mail
 * domain, and admins rename them with `PATCH /api/v1/orgs/{orgId}`; the request page, branded
 * share pages and e-mails use the new name.
 */
import { describe, expect, it } from "vitest";

import { isPublicMailDomain, newOrgName } from "../src/features/orgs/org-name.js";
import {
  mailsTo,
  orgIdOf,
  orgPeople,
  signup,
  uniqueEmail,
  type Client,
} from "./helpers/accounts.js";
import { buildShare } from "./helpers/builders.js";
import { testDialects } from "./helpers/databases.js";
import { suiteApp } from "./helpers/suite.js";
import { createShare, json } from "./helpers/http.js";
import { newRequest } from "./helpers/requests.js";

describe("the name a new organization gets", () => {
  it("is a company's domain", () => {
    expect(newOrgName("ada@acme-corp.com", "Ada")).toBe("acme-corp.com");
    expect(newOrgName("ada@Mail.Acme.co.uk", undefined)).toBe("mail.acme.co.uk");
  });

  it("is the person's for public mail providers and reserved domains", () => {
    for (const domain of [
      "gmail.com",
      "outlook.com",
      "hotmail.com",
      "yahoo.com",
      "yahoo.co.uk",
      "icloud.com",
      "proton.me",
      "gmx.de",
      "gmx.net",
      "web.de",
      "example.com",
      "example.test",
      "corp.example",
      "localhost",
    ]) {
      expect(isPublicMailDomain(domain), domain).toBe(true);
      expect(newOrgName(`ada@${domain}`, "Ada Lovelace")).toBe("Ada Lovelace's organization");
    }
    expect(newOrgName("ada.l@gmail.com", undefined)).toBe("ada.l's organization");
    expect(isPublicMailDomain("acme.com")).toBe(false);
    // Not a family member just because the name starts alike.
    expect(isPublicMailDomain("gmxtools.com")).toBe(false);
  });

  it("never carries control characters from the address", () => {
    expect(newOrgName("ada@acme\u202ecom.org", "Ada")).toBe("Ada's organization");
    expect(newOrgName("a\u202eb@gmail.com", undefined)).toBe("My organization");
  });
});

describe.each(testDialects)("renaming an organization on %s", (dialect) => {
  const t = suiteApp(dialect);
  const org = orgPeople(t, {
    email: `ada.${process.pid}.${Date.now()}@acme-corp.com`,
    name: "Ada",
  });

  const rename = (c: Client | null, name: unknown, id = org.orgId) =>
    (c ?? { inject: t.app.inject.bind(t.app) }).inject({
      method: "PATCH",
      url: `/api/v1/orgs/${id}`,
      payload: { name },
    });

  it("names a sign-up's organization after its company domain", async () => {
    const me = json<{ orgs: { name: string }[] }>(
      await org.admin.inject({ url: "/api/v1/auth/me" }),
    );
    expect(me.orgs[0]?.name).toBe("acme-corp.com");
  });

  it("lets an admin rename it; pages and e-mails use the new name", async () => {
    const res = await rename(org.admin, "  Acme Corp  ");
    expect(res.statusCode, res.body).toBe(200);
    expect(json(res)).toEqual({ id: org.orgId, name: "Acme Corp" });

    // The member sees it too (their own sign-up organization is also in their list).
    const me = json<{ orgs: { id: string; name: string }[] }>(
      await org.member.inject({ url: "/api/v1/auth/me" }),
    );
    expect(me.orgs.find((o) => o.id === org.orgId)?.name).toBe("Acme Corp");

    // The request page and a branded share page.
    await org.admin.inject({
      method: "PUT",
      url: `/api/v1/orgs/${org.orgId}/branding`,
      payload: { primaryColor: "#0f766e" },
    });
    const request = await newRequest(org.admin, { access: "anyone" });
    const requestMeta = json<{ branding: { orgName: string } }>(
      await t.app.inject({ url: `/api/v1/requests/${request.id}` }),
    );
    expect(requestMeta.branding.orgName).toBe("Acme Corp");
    const share = await buildShare();
    await createShare(org.admin, share.body);
    const shareMeta = json<{ branding: { orgName: string } }>(
      await t.app.inject({ url: `/api/v1/shares/${share.body.id}` }),
    );
    expect(shareMeta.branding.orgName).toBe("Acme Corp");

    // An invitation mailed after the rename.
    const invitee = uniqueEmail("invitee");
    const invited = await org.admin.inject({
      method: "POST",
      url: `/api/v1/orgs/${org.orgId}/invitations`,
      payload: { email: invitee },
    });
    expect(invited.statusCode, invited.body).toBe(201);
    const mail = (await mailsTo(t, invitee)).join("\n");
    expect(mail).toContain("Acme Corp");
    expect(mail).not.toContain("acme-corp.com");
  });

  it("refuses members, outsiders and the signed-out", async () => {
    const byMember = await rename(org.member, "Mine now");
    expect(byMember.statusCode).toBe(403);
    expect(json(byMember)).toMatchObject({ error: { code: "admin_required" } });
    const byOutsider = await rename(org.outsider, "Mine now");
    expect(byOutsider.statusCode).toBe(404);
    expect(json(byOutsider)).toMatchObject({ error: { code: "org_not_found" } });
    expect((await rename(null, "Mine now")).statusCode).toBe(401);
    // An admin of an unconfirmed account may not rename either.
    const unconfirmed = await signup(t, uniqueEmail("unconfirmed"), undefined, {
      verified: false,
    });
    const own = await rename(unconfirmed, "Mine", await orgIdOf(unconfirmed));
    expect(own.statusCode).toBe(403);
    expect(json(own)).toMatchObject({ error: { code: "email_not_verified" } });
    const me = json<{ orgs: { name: string }[] }>(
      await org.admin.inject({ url: "/api/v1/auth/me" }),
    );
    expect(me.orgs[0]?.name).toBe("Acme Corp");
  });

  it("refuses names that are empty, too long, or carry control characters", async () => {
    for (const name of [
      "",
      "   ",
      "x".repeat(201),
      "Acme\u001b[2J",
      "two\nlines",
      "\u202eevil",
      42,
    ]) {
      const res = await rename(org.admin, name);
      expect(res.statusCode, JSON.stringify(name)).toBe(400);
      expect(json(res)).toMatchObject({ error: { code: "invalid_request" } });
    }
    const extra = await org.admin.inject({
      method: "PATCH",
      url: `/api/v1/orgs/${org.orgId}`,
      payload: { name: "Acme", id: "other" },
    });
    expect(extra.statusCode).toBe(400);
    expect((await rename(org.admin, "x".repeat(200))).statusCode).toBe(200);
  });
});
