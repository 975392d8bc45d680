/**
 * Lookalike e-mail domains (docs/SPEC.md, "Lookalike domains"): at every place an address or a
 * domain enters (sign-up, invitation, share recipients, SSO domain claims, SIGNUP_DOMAINS) a
 * label mixing scripts (`exаmple` with a Cyrillic "а") is refused with 400 confusable_domain
 * naming the field, and nothing is stored; a whole-script IDN is taken and stored in its one
 * spelling, so `bücher.example` and `xn--bcher-kva.example` are one address; ASCII is unchanged.
 */
import type { SsoSettings } from "@hushlink/protocol";
import { seal } from "@hushlink/protocol";
import { beforeAll, describe, expect, it } from "vitest";

import { loadConfig } from "../src/config.js";
import {
  GOOD_PASSWORD,
  newOrg,
  signInAttempt,
  uniqueEmail,
  type Client,
} from "./helpers/accounts.js";
import { FAST_KDF } from "./helpers/builders.js";
import { testDialects } from "./helpers/databases.js";
import { json } from "./helpers/http.js";
import { ssoSuite, type SsoOrg } from "./helpers/sso-suite.js";
import { mailSuite } from "./helpers/suite.js";

const MIXED = "exаmple.test"; // Cyrillic а

describe.each(testDialects)("lookalike domains on %s", (dialect) => {
  const { t } = mailSuite(dialect);
  let n = 0;
  /** A local part of its own per address, so one suite's rows do not meet another's. */
  const local = (name: string) => `${name}${(n += 1)}.${dialect}.${process.pid}`;
  let admin: Client;
  let orgId: string;

  beforeAll(async () => {
    ({ admin, orgId } = await newOrg(t, uniqueEmail("idn-admin"), "IDN"));
  });

  const usersLike = (prefix: string) =>
    t.database.db
      .selectFrom("users")
      .select("email")
      .where("email", "like", `${prefix}@%`)
      .execute();

  const expectConfusable = (res: { statusCode: number; body: string }, field: string) => {
    expect(res.statusCode, res.body).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({
      error: { code: "confusable_domain", field },
    });
  };

  const signupWith = (email: string) =>
    t.app.inject({
      method: "POST",
      url: "/api/v1/auth/signup",
      payload: { email, password: GOOD_PASSWORD },
    });

  it("sign-up refuses a mixed-script domain and stores an IDN in one spelling", async () => {
    const mixed = local("eve");
    expectConfusable(await signupWith(`${mixed}@${MIXED}`), "body.email");
    expect(await usersLike(mixed)).toEqual([]);

    const bob = local("bob");
    expect((await signupWith(`${bob}@xn--bcher-kva.example`)).statusCode).toBe(202);
    expect(await usersLike(bob)).toEqual([{ email: `${bob}@bücher.example` }]);
    // The Unicode spelling is the same address: no second account, and it signs in.
    expect((await signupWith(`${bob}@Bücher.example`)).statusCode).toBe(202);
    expect(await usersLike(bob)).toHaveLength(1);
    expect((await signInAttempt(t, `${bob}@bücher.example`)).statusCode).toBe(200);
    expect((await signInAttempt(t, `${bob}@xn--bcher-kva.example`)).statusCode).toBe(200);

    const ivan = local("ivan");
    expect((await signupWith(`${ivan}@пример.рф`)).statusCode).toBe(202);
    expect(await usersLike(ivan)).toEqual([{ email: `${ivan}@пример.рф` }]);
    const plain = local("Plain");
    expect((await signupWith(`${plain}@Example.test`)).statusCode).toBe(202);
    expect(await usersLike(plain.toLowerCase())).toEqual([
      { email: `${plain.toLowerCase()}@example.test` },
    ]);
  });

  const invite = (email: string) =>
    admin.inject({ method: "POST", url: `/api/v1/orgs/${orgId}/invitations`, payload: { email } });
  const invitationsLike = (prefix: string) =>
    t.database.db
      .selectFrom("invitations")
      .select("email")
      .where("email", "like", `${prefix}@%`)
      .execute();

  it("an invitation refuses a mixed-script domain and stores an IDN in one spelling", async () => {
    const mixed = local("eve");
    expectConfusable(await invite(`${mixed}@shop.${MIXED}`), "body.email");
    expect(await invitationsLike(mixed)).toEqual([]);

    const bob = local("bob");
    expect((await invite(`${bob}@xn--bcher-kva.example`)).statusCode).toBe(201);
    expect(await invitationsLike(bob)).toEqual([{ email: `${bob}@bücher.example` }]);
    // The other spelling is the same address: its invitation is stored in the same spelling.
    expect((await invite(`${bob}@Bücher.example`)).statusCode).toBe(201);
    expect(new Set((await invitationsLike(bob)).map((i) => i.email))).toEqual(
      new Set([`${bob}@bücher.example`]),
    );

    const taro = local("taro");
    expect((await invite(`${taro}@例え.jp`)).statusCode).toBe(201);
    expect(await invitationsLike(taro)).toEqual([{ email: `${taro}@例え.jp` }]);
    const plain = local("plain");
    expect((await invite(`${plain}@example.test`)).statusCode).toBe(201);
    expect(await invitationsLike(plain)).toEqual([{ email: `${plain}@example.test` }]);
  });

  const share = async (recipients: string[]) => {
    const s = await seal("for the recipient", { password: "tulip-anchor-77", kdf: FAST_KDF });
    const res = await admin.inject({
      method: "POST",
      url: "/api/v1/shares",
      payload: {
        ...s.body,
        expiresIn: 3600,
        recipients,
        allowExternalRecipients: true,
        delivery: { linkSecret: s.linkSecret },
      },
    });
    return { res, id: s.body.id };
  };
  const recipientsOf = async (shareId: string) =>
    (
      await t.database.db
        .selectFrom("share_recipients")
        .select("email")
        .where("share_id", "=", shareId)
        .orderBy("email")
        .execute()
    ).map((r) => r.email);

  it("share recipients: a mixed-script domain is refused, nothing stored; IDNs in one spelling", async () => {
    const before = await t.database.db.selectFrom("shares").select("id").execute();
    const refused = await share([`${local("ok")}@example.test`, `${local("eve")}@${MIXED}`]);
    expectConfusable(refused.res, "body.recipients.1");
    expect(await t.database.db.selectFrom("shares").select("id").execute()).toEqual(before);

    const bob = local("bob");
    const plain = local("plain");
    const { res, id } = await share([`${bob}@xn--bcher-kva.example`, `${plain}@example.test`]);
    expect(res.statusCode, res.body).toBe(201);
    expect(await recipientsOf(id)).toEqual([`${bob}@bücher.example`, `${plain}@example.test`]);
    // Both spellings of one address are one recipient.
    const twice = await share([`${bob}@xn--bcher-kva.example`, `${bob}@bücher.example`]);
    expect(twice.res.statusCode, twice.res.body).toBe(201);
    expect(await recipientsOf(twice.id)).toEqual([`${bob}@bücher.example`]);
  });

  it("the members list and answers carry the stored spelling", async () => {
    const res = await admin.inject({ url: `/api/v1/orgs/${orgId}/invitations` });
    expect(res.body).toContain("bücher.example");
    expect(res.body).not.toContain("xn--bcher-kva");
  });

  it("keeps SIGNUP_DOMAINS to the same rule", () => {
    expect(
      loadConfig({
        SIGNUP: "domains",
        SIGNUP_DOMAINS: "Example.com, xn--bcher-kva.example, пример.рф",
      }).signup.domains,
    ).toEqual(["example.com", "bücher.example", "пример.рф"]);
    expect(() =>
      loadConfig({ SIGNUP: "domains", SIGNUP_DOMAINS: `example.com, ${MIXED}` }),
    ).toThrow(/SIGNUP_DOMAINS: this entry is not a domain: "exаmple.test"/);
  });
});

