import { describe, expect, it } from "vitest";

import { contrastRatio } from "../src/features/branding/contrast.js";
import { orgPeople, uniqueEmail, type Client } from "./helpers/accounts.js";
import { buildShare } from "./helpers/builders.js";
import { testDialects } from "./helpers/databases.js";
import { suiteApp } from "./helpers/suite.js";
import { createShare, json } from "./helpers/http.js";
import { newRequest } from "./helpers/requests.js";
import { HTML, jpegHeader, png, SVG } from "./helpers/images.js";

describe("contrast ratio", () => {
  it("matches WCAG's reference values", () => {
    expect(contrastRatio("#000000", "#ffffff")).toBeCloseTo(21, 5);
    expect(contrastRatio("#ffffff", "#ffffff")).toBeCloseTo(1, 5);
    expect(contrastRatio("#777777", "#ffffff")).toBeCloseTo(4.48, 2);
  });
});

describe.each(testDialects)("branding on %s", (dialect) => {
  const t = suiteApp(dialect);
  const org = orgPeople(
    t,
    { email: uniqueEmail("brand-admin"), name: "Acme" },
    uniqueEmail("brand-member"),
  );

  const url = () => `/api/v1/orgs/${org.orgId}/branding`;
  const putLogo = (c: Client, body: Buffer, type: string) =>
    c.inject({
      method: "PUT",
      url: `${url()}/logo`,
      headers: { "content-type": type },
      payload: body,
    });

  it("validates colours and refuses low contrast", async () => {
    for (const bad of ["red", "#fff", "#12345g", "#1234567", "rgb(0,0,0)"]) {
      const res = await org.admin.inject({
        method: "PUT",
        url: url(),
        payload: { primaryColor: bad },
      });
      expect(res.statusCode, bad).toBe(400);
      expect(json(res)).toMatchObject({ error: { code: "invalid_request" } });
    }
    const low = await org.admin.inject({
      method: "PUT",
      url: url(),
      payload: { textColor: "#999999", backgroundColor: "#ffffff" },
    });
    expect(low.statusCode).toBe(400);
    expect(json(low)).toMatchObject({ error: { code: "low_contrast" } });
    const ok = await org.admin.inject({
      method: "PUT",
      url: url(),
      payload: { primaryColor: "#0F766E", textColor: "#111111", backgroundColor: "#FFFFFF" },
    });
    expect(ok.statusCode).toBe(200);
    expect(json(ok)).toEqual({
      primaryColor: "#0f766e",
      backgroundColor: "#ffffff",
      textColor: "#111111",
      logoUrl: null,
      defaultLocale: null,
    });
    expect(json(await org.member.inject({ url: url() }))).toMatchObject({
      primaryColor: "#0f766e",
    });
  });

  it("decides the logo's type from its bytes", async () => {
    // A PNG sent as SVG (or named anything) is a PNG.
    const asSvg = await putLogo(org.admin, png(64, 32), "image/svg+xml");
    expect(asSvg.statusCode).toBe(200);
    const { logoUrl } = json<{ logoUrl: string }>(asSvg);
    expect(logoUrl).toMatch(/^\/api\/v1\/branding\/logos\/[A-Za-z0-9_-]{32}\.png$/);
    const served = await t.app.inject({ url: logoUrl });
    expect(served.statusCode).toBe(200);
    expect(served.headers["content-type"]).toBe("image/png");
    expect(served.headers["x-content-type-options"]).toBe("nosniff");
    expect(served.headers["content-disposition"]).toBe("inline");
    expect(served.headers["cache-control"]).toContain("immutable");
    expect(served.rawPayload.equals(png(64, 32))).toBe(true);

    // An SVG sent as image/png, and HTML renamed .png, are refused.
    for (const [body, type] of [
      [SVG, "image/png"],
      [HTML, "image/png"],
      [Buffer.from("GIF89a...."), "image/gif"],
    ] as const) {
      const res = await putLogo(org.admin, body, type);
      expect(res.statusCode).toBe(415);
      expect(json(res)).toMatchObject({ error: { code: "unsupported_image" } });
    }
    expect(
      (await putLogo(org.admin, jpegHeader(100, 80), "application/octet-stream")).statusCode,
    ).toBe(200);
  });

  it("enforces size and dimension limits", async () => {
    const wide = await putLogo(org.admin, jpegHeader(4096, 100), "image/jpeg");
    expect(wide.statusCode).toBe(400);
    expect(json(wide)).toMatchObject({ error: { code: "logo_too_large" } });
    const huge = await putLogo(
      org.admin,
      Buffer.concat([png(10, 10), Buffer.alloc(600 * 1024)]),
      "image/png",
    );
    expect(huge.statusCode).toBe(413);
  });

  it("refuses non-admins and other organizations", async () => {
    expect(
      (await org.member.inject({ method: "PUT", url: url(), payload: { primaryColor: "#000000" } }))
        .statusCode,
    ).toBe(403);
    expect((await putLogo(org.member, png(8, 8), "image/png")).statusCode).toBe(403);
    expect((await org.outsider.inject({ url: url() })).statusCode).toBe(404);
    expect(
      (
        await org.outsider.inject({
          method: "PUT",
          url: url(),
          payload: { primaryColor: "#000000" },
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (await t.app.inject({ method: "PUT", url: url(), payload: { primaryColor: "#000000" } }))
        .statusCode,
    ).toBe(401);
  });

  it("shows on the organization's public share metadata, also when the share is gone", async () => {
    await putLogo(org.admin, png(20, 20), "image/png");
    const share = await buildShare();
    await createShare(org.admin, share.body);
    const meta = json<{ branding: Record<string, unknown> }>(
      await t.app.inject({ url: `/api/v1/shares/${share.body.id}` }),
    );
    expect(meta.branding).toMatchObject({
      orgName: "Acme's organization",
      primaryColor: "#0f766e",
      backgroundColor: "#ffffff",
      textColor: "#111111",
    });
    expect(meta.branding.logoUrl).toMatch(/\.png$/);
    await t.app.inject({
      method: "POST",
      url: `/api/v1/shares/${share.body.id}/reveal`,
      payload: { viewToken: share.body.viewToken },
    });
    const gone = json<{ error: { reason: string; branding: unknown } }>(
      await t.app.inject({ url: `/api/v1/shares/${share.body.id}` }),
    );
    expect(gone.error).toMatchObject({
      reason: "viewed",
      branding: { orgName: "Acme's organization" },
    });

    // The organization's request pages carry it too.
    const request = await newRequest(org.admin, { access: "anyone" });
    const requestMeta = json<{ branding: Record<string, unknown> }>(
      await t.app.inject({ url: `/api/v1/requests/${request.id}` }),
    );
    expect(requestMeta.branding).toMatchObject({
      orgName: "Acme's organization",
      primaryColor: "#0f766e",
    });

    // Anonymous shares carry no branding; reset removes it.
    const anon = await buildShare();
    await createShare(t.app, anon.body);
    expect(json(await t.app.inject({ url: `/api/v1/shares/${anon.body.id}` }))).not.toHaveProperty(
      "branding",
    );
    await org.admin.inject({
      method: "PUT",
      url: url(),
      payload: { primaryColor: null, backgroundColor: null, textColor: null },
    });
    expect((await org.admin.inject({ method: "DELETE", url: `${url()}/logo` })).statusCode).toBe(
      204,
    );
    const plain = await buildShare();
    await createShare(org.admin, plain.body);
    expect(json(await t.app.inject({ url: `/api/v1/shares/${plain.body.id}` }))).not.toHaveProperty(
      "branding",
    );
  });
});
