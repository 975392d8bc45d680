/**
 * What every single sign-on suite stands on, for its whole describe block: a DNS server that
 * answers the domain proofs (SSO_DNS_SERVERS points at it), the app at PUBLIC_URL, and an OpenID
 * provider that sends its users back to the app's callback.
 */
import type { Dialect } from "../../src/db/database.js";
import { createTestApp, type TestApp, type TestAppOptions } from "./app.js";
import { startTestDnsServer, type TestDnsServer } from "./dns-server.js";
import { startTestProvider, type TestProvider } from "./oidc-provider.js";
import { madeBeforeAll } from "./suite.js";

export const PUBLIC_URL = "http://hushlink.test";
export const CALLBACK = `${PUBLIC_URL}/api/v1/auth/sso/callback`;

export interface SsoSuite {
  t: TestApp;
  idp: TestProvider;
  dns: TestDnsServer;
}

/**
 * The three for the block; each may be taken out at once (`const { t, idp, dns } = ssoSuite(…)`).
 * Hooks run in the order registered and the after hooks in reverse: the DNS server is up before
 * the app that is given its address, and the provider closes first.
 */
export function ssoSuite(dialect: Dialect, options: Omit<TestAppOptions, "env"> = {}): SsoSuite {
  const dns = madeBeforeAll(
    () => startTestDnsServer(),
    (server) => server.close(),
  );
  const t = madeBeforeAll(
    () => createTestApp(dialect, { ...options, env: { PUBLIC_URL, SSO_DNS_SERVERS: dns.address } }),
    (app) => app.close(),
  );
  const idp = madeBeforeAll(
    () => startTestProvider(CALLBACK),
    (provider) => provider.close(),
  );
  return { t, idp, dns };
}
