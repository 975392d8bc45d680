import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";

import {
  Email,
  EmailDomain,
  SsoDiscoverBody,
  SsoDiscovery,
  SsoSettings,
  SsoSettingsBody,
  SsoTestBody,
  SsoTestResult,
} from "@hushlink/protocol";

import { OrgParams } from "../../lib/org-params.js";
import type { Config } from "../../config.js";
import { rateLimitFor, type KeyedLimits } from "../../plugins/rate-limit.js";
import { ADMIN_ERRORS, adminProof, requireAdmin } from "../auth/auth.context.js";
import { getOrgResource } from "../auth/org-read.js";
import { RECENT_PROOF_ERRORS } from "../auth/recent-proof.js";
import { sessionCookies } from "../auth/auth.routes.js";
import { SSO_LOGIN_TTL_MS } from "./sso.login.js";
import type { AuditedSso } from "../audit/audit.wiring.js";
import { SSO_CALLBACK_PATH } from "./sso.service.js";

/** Holds the state of the sign-in this browser started; sent only to the callback. */
export const SSO_COOKIE = "hl_sso";
const param = z.string().max(4096).optional();
/**
 * What providers send back (RFC 6749 §4.1.2, RFC 9207 `iss`); anything else is dropped, not
 * refused as other queries' unknown keys are: the client must ignore parameters it does not know
 * (§4.1.2), and providers add their own (`scope`, `authuser`, `prompt`, `hd`).
 */
const CallbackQuery = z.object({
  code: param,
  state: param,
  iss: param,
  error: param,
  error_description: param,
  error_uri: param,
  session_state: param,
});
const Redirect = z.null().meta({ description: "A redirect; `Location` says where." });

