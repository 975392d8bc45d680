/**
 * A real OpenID provider (the `oidc-provider` package) on 127.0.0.1 for the SSO tests, with one
 * confidential client. Whoever `signInAs` names is signed in and consents at once (no pages).
 * `tamper` re-signs the ID token the token endpoint answers, to prove each check of the
 * callback fails closed: claims changed under the provider's own key, or any claims under a
 * key that is not the provider's.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

import type { LightMyRequestResponse } from "fastify";
import { decodeJwt, exportJWK, generateKeyPair, SignJWT, type JWTPayload } from "jose";
import Provider from "oidc-provider";

export interface TestAccount {
  sub: string;
  email: string;
  email_verified: boolean;
  name?: string;
}

export interface Tamper {
  claims?: (claims: JWTPayload) => JWTPayload;
  /** Sign with a key the provider never published (same kid). */
  foreignKey?: boolean;
}

export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  signInAs(account: TestAccount): void;
  tamper: Tamper | null;
  /** The path of every request the provider was sent, in order. */
  requests: string[];
  /**
   * Key rotation: from now on the provider publishes a new key beside the old one and signs its
   * ID tokens with it (under a new `kid`).
   */
  rotateKey(): Promise<void>;
  close(): Promise<void>;
}

const KID = "test-key";

async function rsaKey(kid = KID) {
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  return {
    kid,
    privateKey,
    jwk: { ...(await exportJWK(privateKey)), kid, alg: "RS256", use: "sig" },
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" },
  };
}

export async function startTestProvider(redirectUri: string): Promise<TestProvider> {
  const own = await rsaKey();
  const foreign = await rsaKey();
  const clientId = "hushlink";
  const clientSecret = "provider-issued-client-secret-0123456789";
  let current: TestAccount | null = null;
  let rotated: Awaited<ReturnType<typeof rsaKey>> | null = null;
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [redirectUri],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    jwks: { keys: [own.jwk] },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false } },
    findAccount: (_ctx: unknown, id: string) => {
      if (!current || current.sub !== id) return undefined;
      const account = current;
      return { accountId: id, claims: () => account };
    },
  });

  const self: TestProvider = {
    issuer,
    clientId,
    clientSecret,
    tamper: null,
    requests: [],
    signInAs(account) {
      current = account;
    },
    async rotateKey() {
      rotated = await rsaKey(`rotated-${Date.now()}`);
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  provider.use(async (ctx, next) => {
    self.requests.push(ctx.path);
    if (ctx.method === "GET" && ctx.path.startsWith("/interaction/")) {
      const details = await provider.interactionDetails(ctx.req, ctx.res);
      if (!current) throw new Error("signInAs was not called");
      let result: Record<string, unknown>;
      if (details.prompt.name === "login") {
        result = { login: { accountId: current.sub } };
      } else {
        const grant = new provider.Grant({ accountId: current.sub, clientId });
        grant.addOIDCScope(String(details.params.scope));
        result = { consent: { grantId: await grant.save() } };
      }
      ctx.redirect(await provider.interactionResult(ctx.req, ctx.res, result));
      return;
    }
    await next();
    const body = ctx.body as { id_token?: string; keys?: unknown[] } | undefined;
    // A new answer: the provider answers the same key set object every time.
    if (ctx.path === "/jwks" && rotated && body?.keys)
      ctx.body = { ...body, keys: [...body.keys, rotated.publicJwk] };
    if (ctx.path === "/token" && (self.tamper || rotated) && body?.id_token) {
      const claims = decodeJwt(body.id_token);
      const changed = self.tamper?.claims ? self.tamper.claims(claims) : claims;
      const signer = self.tamper?.foreignKey ? foreign : self.tamper ? own : rotated!;
      body.id_token = await new SignJWT(changed)
        .setProtectedHeader({ alg: "RS256", kid: self.tamper?.foreignKey ? KID : signer.kid })
        .sign(signer.privateKey);
    }
  });
  server.on("request", provider.callback());
  return self;
}

/**
 * Follows the provider's redirects as a browser would (its own cookies kept) until it sends the
 * browser back to `until`; answers that URL.
 */
export async function followToCallback(start: string, until: string): Promise<URL> {
  const jar = new Map<string, string>();
  let url = start;
  for (let hop = 0; hop < 20; hop += 1) {
    if (url.startsWith(until)) return new URL(url);
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
    const res = await fetch(url, { redirect: "manual", headers: cookie ? { cookie } : {} });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair!.indexOf("=");
      jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    const location = res.headers.get("location");
    if (!location) throw new Error(`provider stopped at ${url}: ${res.status} ${await res.text()}`);
    url = new URL(location, url).toString();
  }
  throw new Error("too many redirects at the provider");
}

type InjectingApp = {
  inject: (opts: {
    url: string;
    headers?: Record<string, string>;
  }) => Promise<LightMyRequestResponse>;
};

/**
 * A browser's way out to the provider and back, short of the callback: the sign-in started for
 * `email` on `app` (302 to the provider, the state in the httpOnly `hl_sso` cookie, else it
 * throws) and the provider's redirects followed for whoever it signs in. Answers the state, the
 * URL the provider sent back (whole, and as a path and query to inject), and `callback()`, which
 * opens it with the browser's state cookie.
 */
export async function ssoToCallback(
  app: InjectingApp,
  email: string,
  options: { callback: string; returnTo?: string },
) {
  const query = new URLSearchParams({ email });
  if (options.returnTo) query.set("returnTo", options.returnTo);
  const start = await app.inject({ url: `/api/v1/auth/sso/start?${query.toString()}` });
  const state = start.cookies.find((c) => c.name === "hl_sso");
  if (start.statusCode !== 302 || state?.httpOnly !== true)
    throw new Error(`SSO start answered ${start.statusCode} ${start.body}`);
  const back = await followToCallback(start.headers.location as string, options.callback);
  const url = `${back.pathname}${back.search}`;
  const callback = () => app.inject({ url, headers: { cookie: `hl_sso=${state.value}` } });
  return { state: state.value, back, url, callback };
}

/**
 * An SSO sign-in's whole browser round trip on `app`: `ssoToCallback` with the provider signing
 * `account` in, then the callback. Answers the callback's answer, a way to send the same callback
 * again, and the URL the provider sent back.
 */
export async function ssoRoundTrip(
  app: InjectingApp,
  idp: TestProvider,
  account: TestAccount,
  options: { callback: string; returnTo?: string },
) {
  idp.signInAs(account);
  const { back, callback } = await ssoToCallback(app, account.email, options);
  return { res: await callback(), again: callback, back };
}
