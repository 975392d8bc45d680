/** Single sign-on with OpenID Connect (SPEC F15, extension): per-organization settings. */
import { z } from "zod";

import { Email, EmailDomain, IsoDate, RecentProof, RowId } from "./common.js";

/**
 * A domain the organization claims (extension): it routes sign-in only once proven, by a TXT
 * record `recordName` with the value `recordValue` in the domain's DNS.
 */
export const SsoDomainClaim = z
  .object({
    domain: z.string(),
    status: z.enum(["pending", "proven"]),
    provenAt: IsoDate.nullable(),
    recordName: z.string(),
    recordValue: z.string(),
  })
  .meta({ id: "SsoDomainClaim" });
export type SsoDomainClaim = z.infer<typeof SsoDomainClaim>;

/** What an admin reads back: the client secret is never shown again, only whether one is set. */
export const SsoSettings = z
  .object({
    enabled: z.boolean(),
    issuer: z.string().nullable(),
    clientId: z.string().nullable(),
    clientSecretSet: z.boolean(),
    /** Every domain claimed, pending or proven (as `PUT` takes them). */
    domains: z.array(z.string()),
    /** The same domains with their proof: only proven ones route sign-in. */
    domainClaims: z.array(SsoDomainClaim),
    requireSso: z.boolean(),
    /** Admins who keep their password while `requireSso` is on. */
    breakGlassUserIds: z.array(z.string()),
    redirectUri: z.string(),
  })
  .meta({ id: "SsoSettings" });
export type SsoSettings = z.infer<typeof SsoSettings>;

/**
 * `PUT /api/v1/orgs/{orgId}/sso`. `clientSecret` omitted keeps the stored one; a new one
 * replaces it. `enabled: false` keeps the settings but sends nobody to the provider.
 */
export const SsoSettingsBody = z
  .object({
    enabled: z.boolean(),
    issuer: z.url({ protocol: /^https?$/ }).max(500),
    clientId: z.string().trim().min(1).max(300),
    clientSecret: z.string().min(1).max(1000).optional(),
    domains: z.array(EmailDomain).max(50),
    requireSso: z.boolean().default(false),
    breakGlassUserIds: z.array(RowId).max(20).default([]),
    /**
     * The account's password (extension): needed, unless the session signed in within the last
     * 15 minutes, for a change that redirects or weakens sign-in (docs/SPEC.md, "SSO settings:
     * recent proof").
     */
    ...RecentProof,
  })
  .strict()
  .meta({ id: "SsoSettingsBody" });
export type SsoSettingsBody = z.input<typeof SsoSettingsBody>;

/** `POST /api/v1/orgs/{orgId}/sso/test`: what discovery found at the issuer. */
export const SsoTestBody = z
  .object({ issuer: z.url({ protocol: /^https?$/ }).max(500) })
  .strict()
  .meta({ id: "SsoTestBody" });
export const SsoTestResult = z
  .object({
    issuer: z.string(),
    authorizationEndpoint: z.string(),
    tokenEndpoint: z.string(),
    jwksUri: z.string().nullable(),
    scopesSupported: z.array(z.string()),
    pkce: z.boolean(),
  })
  .meta({ id: "SsoTestResult" });
export type SsoTestResult = z.infer<typeof SsoTestResult>;

/**
 * `POST /api/v1/auth/sso/discover`: whether the address's domain signs in through SSO. The
 * answer depends on the domain only, never on whether an account exists.
 */
export const SsoDiscoverBody = z.object({ email: Email }).strict().meta({ id: "SsoDiscoverBody" });
export const SsoDiscovery = z
  .object({ sso: z.boolean(), startUrl: z.string().nullable() })
  .meta({ id: "SsoDiscovery" });
export type SsoDiscovery = z.infer<typeof SsoDiscovery>;
