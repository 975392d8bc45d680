/**
 * Secret requests: an organization's branding on the refusals of its organization-only requests,
 * over real HTTP.
 */
import { beforeAll, describe, expect, it } from "vitest";

import { uniqueEmail } from "./helpers/accounts.js";
import { createTestApp, type TestApp } from "./helpers/app.js";
import { testDialects } from "./helpers/databases.js";
import { suiteApp } from "./helpers/suite.js";
import { png } from "./helpers/images.js";
import { listen, LiveClient, orgIdOfLive, signupLive } from "./helpers/live.js";
import { UNKNOWN_ID, type Created } from "./helpers/requests.js";

describe.each(testDialects)("branded organization-only requests over HTTP on %s", (dialect) => {
  const t = suiteApp(dialect);
  let base: string;
  let admin: LiveClient;
  /** What the organization's public pages get: the branding of an "anyone" request's metadata. */
  let publicBranding: Record<string, unknown>;

  /** A live server whose organization has colours and a logo; returns its admin and branding. */
  async function brandedOrg(app: TestApp) {
    const base = await listen(app);
    const admin = await signupLive(base, uniqueEmail("acme-admin"), { name: "Acme" });
    const orgId = await orgIdOfLive(admin);
    const colors = await admin.call("PUT", `/api/v1/orgs/${orgId}/branding`, {
      body: { primaryColor: "#0f766e", backgroundColor: "#ffffff", textColor: "#111111" },
    });
    expect(colors.status, colors.text).toBe(200);
    // The logo is a raw image body, which LiveClient (JSON only) does not send.
    const logo = await fetch(`${base}/api/v1/orgs/${orgId}/branding/logo`, {
      method: "PUT",
      headers: {
        cookie: [...admin.cookies].map(([name, value]) => `${name}=${value}`).join("; "),
        "x-csrf-token": admin.cookies.get("hl_csrf")!,
        "content-type": "image/png",
      },
      body: png(24, 24),
    });
    expect(logo.status, await logo.text()).toBe(200);
    const open = await admin.post<Created>("/api/v1/requests", {
      expiresIn: 3600,
      access: "anyone",
    });
    const meta = await new LiveClient(base).get<{ branding: Record<string, unknown> }>(
      `/api/v1/requests/${open.body.id}`,
    );
    const publicBranding = meta.body.branding;
    expect(publicBranding).toMatchObject({
      orgName: "Acme's organization",
      primaryColor: "#0f766e",
      backgroundColor: "#ffffff",
      textColor: "#111111",
    });
    expect(publicBranding.logoUrl).toMatch(/^\/api\/v1\/branding\/logos\/[A-Za-z0-9_-]+\.png$/);
    return { base, admin, publicBranding };
  }

  beforeAll(async () => {
    ({ base, admin, publicBranding } = await brandedOrg(t));
  });

  const orgOnly = async (owner: LiveClient, name = "VPN certificate") => {
    const created = await owner.post<Created>("/api/v1/requests", {
      expiresIn: 3600,
      access: "organization",
      name,
    });
    expect(created.status, created.text).toBe(201);
    return created.body.id;
  };

  type ErrorAnswer = { error: Record<string, unknown> };

  it("401 login_required and 403 not_allowed carry the organization's public branding, and nothing of the request", async () => {
    const id = await orgOnly(admin);
    const anonymous = new LiveClient(base);
    const outsider = await signupLive(base, uniqueEmail("outsider"));

    const signIn = await anonymous.get<ErrorAnswer>(`/api/v1/requests/${id}`);
    expect(signIn.status).toBe(401);
    expect(signIn.body.error).toEqual({
      code: "login_required",
      message: "Sign in with your organization account to answer this request.",
      branding: publicBranding,
    });
    const refused = await outsider.get<ErrorAnswer>(`/api/v1/requests/${id}`);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toEqual({
      code: "not_allowed",
      message: "Only members of the requester's organization can answer this request.",
      branding: publicBranding,
    });
    // Neither says the request's name, status or expiry.
    for (const answer of [signIn, refused]) {
      expect(answer.text).not.toContain("VPN certificate");
      expect(answer.text).not.toMatch(/expiresAt|status|"name"/);
    }

    // Submitting answers the same, and the request stays open for its organization.
    for (const [client, status, code] of [
      [anonymous, 401, "login_required"],
      [outsider, 403, "not_allowed"],
    ] as const) {
      const submitted = await client.post<ErrorAnswer>(`/api/v1/requests/${id}/submit`, {
        value: "not for you",
      });
      expect(submitted.status, code).toBe(status);
      expect(submitted.body.error).toMatchObject({ code, branding: publicBranding });
    }
    const own = await admin.get<{ status: string; branding: unknown }>(`/api/v1/requests/${id}`);
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ status: "open", branding: publicBranding });
  });

  it("an unbranded organization's 401 and 403 stay bare, and 404s never carry branding", async () => {
    const plainAdmin = await signupLive(base, uniqueEmail("plain-admin"), { name: "Plain" });
    const plain = await orgOnly(plainAdmin);
    const signIn = await new LiveClient(base).get<ErrorAnswer>(`/api/v1/requests/${plain}`);
    expect(signIn.status).toBe(401);
    expect(Object.keys(signIn.body.error).sort()).toEqual(["code", "message"]);
    const refused = await admin.get<ErrorAnswer>(`/api/v1/requests/${plain}`);
    expect(refused.status).toBe(403);
    expect(Object.keys(refused.body.error).sort()).toEqual(["code", "message"]);
    expect(refused.text).not.toContain("Plain");

    // Unknown, and expired: 404 like any unknown id, so no branding says whose it was.
    const unknown = await new LiveClient(base).get<ErrorAnswer>(`/api/v1/requests/${UNKNOWN_ID}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).not.toHaveProperty("branding");
  });

  // It moves the clock, so it has an app of its own.
  it("an expired organization-only request answers a bare 404, as if it never existed", async () => {
    const own = await createTestApp(dialect);
    try {
      const { base, admin } = await brandedOrg(own);
      const expiring = await orgOnly(admin, "expiring");
      own.clock.advance(3600 * 1000);
      for (const reader of [new LiveClient(base), admin]) {
        const gone = await reader.get<ErrorAnswer>(`/api/v1/requests/${expiring}`);
        expect(gone.status).toBe(404);
        expect(gone.body.error).toEqual({
          code: "request_not_found",
          message: "This request does not exist or has expired. Ask the requester for a new link.",
        });
      }
    } finally {
      await own.close();
    }
  });
});
