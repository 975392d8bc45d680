/** Single sign-on (SPEC F15): the organization's OpenID Connect provider, and the login page's question. */
import type { SsoDiscovery, SsoSettings, SsoSettingsBody, SsoTestResult } from "@hushlink/protocol";

import { msg } from "@lingui/core/macro";

import { i18n } from "../../i18n/i18n";
import { api, segment } from "../../lib/api";

export type { SsoSettings, SsoSettingsBody, SsoTestResult };

const ssoPath = (orgId: string) => `/api/v1/orgs/${segment(orgId)}/sso`;

export const ssoApi = {
  settings: (orgId: string) => api.get<SsoSettings>(ssoPath(orgId)),
  /** `clientSecret` left out keeps the stored one. */
  save: (orgId: string, body: SsoSettingsBody) => api.put<SsoSettings>(ssoPath(orgId), body),
  /** Looks the domain's TXT record up and marks the claim proven when it holds the proof. */
  verifyDomain: (orgId: string, domain: string) =>
    api.post<SsoSettings>(`${ssoPath(orgId)}/domains/${segment(domain)}/verify`),
  test: (orgId: string, issuer: string) =>
    api.post<SsoTestResult>(`${ssoPath(orgId)}/test`, { issuer }),
  /** Decided by the address's domain alone. */
  discover: (email: string) => api.post<SsoDiscovery>("/api/v1/auth/sso/discover", { email }),
};

const SSO_ERROR_MESSAGES = {
  not_configured: msg`Single sign-on is not set up for this address. Sign in with your password.`,
  state: msg`That single sign-on attempt expired or was already used. Start again from this page.`,
  provider: msg`Your identity provider could not be reached or refused the sign-in. Try again.`,
  token: msg`The identity provider's answer could not be verified, so you were not signed in.`,
  email_unverified: msg`Your identity provider has not confirmed your e-mail address, so you were not signed in.`,
  domain: msg`Your identity provider answered with an address this organization does not own.`,
  identity: msg`This address belongs to an account linked to another identity at your provider. Ask an admin.`,
};

/**
 * Why the callback sent the browser back to /login (`?sso_error=`), in words, in the page's
 * language when read: each entry is a getter, so the login page keeps reading a plain record.
 */
export const SSO_ERRORS: Record<string, string> = Object.defineProperties(
  {},
  Object.fromEntries(
    Object.entries(SSO_ERROR_MESSAGES).map(([reason, message]) => [
      reason,
      { enumerable: true, get: () => i18n._(message) },
    ]),
  ),
);
