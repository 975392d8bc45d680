/**
 * Single sign-on with OpenID Connect (SPEC F15): an admin connects the organization's provider;
 * people of its e-mail domains sign in there, join the organization on first sign-in, and with
 * `requireSso` may not use a password (break-glass admins excepted).
 */
import type { SsoSettings, SsoSettingsBody } from "@hushlink/protocol";
import type { Kysely } from "kysely";

import type { Clock } from "../../clock.js";
import { writeTransaction, type DatabaseHandle } from "../../db/database.js";
import type { Database } from "../../db/schema.js";
import type { Config } from "../../config.js";
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from "../../errors.js";
import { domainOf } from "../../lib/people.js";
import { openWithRootKey, sealWithRootKey } from "../../lib/sealing.js";
import { newToken } from "../../lib/tokens.js";
import { createProviderCache, describeProvider, discover } from "./sso.client.js";
import { createTxtLookup, recordName, recordValue } from "./sso.dns.js";
import { createSsoLogin } from "./sso.login.js";
import type { ProofCaller, RecentProof } from "../auth/recent-proof.js";
import { ssoChangeNeedsProof } from "./sso.proof.js";
import * as repo from "./sso.repository.js";

export const SSO_CALLBACK_PATH = "/api/v1/auth/sso/callback";

export interface SsoDeps {
  database: Pick<DatabaseHandle, "db" | "dialect">;
  clock: Clock;
  /** The current root key first, then retired ones (docs/key-rotation.md). */
  rootKeys: readonly Buffer[];
  config: Pick<Config, "publicUrl" | "ssoDnsServers">;
  createSession: (
    db: Kysely<Database>,
    userId: string,
    method: "sso",
  ) => Promise<{ token: string; csrfToken: string; expiresAt: number }>;
  /** The address was just proven: whoever held it unproven loses what they set up. */
  wipeUnprovenHolder: (trx: Kysely<Database>, userId: string, keep: string | null) => Promise<void>;
  proof: Pick<RecentProof, "requireRecentProof">;
}

export const secretAad = (orgId: string) => `org_sso.client_secret_sealed.${orgId}`;

