/**
 * An SSO sign-in: `start` sends the browser to the provider (authorization code, PKCE S256,
 * state, nonce); `callback` takes the sign-in under way once, lets openid-client check the code
 * exchange and the ID token, then checks what is ours to check (a verified address of a domain
 * the organization owns) and signs the person in. Every failure is a reason, never a session.
 */
import type { Kysely } from "kysely";

import { Email } from "@hushlink/protocol";

import { writeTransaction } from "../../db/database.js";
import type { Database } from "../../db/schema.js";
import { openWithRootKey, sealWithRootKey } from "../../lib/sealing.js";
import { hashToken, newId, newToken } from "../../lib/tokens.js";
import {
  authorizationUrl,
  exchange,
  newLoginSecrets,
  type LoginSecrets,
  type ProviderCache,
} from "./sso.client.js";
import * as repo from "./sso.repository.js";
import type { SsoDeps } from "./sso.service.js";

/** How long the provider may take to send the person back. */
export const SSO_LOGIN_TTL_MS = 10 * 60 * 1000;
/** An account made by SSO has no password: no Argon2id hash ever verifies against this. */
const NO_PASSWORD = "!sso";

export type SsoFailure =
  "not_configured" | "state" | "provider" | "token" | "email_unverified" | "domain" | "identity";

/**
 * The address's account already answers to another subject of this provider: the provider gave
 * the address to someone else, who must not take over the account (nor get a second one).
 */
class IdentityConflict extends Error {}

export type SsoOutcome =
  | {
      ok: true;
      userId: string;
      orgId: string;
      returnTo: string;
      session: Awaited<ReturnType<SsoDeps["createSession"]>>;
    }
  /** `orgId`: the organization whose sign-in failed, once the state has said which. */
  | { ok: false; reason: SsoFailure; orgId?: string };

/** Only a path of this site: `/x`, never `//host`, `/\host` or a scheme. */
export function safeReturnTo(value: string | undefined): string {
  if (!value || value.length > 500) return "/";
  return /^\/(?![/\\])[^\s\\]*$/.test(value) ? value : "/";
}

const loginAad = (stateHash: string) => `sso_logins.sealed.${stateHash}`;