export function registerSsoRoutes(
  app: FastifyInstance,
  deps: { config: Config; sso: AuditedSso; limits: KeyedLimits },
) {
  const { config, sso, limits } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ["sso"];
  const signin = rateLimitFor(config, "signin");
  const failed = (reason: string) => `/login?sso_error=${reason}`;

  getOrgResource(
    app,
    "/api/v1/orgs/:orgId/sso",
    {
      tags,
      summary: "The organization's single sign-on settings (admins; extension, F15)",
      description: "The client secret is never answered: `clientSecretSet` says whether one is.",
      role: "admin",
      response: SsoSettings,
    },
    (orgId) => sso.settings(orgId),
  );

  r.put(
    "/api/v1/orgs/:orgId/sso",
    {
      schema: {
        tags,
        summary: "Set the organization's OpenID Connect provider (admins; extension, F15)",
        description:
          "`clientSecret` omitted keeps the stored one (sealed with the root key). A new " +
          "domain is a pending claim with its own DNS proof (`domainClaims`): it routes nothing " +
          "until `POST …/sso/domains/{domain}/verify` finds the TXT record. Break-glass users " +
          "must be admins (400 break_glass_not_admin). A change that redirects or weakens " +
          "sign-in (a new issuer, client id or secret; `requireSso` turned off, or SSO turned " +
          "off or a domain dropped while it is required; a new break-glass admin) needs a " +
          "session signed in within the last 15 minutes or the account's `password` in the " +
          "body: else 403 recent_sign_in_required (nothing changes); a wrong password is 403 " +
          "wrong_current_password, counted by the sign-in back-off.",
        params: OrgParams,
        body: SsoSettingsBody,
        errors: [
          ...ADMIN_ERRORS,
          "sso_secret_required",
          "confusable_domain",
          "break_glass_not_admin",
          ...RECENT_PROOF_ERRORS,
        ],
        response: { 200: SsoSettings },
      },
    },
    (request) => {
      const admin = requireAdmin(request, request.params.orgId);
      const { password, ...body } = request.body;
      return sso.update(request, admin.org.id, body, adminProof(request, admin, password));
    },
  );

  r.post(
    "/api/v1/orgs/:orgId/sso/domains/:domain/verify",
    {
      schema: {
        tags,
        summary: "Prove a claimed domain by its DNS TXT record (admins; extension, F15)",
        description:
          "Looks up the TXT record `recordName` of the claim and, when one has the value " +
          "`recordValue`, marks the claim proven; a domain another organization proved moves " +
          "here (DNS is the authority). 400 domain_not_proven names the record looked for; 503 " +
          "unavailable when DNS does not answer. Each call may wait on DNS for seconds: at most " +
          "RATE_LIMIT_SSO_VERIFY a minute per organization and per caller (429 rate_limited " +
          "with Retry-After).",
        params: OrgParams.extend({ domain: EmailDomain }),
        errors: [
          ...ADMIN_ERRORS,
          "confusable_domain",
          "sso_domain_not_found",
          "domain_not_proven",
          "sso_domain_taken",
          // Documented where it can be answered, as the per-IP limits are (contract.ts).
          ...(config.rateLimit.enabled ? (["rate_limited"] as const) : []),
        ],
        response: { 200: SsoSettings },
      },
    },
    async (request, reply) => {
      const me = requireAdmin(request, request.params.orgId);
      const orgId = me.org.id;
      // Counted once the caller is known to be an admin: nobody else can spend the budget of
      // the organization's admins. The caller first, so an admin of many organizations is held
      // to one budget across them.
      await limits(reply, "ssoVerify", [`user:${me.auth.user.id}`, `org:${orgId}`]);
      return (await sso.verifyDomain(request, orgId, request.params.domain)).settings;
    },
  );

  r.post(
    "/api/v1/orgs/:orgId/sso/test",
    {
      schema: {
        tags,
        summary: "Run discovery at an issuer and say what it found (admins; extension, F15)",
        params: OrgParams,
        body: SsoTestBody,
        errors: [...ADMIN_ERRORS, "sso_discovery_failed"],
        response: { 200: SsoTestResult },
      },
    },
    (request) => {
      requireAdmin(request, request.params.orgId);
      return sso.test(request.body.issuer);
    },
  );

  r.post(
    "/api/v1/auth/sso/discover",
    {
      config: signin,
      schema: {
        tags,
        summary: "Whether an address signs in through single sign-on (extension, F15)",
        description:
          "Decided by the address's domain alone, the same for an address with an account and " +
          "one without: `startUrl` is where the login page sends the browser.",
        body: SsoDiscoverBody,
        errors: [],
        response: { 200: SsoDiscovery },
      },
    },
    (request) => sso.discover(request.body.email),
  );

  r.get(
    "/api/v1/auth/sso/start",
    {
      config: signin,
      schema: {
        // Browser navigations answered by redirects, not API operations: docs/SPEC.md has them.
        hide: true,
        tags,
        summary: "Go to the organization's provider (extension, F15)",
        description:
          "302 to the provider's authorization endpoint (code flow, PKCE S256, state, nonce), " +
          "setting the hl_sso cookie; 303 to /login?sso_error=… when the domain has no provider.",
        querystring: z.object({ email: Email, returnTo: z.string().max(500).optional() }).strict(),
        errors: [],
        response: { 302: Redirect, 303: Redirect },
      },
    },
    async (request, reply) => {
      const started = await sso
        .start(request.query.email, request.query.returnTo)
        .catch(() => "provider" as const);
      if (started === null || started === "provider")
        return reply.redirect(failed(started ?? "not_configured"), 303);
      void reply.setCookie(SSO_COOKIE, started.state, {
        path: SSO_CALLBACK_PATH,
        // Lax: the provider sends the browser back with a top-level GET.
        sameSite: "lax",
        secure: config.secureCookies,
        httpOnly: true,
        maxAge: SSO_LOGIN_TTL_MS / 1000,
      });
      return reply.redirect(started.url, 302);
    },
  );

  r.get(
    SSO_CALLBACK_PATH,
    {
      config: signin,
      schema: {
        hide: true,
        tags,
        summary: "Where the provider sends the browser back (extension, F15)",
        description:
          "303 to `returnTo` with a session, or to /login?sso_error=state|provider|token|" +
          "email_unverified|domain|identity|not_configured without one.",
        querystring: CallbackQuery,
        errors: [],
        response: { 303: Redirect },
      },
    },
    async (request, reply) => {
      const query = new URLSearchParams();
      for (const [key, value] of Object.entries(request.query))
        if (value !== undefined) query.set(key, value);
      const outcome = await sso.callback(request, query, request.cookies[SSO_COOKIE]);
      void reply.clearCookie(SSO_COOKIE, { path: SSO_CALLBACK_PATH });
      if (!outcome.ok) {
        request.log.info({ reason: outcome.reason }, "sso sign-in refused");
        return reply.redirect(failed(outcome.reason), 303);
      }
      sessionCookies(reply, outcome.session, config.secureCookies);
      return reply.redirect(outcome.returnTo, 303);
    },
  );
}
