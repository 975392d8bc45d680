/**
 * `POST /api/v1/orgs/{orgId}/sso/domains/{domain}/verify` (SPEC F15) under load and at once:
 * each call may wait seconds on DNS, so it has its own budget per organization and per caller
 * (RATE_LIMIT_SSO_VERIFY, 429 rate_limited with Retry-After), spent only by the organization's
 * admins. A real DNS server on 127.0.0.1 answers the lookups.
 */
import type { SsoSettings } from "@hushlink/protocol";
import type { LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  addMembership,
  orgIdOf,
  signup,
  uniqueEmail,
  userIdOf,
  type Client,
} from "./helpers/accounts.js";
import { createTestApp, type TestApp } from "./helpers/app.js";
import { testDialects } from "./helpers/databases.js";
import { startTestDnsServer, type TestDnsServer } from "./helpers/dns-server.js";
import { json } from "./helpers/http.js";
import { startTestProvider, type TestProvider } from "./helpers/oidc-provider.js";

const PUBLIC_URL = "http://hushlink.test";
const CALLBACK = `${PUBLIC_URL}/api/v1/auth/sso/callback`;
const BUDGET = 3;

describe.each(testDialects)("proving SSO domains on %s", (dialect) => {
  let t: TestApp;
  let idp: TestProvider;
  let dns: TestDnsServer;
  let n = 0;
  const newDomain = () => `proof-${dialect}-${process.pid}-${++n}.test`;

  beforeAll(async () => {
    dns = await startTestDnsServer();
    t = await createTestApp(dialect, {
      env: {
        PUBLIC_URL,
        SSO_DNS_SERVERS: dns.address,
        RATE_LIMIT: "on",
        RATE_LIMIT_SSO_VERIFY: String(BUDGET),
        // Every account here signs up and in from the same address.
        RATE_LIMIT_SIGNIN: "10000",
      },
    });
    idp = await startTestProvider(CALLBACK);
  });
  afterAll(async () => {
    await idp.close();
    await dns.close();
    await t.close();
  });

  /** An organization claiming `domain` (pending), its admin signed in. */
  async function claiming(domain: string) {
    const admin = await signup(t, uniqueEmail("verifier"), "Verifier");
    const orgId = await orgIdOf(admin);
    const saved = await admin.inject({
      method: "PUT",
      url: `/api/v1/orgs/${orgId}/sso`,
      payload: {
        enabled: true,
        issuer: idp.issuer,
        clientId: idp.clientId,
        clientSecret: idp.clientSecret,
        domains: [domain],
      },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const claim = json<SsoSettings>(saved).domainClaims[0]!;
    return { admin, orgId, claim };
  }

  const verify = (caller: Client, orgId: string, domain: string) =>
    caller.inject({ method: "POST", url: `/api/v1/orgs/${orgId}/sso/domains/${domain}/verify` });
  const codeOf = (res: LightMyRequestResponse) =>
    json<{ error?: { code: string } }>(res).error?.code;

  async function makeAdmin(orgId: string, client: Client) {
    await addMembership(t, orgId, client.email);
    await t.database.db
      .updateTable("memberships")
      .set({ role: "admin" })
      .where("org_id", "=", orgId)
      .where("user_id", "=", await userIdOf(t, client.email))
      .execute();
  }

  describe("the limit", () => {
    it("holds each organization to RATE_LIMIT_SSO_VERIFY checks a minute, whichever admin asks", async () => {
      const domain = newDomain();
      const org = await claiming(domain);
      const other = await claiming(newDomain());
      const second = await signup(t, uniqueEmail("second-admin"));
      await makeAdmin(org.orgId, second);
      // No record yet: each check looks DNS up and finds nothing.
      for (let i = 0; i < BUDGET; i++)
        expect(codeOf(await verify(i % 2 ? second : org.admin, org.orgId, domain))).toBe(
          "domain_not_proven",
        );
      for (const caller of [org.admin, second]) {
        const refused = await verify(caller, org.orgId, domain);
        expect(refused.statusCode, refused.body).toBe(429);
        expect(codeOf(refused)).toBe("rate_limited");
        const retryAfter = Number(refused.headers["retry-after"]);
        expect(retryAfter).toBeGreaterThanOrEqual(1);
        expect(retryAfter).toBeLessThanOrEqual(60);
      }
      // Published now, but the budget is spent: nothing is looked up until the window ends.
      dns.txt.set(org.claim.recordName, [org.claim.recordValue]);
      expect((await verify(org.admin, org.orgId, domain)).statusCode).toBe(429);
      // Another organization's budget is its own.
      expect(codeOf(await verify(other.admin, other.orgId, other.claim.domain))).toBe(
        "domain_not_proven",
      );
    });

    it("holds a caller to one budget across the organizations they administer", async () => {
      const first = await claiming(newDomain());
      const elsewhere = await claiming(newDomain());
      await makeAdmin(elsewhere.orgId, first.admin);
      for (let i = 0; i < BUDGET; i++)
        expect(codeOf(await verify(first.admin, first.orgId, first.claim.domain))).toBe(
          "domain_not_proven",
        );
      const refused = await verify(first.admin, elsewhere.orgId, elsewhere.claim.domain);
      expect(codeOf(refused)).toBe("rate_limited");
      // …which spent nothing of that organization's own: its admin still checks.
      expect(codeOf(await verify(elsewhere.admin, elsewhere.orgId, elsewhere.claim.domain))).toBe(
        "domain_not_proven",
      );
    });

    it("is not spent by callers who are not the organization's admins", async () => {
      const domain = newDomain();
      const org = await claiming(domain);
      const member = await signup(t, uniqueEmail("member"));
      await addMembership(t, org.orgId, member.email);
      const outsider = await signup(t, uniqueEmail("outsider"));
      for (let i = 0; i < BUDGET + 2; i++) {
        expect(codeOf(await verify(member, org.orgId, domain))).toBe("admin_required");
        expect(codeOf(await verify(outsider, org.orgId, domain))).toBe("org_not_found");
      }
      dns.txt.set(org.claim.recordName, [org.claim.recordValue]);
      const proven = await verify(org.admin, org.orgId, domain);
      expect(proven.statusCode, proven.body).toBe(200);
    });
  });
});