describe.each(testDialects)("lookalike SSO domains on %s", (dialect) => {
  const { t, idp, dns, save } = ssoSuite(dialect);
  let org: SsoOrg;
  const idn = `bücher-${dialect}-${process.pid}.example`;

  beforeAll(async () => {
    org = await newOrg(t, uniqueEmail("sso-idn"), "SSO IDN");
  });

  const claims = async () =>
    json<SsoSettings>(await org.admin.inject({ url: `/api/v1/orgs/${org.orgId}/sso` }))
      .domainClaims;
  const discover = async (email: string) =>
    json<{ sso: boolean }>(
      await t.app.inject({ method: "POST", url: "/api/v1/auth/sso/discover", payload: { email } }),
    ).sso;

  it("refuses a mixed-script claim, stores an IDN claim in one spelling, proves it in ASCII", async () => {
    const refused = await save(org, "shop.exаmple.test", { clientSecret: idp.clientSecret });
    expect(refused.statusCode, refused.body).toBe(400);
    expect(json(refused)).toMatchObject({
      error: { code: "confusable_domain", field: "body.domains.0" },
    });
    expect(await claims()).toEqual([]);

    const ascii = new URL(`http://${idn}`).hostname;
    const saved = await save(org, ascii, { clientSecret: idp.clientSecret });
    expect(saved.statusCode, saved.body).toBe(200);
    const [claim] = await claims();
    // Stored as addresses are, shown to the admin in the ASCII form DNS holds.
    expect(claim).toMatchObject({ domain: idn, recordName: `_hushlink.${ascii}` });
    dns.txt.set(claim!.recordName, [claim!.recordValue]);
    const proven = await org.admin.inject({
      method: "POST",
      url: `/api/v1/orgs/${org.orgId}/sso/domains/${ascii}/verify`,
    });
    expect(proven.statusCode, proven.body).toBe(200);
    // Either spelling of an address at the domain routes to the organization's provider.
    expect(await discover(`bob@${idn}`)).toBe(true);
    expect(await discover(`bob@${ascii}`)).toBe(true);
    expect(await discover(`bob@example.test`)).toBe(false);
  });
});
