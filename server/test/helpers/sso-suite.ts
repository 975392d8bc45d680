/**
 * What every single sign-on suite stands on, for its whole describe block: a DNS server that
 * answers the domain proofs (SSO_DNS_SERVERS points at it), the app at PUBLIC_URL, and an OpenID
 * provider that sends its users back to the app's callback.
 */
import type { LightMyRequestResponse } from "fastify";

import type { Dialect } from "../../src/db/database.js";
import type { Client } from "./accounts.js";
import { createTestApp, type TestApp, type TestAppOptions } from "./app.js";
import { proveClaims, startTestDnsServer, type TestDnsServer } from "./dns-server.js";
import { startTestProvider, type TestProvider } from "./oidc-provider.js";
import { madeBeforeAll } from "./suite.js";

export const PUBLIC_URL = "http://hushlink.test";
export const CALLBACK = `${PUBLIC_URL}/api/v1/auth/sso/callback`;

/** An organization and an admin of it, who saves its settings. */
export interface SsoOrg {
  admin: Client;
  orgId: string;
}

type SaveSettings = (
  org: SsoOrg,
  domain: string,
  body?: Record<string, unknown>,
) => Promise<LightMyRequestResponse>;

export interface SsoSuite {
  t: TestApp;
  idp: TestProvider;
  dns: TestDnsServer;
  /**
   * Saves the organization's settings: enabled, with the suite's provider, for `domain`; `body`
   * adds to them or overrides them (the client secret is not sent unless `body` has it).
   */
  save: SaveSettings;
  /** `save`, and when it is saved, every pending domain claim proven through the suite's DNS. */
  saveProven: SaveSettings;
}

/**
 * The three for the block, and saving settings with them; each may be taken out at once
 * (`const { t, idp, save } = ssoSuite(…)`).
 * Hooks run in the order registered and the after hooks in reverse: the DNS server is up before
 * the app that is given its address, and the provider closes first.
 */
export function ssoSuite(dialect: Dialect, options: TestAppOptions = {}): SsoSuite {
  const dns = madeBeforeAll(
    () => startTestDnsServer(),
    (server) => server.close(),
  );
  const t = madeBeforeAll(
    () =>
      createTestApp(dialect, {
        ...options,
        env: { PUBLIC_URL, SSO_DNS_SERVERS: dns.address, ...options.env },
      }),
    (app) => app.close(),
  );
  const idp = madeBeforeAll(
    () => startTestProvider(CALLBACK),
    (provider) => provider.close(),
  );
  const save = (org: SsoOrg, domain: string, body: Record<string, unknown> = {}) =>
    org.admin.inject({
      method: "PUT",
      url: `/api/v1/orgs/${org.orgId}/sso`,
      payload: {
        enabled: true,
        issuer: idp.issuer,
        clientId: idp.clientId,
        domains: [domain],
        ...body,
      },
    });
  return {
    t,
    idp,
    dns,
    save,
    saveProven: async (org, domain, body) => {
      const res = await save(org, domain, body);
      if (res.statusCode === 200) await proveClaims(org.admin, org.orgId, dns);
      return res;
    },
  };
}