export function createSsoService(deps: SsoDeps) {
  const { database, clock, rootKeys } = deps;
  const redirectUri = `${deps.config.publicUrl}${SSO_CALLBACK_PATH}`;
  const lookupTxt = createTxtLookup(deps.config.ssoDnsServers);
  const tx = <T>(fn: (trx: Kysely<Database>) => Promise<T>) => writeTransaction(database, fn);
  const openSecret = (orgId: string, sealed: string) =>
    openWithRootKey(rootKeys, sealed, secretAad(orgId));

  async function settings(orgId: string): Promise<SsoSettings> {
    const row = await repo.findSettings(database.db, orgId);
    const claims = await repo.listDomains(database.db, orgId);
    return {
      enabled: row?.enabled === 1,
      issuer: row?.issuer ?? null,
      clientId: row?.client_id ?? null,
      clientSecretSet: (row?.client_secret_sealed ?? null) !== null,
      domains: claims.map((c) => c.domain),
      domainClaims: claims.map((c) => ({
        domain: c.domain,
        status: c.proven_at === null ? ("pending" as const) : ("proven" as const),
        provenAt: c.proven_at === null ? null : new Date(c.proven_at).toISOString(),
        recordName: recordName(c.domain),
        recordValue: recordValue(c.proof),
      })),
      requireSso: row?.require_sso === 1,
      breakGlassUserIds: await repo.listBreakGlass(database.db, orgId),
      redirectUri,
    };
  }

  /** The provider of the organization that owns the address's domain, when it is switched on. */
  async function providerFor(email: string) {
    const row = await repo.findByDomain(database.db, domainOf(email));
    if (!row || row.enabled !== 1 || row.client_secret_sealed === null) return null;
    return {
      orgId: row.org_id,
      issuer: row.issuer,
      clientId: row.client_id,
      clientSecret: () => openSecret(row.org_id, row.client_secret_sealed!),
    };
  }

  const providers = createProviderCache(() => clock.now());

  async function providerOf(orgId: string) {
    const row = await repo.findSettings(database.db, orgId);
    if (!row || row.enabled !== 1 || row.client_secret_sealed === null) return null;
    return providers.configuration(
      row.issuer,
      row.client_id,
      openSecret(orgId, row.client_secret_sealed),
    );
  }

  const login = createSsoLogin({
    ...deps,
    redirectUri,
    providerFor,
    providerOf,
    configuration: providers.configuration,
  });

  return {
    redirectUri,
    settings,

    /**
     * A change that redirects or weakens sign-in (sso.proof.ts) needs the caller's recent proof,
     * judged against the settings read before the change: should another admin's change land in
     * between, one judged harmless can only put back what was stored when it was judged.
     */
    async update(orgId: string, body: SsoSettingsBody, caller: ProofCaller): Promise<SsoSettings> {
      const before = await settings(orgId);
      const current =
        before.issuer === null || before.clientId === null
          ? null
          : { ...before, issuer: before.issuer, clientId: before.clientId };
      if (ssoChangeNeedsProof(current, body)) await deps.proof.requireRecentProof(caller);
      const domains = [...new Set(body.domains)];
      const breakGlass = [...new Set(body.breakGlassUserIds ?? [])];
      const now = clock.now();
      await tx(async (trx) => {
        const current = await repo.findSettings(trx, orgId);
        const sealed =
          body.clientSecret !== undefined
            ? sealWithRootKey(rootKeys[0]!, body.clientSecret, secretAad(orgId))
            : (current?.client_secret_sealed ?? null);
        if (body.enabled && sealed === null)
          throw new BadRequestError(
            "sso_secret_required",
            "Enter the client secret the provider issued for Hushlink.",
          );
        const admins = await repo.adminsAmong(trx, orgId, breakGlass);
        if (admins.length !== breakGlass.length)
          throw new BadRequestError(
            "break_glass_not_admin",
            "Only admins of this organization can be break-glass admins.",
          );
        await repo.saveSettings(
          trx,
          {
            org_id: orgId,
            enabled: body.enabled ? 1 : 0,
            // As typed: an issuer is compared exactly, and some end in "/" (Authentik's).
            issuer: body.issuer.trim(),
            client_id: body.clientId,
            client_secret_sealed: sealed,
            require_sso: body.requireSso ? 1 : 0,
            updated_at: now,
          },
          domains,
          breakGlass,
          () => newToken(16),
        );
      });
      return settings(orgId);
    },

    /**
     * Looks up the claim's TXT record and, when it holds the claim's proof, marks the claim proven
     * (taking the domain from any organization that proved it before: DNS is the authority).
     */
    async verifyDomain(orgId: string, domain: string) {
      const claim = await repo.findClaim(database.db, orgId, domain);
      if (!claim)
        throw new NotFoundError(
          "sso_domain_not_found",
          `This organization does not claim ${domain}. Add it to the domains first.`,
        );
      const expected = { recordName: recordName(domain), recordValue: recordValue(claim.proof) };
      const found = await lookupTxt(expected.recordName);
      if (!found.includes(expected.recordValue))
        throw new BadRequestError(
          "domain_not_proven",
          `No TXT record ${expected.recordName} with the value ${expected.recordValue} was found. DNS changes can take a while to appear: check again later.`,
          expected,
        );
      const now = clock.now();
      const outcome = await tx((trx) =>
        repo.proveClaim(trx, { orgId, domain, proof: claim.proof, now }),
      ).catch((error: unknown) => {
        // PostgreSQL: another organization's proof committed between our two statements.
        if (!repo.isUniqueViolation(error)) throw error;
        throw new ConflictError(
          "sso_domain_taken",
          `Another organization proved ${domain} at the same moment. Check again.`,
          { domain },
        );
      });
      if (!outcome.proven)
        throw new NotFoundError(
          "sso_domain_not_found",
          `This organization no longer claims ${domain} with this proof.`,
        );
      return { settings: await settings(orgId), movedFrom: outcome.movedFrom };
    },

    /** Runs discovery at the issuer and says what it found; nothing is stored. */
    async test(issuer: string) {
      const typed = issuer.trim();
      try {
        return describeProvider(await discover(typed, "hushlink-test"));
      } catch (error) {
        // A trailing slash too many or too few is the usual slip: the answer names the right one.
        const other = typed.endsWith("/") ? typed.replace(/\/+$/, "") : `${typed}/`;
        try {
          return describeProvider(await discover(other, "hushlink-test"));
        } catch {
          throw error;
        }
      }
    },

    /** Whether the address's domain signs in through SSO: by domain only, never by account. */
    async discover(email: string) {
      const provider = await providerFor(email);
      if (!provider) return { sso: false, startUrl: null };
      const query = new URLSearchParams({ email });
      return { sso: true, startUrl: `/api/v1/auth/sso/start?${query.toString()}` };
    },

    /**
     * Password sign-in is refused for members of an organization that requires SSO whose
     * address is at one of its domains, except for its break-glass admins. Not for anyone else
     * at the domain: a domain is only listed, never proven, so an organization must not lock
     * out accounts it does not have.
     */
    checkPasswordAllowed: async (userId: string, email: string) => {
      const row = await repo.findByDomain(database.db, domainOf(email));
      if (!row || row.enabled !== 1 || row.require_sso !== 1) return;
      if (!(await repo.isMember(database.db, row.org_id, userId))) return;
      if (await repo.isBreakGlass(database.db, row.org_id, userId)) return;
      throw new ForbiddenError(
        "sso_required",
        "Your organization signs you in through its identity provider. Use single sign-on.",
      );
    },

    start: login.start,
    callback: login.callback,
  };
}

export type SsoService = ReturnType<typeof createSsoService>;
