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
      // The ID token's signature is checked against the provider's JWKS even though it came
      // straight from the token endpoint (openid-client would otherwise rely on TLS alone).
      execute: [
        oidc.enableNonRepudiationChecks,
        ...(url.protocol === "http:" ? [oidc.allowInsecureRequests] : []),
      ],
    });
  } catch {
    throw discoveryFailed(issuer);
  }
}

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
