/**
 * The OpenID Connect relying party, on openid-client: discovery, the authorization URL and the
 * code exchange, whose ID token checks (issuer, audience, signature by the provider's JWKS,
 * expiry, nonce) are openid-client's. Nothing here parses a JWT by hand.
 */
import * as oidc from "openid-client";

import { BadRequestError } from "../../errors.js";

const DISCOVERY_TIMEOUT_S = 10;

/** Plain HTTP only for a provider on this machine (development, and the tests' provider). */
function isLoopback(url: URL) {
  return ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
}

export function discoveryFailed(issuer: string) {
  return new BadRequestError(
    "sso_discovery_failed",
    `No OpenID Connect provider configuration could be read from ${issuer}/.well-known/openid-configuration.`,
  );
}

const executeFor = (url: URL) => [
  // The ID token's signature is checked against the provider's JWKS even though it came
  // straight from the token endpoint (openid-client would otherwise rely on TLS alone).
  oidc.enableNonRepudiationChecks,
  ...(url.protocol === "http:" ? [oidc.allowInsecureRequests] : []),
];

export async function discover(
  issuer: string,
  clientId: string,
  clientSecret?: string,
): Promise<oidc.Configuration> {
  const url = new URL(issuer);
  if (url.protocol !== "https:" && !isLoopback(url)) throw discoveryFailed(issuer);
  try {
    // client_secret_basic: the default of OpenID Connect, which every provider supports.
    const auth = clientSecret === undefined ? undefined : oidc.ClientSecretBasic(clientSecret);
    return await oidc.discovery(url, clientId, undefined, auth, {
      timeout: DISCOVERY_TIMEOUT_S,
      execute: executeFor(url),
    });
  } catch {
    throw discoveryFailed(issuer);
  }
}

/** How long a provider's discovery document is used before it is read again. */
export const DISCOVERY_TTL_MS = 60 * 60 * 1000;
/** How long its keys are used before they are read again (an unknown `kid` reads them sooner). */
export const JWKS_TTL_MS = 10 * 60 * 1000;
/**
 * oauth4webapi reads the keys again for an unknown `kid` only once its copy is this old (and
 * drops a copy of 300 s); the copy is handed over as exactly this old, so our TTL decides when it
 * is stale and a rotated key is always looked for once.
 */
const KEY_REFETCH_AGE_S = 60;

type JwksCache = Parameters<typeof oidc.setJwksCache>[1];

interface CachedProvider {
  metadata: oidc.ServerMetadata;
  discoveredAt: number;
  jwks?: { keys: JwksCache["jwks"]; uat: number; loadedAt: number };
}

/**
 * Discovery documents and keys per issuer, so a sign-in does not fetch them again (two requests
 * to the provider per sign-in, plus one per key rotation). Per process: each instance keeps its
 * own, which only costs each its first fetch.
 */
export function createProviderCache(now: () => number) {
  const byIssuer = new Map<string, CachedProvider>();

  async function configuration(issuer: string, clientId: string, clientSecret: string) {
    let entry = byIssuer.get(issuer);
    if (!entry || now() - entry.discoveredAt >= DISCOVERY_TTL_MS) {
      const found = await discover(issuer, clientId, clientSecret);
      entry = { metadata: found.serverMetadata(), discoveredAt: now(), jwks: entry?.jwks };
      byIssuer.set(issuer, entry);
    }
    // A copy: oauth4webapi keeps its own keys per metadata object, past our TTL and handover.
    const config = new oidc.Configuration(
      { ...entry.metadata },
      clientId,
      undefined,
      oidc.ClientSecretBasic(clientSecret),
    );
    config.timeout = DISCOVERY_TIMEOUT_S;
    for (const extension of executeFor(new URL(issuer))) extension(config);
    const jwks = entry.jwks;
    const handed = Math.floor(Date.now() / 1000) - KEY_REFETCH_AGE_S;
    if (jwks && now() - jwks.loadedAt < JWKS_TTL_MS)
      oidc.setJwksCache(config, { jwks: jwks.keys, uat: handed });
    const cached = entry;
    /** After a sign-in: keeps the keys it read, if it read any. */
    const remember = () => {
      const used = oidc.getJwksCache(config);
      if (used && used.uat !== handed)
        cached.jwks = { keys: used.jwks, uat: used.uat, loadedAt: now() };
    };
    return { config, remember };
  }

  return { configuration };
}

export type ProviderCache = ReturnType<typeof createProviderCache>;

export function describeProvider(config: oidc.Configuration) {
  const m = config.serverMetadata();
  return {
    issuer: m.issuer,
    authorizationEndpoint: m.authorization_endpoint ?? "",
    tokenEndpoint: m.token_endpoint ?? "",
    jwksUri: m.jwks_uri ?? null,
    scopesSupported: m.scopes_supported ?? [],
    pkce: m.code_challenge_methods_supported?.includes("S256") ?? false,
  };
}

export interface LoginSecrets {
  verifier: string;
  nonce: string;
}

export async function authorizationUrl(
  config: oidc.Configuration,
  redirectUri: string,
  state: string,
  secrets: LoginSecrets,
): Promise<string> {
  return oidc
    .buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: "openid email profile",
      response_type: "code",
      code_challenge: await oidc.calculatePKCECodeChallenge(secrets.verifier),
      code_challenge_method: "S256",
      state,
      nonce: secrets.nonce,
    })
    .toString();
}

export const newLoginSecrets = (): LoginSecrets => ({
  verifier: oidc.randomPKCECodeVerifier(),
  nonce: oidc.randomNonce(),
});

/** The code exchange; throws on any failed check. Answers the ID token's claims. */
export async function exchange(
  config: oidc.Configuration,
  callbackUrl: URL,
  state: string,
  secrets: LoginSecrets,
) {
  const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
    pkceCodeVerifier: secrets.verifier,
    expectedState: state,
    expectedNonce: secrets.nonce,
    idTokenExpected: true,
  });
  const claims = tokens.claims();
  if (!claims) throw new Error("no ID token");
  if (claims.email !== undefined) return claims;
  // Providers that keep the ID token small (OpenID Connect Core 5.4) give the address through
  // UserInfo; openid-client checks that it describes the ID token's subject.
  const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
  return { ...claims, email: info.email, email_verified: info.email_verified, name: info.name };
}
