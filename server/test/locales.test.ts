/**
 * Languages on the account and the organization (F17, issue 22): PATCH /api/v1/auth/me sets or
 * forgets the account's `locale`; admins set the organization's `defaultLocale` with its branding,
 * and branded public pages read it there.
 */
import { beforeAll, describe, expect, it } from "vitest";

import { SUPPORTED_LOCALES } from "@hushlink/protocol";

import { memberOf, newOrg, uniqueEmail, type Client } from "./helpers/accounts.js";
import { auditEntries } from "./helpers/audit.js";
import { buildShare } from "./helpers/builders.js";
import { testDialects } from "./helpers/databases.js";
import { createShare, json } from "./helpers/http.js";
import { suiteApp } from "./helpers/suite.js";

interface MeAnswer {
  user: { email: string; locale: string | null };
}

describe.each(testDialects)("languages on %s", (dialect) => {
  const t = suiteApp(dialect);
  let admin: Client;
  let member: Client;
  let orgId: string;
  beforeAll(async () => {
    ({ admin, orgId } = await newOrg(t, uniqueEmail("locale-admin"), "Lena"));
    member = await memberOf(t, orgId, uniqueEmail("locale-member"));
  });

  const me = async (c: Client) => json<MeAnswer>(await c.inject({ url: "/api/v1/auth/me" }));
  const patchMe = (c: Client, payload: unknown) =>
    c.inject({ method: "PATCH", url: "/api/v1/auth/me", payload: payload as object });

  it("an account has no language until it picks one; PATCH sets it, null forgets it", async () => {
    expect((await me(member)).user.locale).toBeNull();

    const set = await patchMe(member, { locale: "pt-BR" });
    expect(set.statusCode, set.body).toBe(200);
    expect(json<MeAnswer>(set).user).toMatchObject({ email: member.email, locale: "pt-BR" });
    expect((await me(member)).user.locale).toBe("pt-BR");
    // Stored on the account, not the session: a new sign-in reads it too.
    const row = await t.database.db
      .selectFrom("users")
      .select("locale")
      .where("email", "=", member.email)
      .executeTakeFirstOrThrow();
    expect(row.locale).toBe("pt-BR");

    // Fields left out stay as they are.
    expect(json<MeAnswer>(await patchMe(member, {})).user.locale).toBe("pt-BR");

    const cleared = await patchMe(member, { locale: null });
    expect(cleared.statusCode).toBe(200);
    expect(json<MeAnswer>(cleared).user.locale).toBeNull();
    expect((await me(member)).user.locale).toBeNull();
  });

  it("takes every supported language, and refuses others with 400 invalid_request", async () => {
    for (const locale of SUPPORTED_LOCALES) {
      const res = await patchMe(member, { locale });
      expect(res.statusCode, locale).toBe(200);
      expect(json<MeAnswer>(res).user.locale).toBe(locale);
    }
    for (const bad of ["xx", "pt", "zh-CN", "DE", "en-US", "", 42, "de\n"]) {
      const res = await patchMe(member, { locale: bad });
      expect(res.statusCode, String(bad)).toBe(400);
      expect(json(res)).toMatchObject({
        error: { code: "invalid_request", issues: [{ path: "body.locale" }] },
      });
    }
    // The last good one stands; unknown fields are refused, not ignored.
    expect((await me(member)).user.locale).toBe("ar");
    const extra = await patchMe(member, { locale: "de", name: "Mallory" });
    expect(extra.statusCode).toBe(400);
    expect((await me(member)).user.locale).toBe("ar");
  });

  it("needs a signed-in caller", async () => {
    const res = await t.app.inject({
      method: "PATCH",
      url: "/api/v1/auth/me",
      payload: { locale: "de" },
    });
    expect(res.statusCode).toBe(401);
    expect(json(res)).toMatchObject({ error: { code: "login_required" } });
  });

  it("an admin sets the organization's default language with its branding; a member may not", async () => {
    const url = `/api/v1/orgs/${orgId}/branding`;
    expect(json(await admin.inject({ url }))).toMatchObject({ defaultLocale: null });

    const refused = await member.inject({ method: "PUT", url, payload: { defaultLocale: "fr" } });
    expect(refused.statusCode).toBe(403);
    expect(json(refused)).toMatchObject({ error: { code: "admin_required" } });
    expect(json(await member.inject({ url }))).toMatchObject({ defaultLocale: null });

    const bad = await admin.inject({ method: "PUT", url, payload: { defaultLocale: "klingon" } });
    expect(bad.statusCode).toBe(400);
    expect(json(bad)).toMatchObject({
      error: { code: "invalid_request", issues: [{ path: "body.defaultLocale" }] },
    });

    const set = await admin.inject({ method: "PUT", url, payload: { defaultLocale: "fr" } });
    expect(set.statusCode, set.body).toBe(200);
    expect(json(set)).toEqual({
      primaryColor: null,
      backgroundColor: null,
      textColor: null,
      logoUrl: null,
      defaultLocale: "fr",
    });
    expect(json(await member.inject({ url }))).toMatchObject({ defaultLocale: "fr" });

    // Colours change without touching the language, and the other way round.
    const colours = await admin.inject({
      method: "PUT",
      url,
      payload: { primaryColor: "#0f766e" },
    });
    expect(json(colours)).toMatchObject({ primaryColor: "#0f766e", defaultLocale: "fr" });
    const language = await admin.inject({ method: "PUT", url, payload: { defaultLocale: "ja" } });
    expect(json(language)).toMatchObject({ primaryColor: "#0f766e", defaultLocale: "ja" });

    // Recorded like every other branding change.
    const changes = (await auditEntries(admin, orgId)).filter((e) => e.type === "branding.changed");
    expect(changes.length).toBe(3);

    const cleared = await admin.inject({ method: "PUT", url, payload: { defaultLocale: null } });
    expect(json(cleared)).toMatchObject({ primaryColor: "#0f766e", defaultLocale: null });
    await admin.inject({ method: "PUT", url, payload: { primaryColor: null } });
  });

  it("branded public pages read the default language with the branding; unbranded ones get none", async () => {
    const { admin: other, orgId: otherOrg } = await newOrg(t, uniqueEmail("locale-brand"), "Oda");
    const url = `/api/v1/orgs/${otherOrg}/branding`;
    const metadataOfNewShare = async () => {
      const share = await buildShare();
      await createShare(other, share.body);
      return json<{ branding?: Record<string, unknown> }>(
        await t.app.inject({ url: `/api/v1/shares/${share.body.id}` }),
      );
    };

    // A language alone does not make the pages branded.
    await other.inject({ method: "PUT", url, payload: { defaultLocale: "de" } });
    expect(await metadataOfNewShare()).not.toHaveProperty("branding");

    await other.inject({ method: "PUT", url, payload: { backgroundColor: "#fafafa" } });
    expect((await metadataOfNewShare()).branding).toMatchObject({
      backgroundColor: "#fafafa",
      defaultLocale: "de",
    });

    await other.inject({ method: "PUT", url, payload: { defaultLocale: null } });
    expect((await metadataOfNewShare()).branding).toMatchObject({ defaultLocale: null });
  });
});
