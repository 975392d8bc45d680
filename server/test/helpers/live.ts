/**
 * Integration tests over real HTTP: the test app listens on 127.0.0.1, and each client is a
 * browser-like cookie jar over fetch that echoes hl_csrf in X-CSRF-Token on state changes, as the
 * web app does. Concurrent calls are concurrent requests on separate connections.
 */
import type { AddressInfo } from "node:net";

import type { DatabaseHandle } from "../../src/db/database.js";
import type { TestApp } from "./app.js";
import { GOOD_PASSWORD, markVerified, uniqueEmail } from "./accounts.js";

/** The database behind each listening test app, so signupLive can confirm addresses on it. */
const databaseOf = new Map<string, Pick<DatabaseHandle, "db">>();

/** Starts listening on a free loopback port; `t.close()` stops it. Returns the base URL. */
export async function listen(t: TestApp): Promise<string> {
  await t.app.listen({ host: "127.0.0.1", port: 0 });
  const address = t.app.server.address() as AddressInfo;
  const base = `http://127.0.0.1:${address.port}`;
  databaseOf.set(base, t.database);
  return base;
}

export interface LiveAnswer<T = Record<string, unknown>> {
  status: number;
  body: T;
  text: string;
}

export interface CallOptions {
  body?: unknown;
  /** Leave out X-CSRF-Token even though the jar has hl_csrf (default: sent on POST/PUT/DELETE). */
  noCsrf?: boolean;
  headers?: Record<string, string>;
}

export class LiveClient {
  readonly cookies = new Map<string, string>();

  constructor(
    readonly base: string,
    readonly email = "",
  ) {}

  /** Another client with a copy of this one's cookies (the same session in another tab). */
  clone(): LiveClient {
    const copy = new LiveClient(this.base, this.email);
    for (const [name, value] of this.cookies) copy.cookies.set(name, value);
    return copy;
  }

  async call<T = Record<string, unknown>>(
    method: "GET" | "POST" | "PUT" | "DELETE",
    path: string,
    options: CallOptions = {},
  ): Promise<LiveAnswer<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.cookies.size > 0) {
      headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
    }
    const csrf = this.cookies.get("hl_csrf");
    if (method !== "GET" && csrf && !options.noCsrf) headers["x-csrf-token"] = csrf;
    if (options.body !== undefined) headers["content-type"] = "application/json";
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(30_000),
    });
    this.keep(res.headers.getSetCookie());
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as T, text };
  }

  /** Takes in an answer's Set-Cookie lines as a browser does: an expired or empty one deletes. */
  keep(setCookies: readonly string[]): void {
    for (const line of setCookies) {
      const [pair = "", ...attributes] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => {
        const [key = "", val = ""] = a.split("=").map((p) => p.trim());
        return (
          (key.toLowerCase() === "max-age" && Number(val) <= 0) ||
          (key.toLowerCase() === "expires" && Date.parse(val) <= Date.now())
        );
      });
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  get = <T = Record<string, unknown>>(path: string, options?: CallOptions) =>
    this.call<T>("GET", path, options);
  post = <T = Record<string, unknown>>(path: string, body?: unknown, options?: CallOptions) =>
    this.call<T>("POST", path, { ...options, body });
  delete = <T = Record<string, unknown>>(path: string, options?: CallOptions) =>
    this.call<T>("DELETE", path, options);
}

export const errorCodeOf = (answer: LiveAnswer) =>
  (answer.body.error as { code?: string } | undefined)?.code;

async function signedIn(client: LiveClient, path: string, body: unknown, expected: number) {
  const answer = await client.post(path, body);
  if (answer.status !== expected) {
    throw new Error(`${path} answered ${answer.status}: ${answer.text}`);
  }
  if (!client.cookies.has("hl_session")) throw new Error(`${path} set no session cookie`);
  return client;
}

/**
 * Signs up over HTTP, then signs in with the same client, which so holds both the sign-up
 * browser's cookie and a session. On an app started by `listen` the address counts as confirmed
 * (see markVerified) unless `verified: false`.
 */
export async function signupLive(
  base: string,
  email = uniqueEmail(),
  options: { name?: string; password?: string; verified?: boolean; locale?: string } = {},
): Promise<LiveClient> {
  const client = new LiveClient(base, email.toLowerCase());
  const answer = await client.post("/api/v1/auth/signup", signupBody(email, options));
  if (answer.status !== 202) throw new Error(`sign-up answered ${answer.status}: ${answer.text}`);
  const database = databaseOf.get(base);
  if (database && options.verified !== false) await markVerified(database, email);
  return signedIn(
    client,
    "/api/v1/auth/login",
    { email, password: options.password ?? GOOD_PASSWORD },
    200,
  );
}

const signupBody = (
  email: string,
  options: { name?: string; password?: string; locale?: string },
) => ({
  email,
  password: options.password ?? GOOD_PASSWORD,
  ...(options.name ? { name: options.name } : {}),
  ...(options.locale ? { locale: options.locale } : {}),
});

/** The first organization of a signed-in client: after sign-up, their own (as orgIdOf). */
export async function orgIdOfLive(client: LiveClient): Promise<string> {
  const me = await client.get<{ orgs: { id: string }[] }>("/api/v1/auth/me");
  return me.body.orgs[0]!.id;
}

/** Signs in over HTTP in a new client (another device). */
export async function loginLive(
  base: string,
  email: string,
  password = GOOD_PASSWORD,
): Promise<LiveClient> {
  return signedIn(
    new LiveClient(base, email.toLowerCase()),
    "/api/v1/auth/login",
    {
      email,
      password,
    },
    200,
  );
}