export function createSsoLogin(
  deps: SsoDeps & {
    redirectUri: string;
    providerFor: (email: string) => Promise<{
      orgId: string;
      issuer: string;
      clientId: string;
      clientSecret: () => string;
    } | null>;
    providerOf: (
      orgId: string,
    ) => Promise<Awaited<ReturnType<ProviderCache["configuration"]>> | null>;
    configuration: ProviderCache["configuration"];
  },
) {
  const { database, clock, rootKeys, redirectUri } = deps;
  const fail = (reason: SsoFailure, orgId?: string): SsoOutcome => ({ ok: false, reason, orgId });

  return {
    /** The provider's authorization URL and the state the browser keeps in a cookie. */
    start: async (email: string, returnTo: string | undefined) => {
      const provider = await deps.providerFor(email);
      if (!provider) return null;
      const { config } = await deps.configuration(
        provider.issuer,
        provider.clientId,
        provider.clientSecret(),
      );
      const state = newToken();
      const secrets = newLoginSecrets();
      const stateHash = hashToken(state);
      const now = clock.now();
      await repo.insertLogin(
        database.db,
        {
          state_hash: stateHash,
          org_id: provider.orgId,
          sealed: sealWithRootKey(rootKeys[0]!, JSON.stringify(secrets), loginAad(stateHash)),
          return_to: safeReturnTo(returnTo),
          expires_at: now + SSO_LOGIN_TTL_MS,
        },
        now,
      );
      return { url: await authorizationUrl(config, redirectUri, state, secrets), state };
    },

    /** `query` is the callback's query string; `cookieState` the state this browser started. */
    callback: async (
      query: URLSearchParams,
      cookieState: string | undefined,
    ): Promise<SsoOutcome> => {
      const state = query.get("state");
      // The state must be the one this browser started with (no login CSRF), and unspent.
      if (!state || state !== cookieState) return fail("state");
      const stateHash = hashToken(state);
      const login = await repo.takeLogin(database.db, stateHash, clock.now());
      if (!login) return fail("state");
      const secrets = JSON.parse(
        openWithRootKey(rootKeys, login.sealed, loginAad(stateHash)),
      ) as LoginSecrets;
      const provider = await deps.providerOf(login.org_id).catch(() => null);
      if (!provider) return fail("provider", login.org_id);
      if (query.has("error")) return fail("provider", login.org_id);
      const callbackUrl = new URL(redirectUri);
      callbackUrl.search = query.toString();
      let claims;
      try {
        claims = await exchange(provider.config, callbackUrl, state, secrets);
      } catch {
        return fail("token", login.org_id);
      } finally {
        provider.remember();
      }
      if (claims.email_verified !== true) return fail("email_unverified", login.org_id);
      const email = Email.safeParse(claims.email);
      if (!email.success) return fail("email_unverified", login.org_id);
      const address = email.data;
      const domain = address.slice(address.lastIndexOf("@") + 1);
      if (!(await repo.domainOwnedBy(database.db, login.org_id, domain)))
        return fail("domain", login.org_id);
      const name = typeof claims.name === "string" ? claims.name.slice(0, 200) : null;

      // Checked by openid-client: the ID token's issuer is the provider's, `sub` is present.
      const issuer = String(claims.iss);
      const subject = String(claims.sub);

      try {
        return await writeTransaction(database, async (trx: Kysely<Database>) => {
          const now = clock.now();
          // The subject, not the address, says who this is: an address changed at the provider
          // still signs in to the same account, and never to the account of the new address.
          let userId = await repo.findIdentity(trx, issuer, subject);
          if (userId === undefined) {
            const newUserId = newId();
            await repo.insertUserUnlessTaken(trx, {
              id: newUserId,
              email: address,
              name,
              password_hash: NO_PASSWORD,
              email_verified_at: now,
              signup_browser_hash: null,
              locked_until: null,
              created_at: now,
            });
            const user = await repo.findUserByEmail(trx, address);
            if (!user) throw new Error("account vanished during SSO sign-in");
            if (await repo.hasIdentityAt(trx, user.id, issuer)) throw new IdentityConflict();
            // Domains are listed by an admin, never proven: a provider vouches for a confirmed
            // account only once it is a member of the organization (before, any admin listing
            // the domain could sign in to anyone's account with a provider they ran).
            if (
              user.id !== newUserId &&
              user.email_verified_at !== null &&
              !(await repo.isMember(trx, login.org_id, user.id))
            )
              throw new IdentityConflict();
            // An existing account is linked: the provider has just proven the address. Its
            // password goes too, as with a verification link opened in another browser: whoever
            // typed the address at sign-up chose it, and may not own the inbox (a reset from the
            // inbox sets a new one).
            if (user.email_verified_at === null) {
              await deps.wipeUnprovenHolder(trx, user.id, null);
              await repo.markVerified(trx, user.id, now, NO_PASSWORD);
            }
            // One statement that loses quietly to a concurrent first sign-in of the same
            // subject; the read after it says which account won.
            await repo.insertIdentity(trx, { issuer, subject, user_id: user.id, created_at: now });
            if ((await repo.findIdentity(trx, issuer, subject)) !== user.id)
              throw new IdentityConflict();
            userId = user.id;
          }
          await repo.joinAsMember(trx, login.org_id, userId, now);
          const session = await deps.createSession(trx, userId, "sso");
          return {
            ok: true as const,
            userId,
            orgId: login.org_id,
            returnTo: login.return_to,
            session,
          };
        });
      } catch (error) {
        if (error instanceof IdentityConflict) return fail("identity", login.org_id);
        throw error;
      }
    },
  };
}
