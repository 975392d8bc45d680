/**
 * Who is calling: resolved once per request from the session cookie or a bearer token, and only
 * when one is present, so anonymous traffic (most shares) never touches the accounts tables.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

import { isSupportedLocale, type ApiTokenScope, type SupportedLocale } from "@hushlink/protocol";

import type { Clock } from "../../clock.js";
import type { DatabaseHandle } from "../../db/database.js";
import { isDiskFull } from "../../db/group-commit.js";
import type { Role } from "../../db/schema.js";
import { ForbiddenError, NotFoundError, UnauthorizedError } from "../../errors.js";
import { domainOf, type Member } from "../../lib/people.js";
import { hashToken, safeEqual } from "../../lib/tokens.js";
import * as repo from "./auth.repository.js";
import type { ProofCaller } from "./recent-proof.js";
import { checkTokenScope, openWithoutSecondFactor } from "./token-scope.js";

export const SESSION_COOKIE = "hl_session";
export const CSRF_COOKIE = "hl_csrf";
export const CSRF_HEADER = "x-csrf-token";
export const SESSION_IDLE_MS = 7 * 24 * 3600 * 1000;
export const SESSION_ABSOLUTE_MS = 30 * 24 * 3600 * 1000;
/** last_seen_at is refreshed at most this often, so busy sessions do not write on every request. */
const TOUCH_EVERY_MS = 60 * 1000;

/**
 * A touch the disk has no room for is skipped: on a full disk (SQLite, db/disk-reserve.ts) only
 * destructions are written, and a signed-in member deleting shares or an account, the way to
 * free room, must not be refused for the bookkeeping of their session (a later request touches it).
 */
function unlessDiskFull(error: unknown): void {
  if (!isDiskFull(error)) throw error;
}

export interface AuthContext {
  user: {
    id: string;
    email: string;
    name: string | null;
    emailVerified: boolean;
    /** The language the account picked (F17); null: none. */
    locale: SupportedLocale | null;
  };
  orgs: { id: string; name: string; role: Role }[];
  /** Has a second factor; an organization of the account requires one (F16). */
  secondFactor: { enabled: boolean; required: boolean };
  via: "session" | "token";
  /** What the bearer token may do (token auth only); null for a session. */
  tokenScope: ApiTokenScope | null;
  /** Hash of the session token (session auth only), to sign out exactly this session. */
  sessionHash: string | null;
  /** When the session's sign-in happened (session auth only): a recent one proves identity. */
  signedInAt: number | null;
}

declare module "fastify" {
  interface FastifyRequest {
    auth: AuthContext | null;
  }
}

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export async function loadUser(database: Pick<DatabaseHandle, "db">, userId: string) {
  const user = await repo.findUser(database.db, userId);
  if (!user) return null;
  const rows = await repo.orgsOf(database.db, userId, domainOf(user.email));
  const orgs = rows.map(({ id, name, role }) => ({ id, name, role }));
  const secondFactor = await repo.secondFactorOf(database.db, userId);
  return {
    user: {
      id: user.id,
      email: user.email,
      name: user.name,
      emailVerified: user.email_verified_at !== null,
      // A tag this version does not speak (written by a newer one) reads as none picked.
      locale: isSupportedLocale(user.locale) ? user.locale : null,
    },
    orgs,
    secondFactor,
    // PostgreSQL answers EXISTS as a boolean, SQLite as 1 or 0.
    ssoRequired: rows.some((row) => Boolean(row.sso_required)),
  };
}

function checkSecondFactor(auth: AuthContext, url: string | undefined) {
  if (auth.secondFactor.required && !auth.secondFactor.enabled && !openWithoutSecondFactor(url))
    throw new ForbiddenError(
      "second_factor_required",
      "Your organization requires two-step sign-in. Set up an authenticator app in your account first.",
    );
}

function sameOrigin(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true; // Non-browser clients send none; browsers always do on POST.
  try {
    // Both through URL, so default ports compare equal ("localhost" and "localhost:80").
    const originUrl = new URL(origin);
    return originUrl.host === new URL(`${originUrl.protocol}//${request.headers.host ?? ""}`).host;
  } catch {
    return false;
  }
}

export function registerAuthContext(
  app: FastifyInstance,
  deps: { database: Pick<DatabaseHandle, "db">; clock: Clock },
): void {
  const { database, clock } = deps;
  app.decorateRequest("auth", null);

  const authenticate = async (request: FastifyRequest, reply: FastifyReply) => {
    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization);
      if (!match?.[1])
        throw new UnauthorizedError(
          "invalid_token",
          "The Authorization header must be 'Bearer <token>'.",
        );
      const now = clock.now();
      const found = await repo.findApiToken(database.db, hashToken(match[1]));
      // An expired token answers as an unknown one: nothing tells a finder it once worked.
      const row = found && (found.expires_at === null || now < found.expires_at) ? found : null;
      const loaded = row ? await loadUser(database, row.user_id) : null;
      if (!row || !loaded)
        throw new UnauthorizedError(
          "invalid_token",
          "This API token is not valid. Create a new one in the dashboard.",
        );
      checkTokenScope(row.scope, request.method, request.routeOptions.url);
      if (row.last_used_at === null || now - row.last_used_at > TOUCH_EVERY_MS) {
        await repo.touchApiToken(database.db, row.id, now).catch(unlessDiskFull);
      }
      request.auth = {
        ...loaded,
        via: "token",
        tokenScope: row.scope,
        sessionHash: null,
        signedInAt: null,
      };
      checkSecondFactor(request.auth, request.routeOptions.url);
      return; // Bearer calls carry no ambient credentials, so they need no CSRF token.
    }

    if (crossSite(request)) throw crossSiteError();
    const token = request.cookies[SESSION_COOKIE];
    if (!token) return;
    const now = clock.now();
    const sessionHash = hashToken(token);
    const session = await repo.findSession(database.db, sessionHash);
    if (!session || session.expires_at <= now || session.last_seen_at + SESSION_IDLE_MS <= now) {
      staleCookie(request);
      return;
    }
    if (UNSAFE.has(request.method)) {
      const header = request.headers[CSRF_HEADER];
      if (typeof header !== "string" || !safeEqual(header, session.csrf_token)) {
        throw new ForbiddenError(
          "csrf_failed",
          "The X-CSRF-Token header is missing or wrong. Reload the page and try again.",
        );
      }
    }
    const loaded = await loadUser(database, session.user_id);
    if (!loaded) {
      staleCookie(request);
      return;
    }
    if (loaded.ssoRequired && session.method !== "sso") {
      // Pages take no credentials (token-scope.ts): there the session is simply not used.
      if (!request.routeOptions.url?.startsWith("/api/")) return;
      // requireSso holds on every request, not only at the next sign-in: a session made by
      // password or passkey before an admin switched it on ends here. The row stays, so
      // switching requireSso off again gives it back; the cookies go, so the browser stops.
      void reply.clearCookie(SESSION_COOKIE, { path: "/" });
      void reply.clearCookie(CSRF_COOKIE, { path: "/" });
      throw ssoRequired();
    }
    if (now - session.last_seen_at > TOUCH_EVERY_MS) {
      await repo.touchSession(database.db, sessionHash, now).catch(unlessDiskFull);
    }
    request.auth = {
      ...loaded,
      via: "session",
      tokenScope: null,
      sessionHash,
      signedInAt: session.created_at,
    };
    checkSecondFactor(request.auth, request.routeOptions.url);
  };

  // Most calls carry no credentials (anonymous shares and their reads): those are answered here
  // without a promise, which is a promise and a microtask less on every such request (issue 24).
  // The cookies are parsed here too, as @fastify/cookie's own onRequest hook did (app.ts
  // registers it with `hook: false`): one step of the chain and its Map less on every request.
  // `reply.setCookie` still works, since the plugin's onSend hook writes what it was given.
  app.addHook("onRequest", function authContext(request, reply, done) {
    request.auth = null;
    const cookieHeader = request.headers.cookie;
    request.cookies = cookieHeader ? app.parseCookie(cookieHeader) : {};
    if (request.headers.authorization === undefined && !request.cookies[SESSION_COOKIE]) {
      done(crossSite(request) ? crossSiteError() : undefined);
      return;
    }
    authenticate(request, reply).then(() => done(), done);
  });
}

/**
 * Requests whose `hl_session` named no live session (ended, signed out, revoked, or its account
 * gone): a WeakSet rather than a request decorator, so requests without one pay nothing.
 */
const staleSessions = new WeakSet<FastifyRequest>();

/**
 * Such a request goes on as an anonymous one. Only the answers that need to tell the browser it is
 * signed out clear the cookies (`clearStaleSession`): GET /api/v1/auth/me, which the web app asks
 * at start, and the creates' refusal. Any other answer may arrive after the user signed in again
 * in another tab, and clearing on it would sign out that fresh session (a Set-Cookie cannot say
 * "only if the value is still the old one").
 */
function staleCookie(request: FastifyRequest): void {
  staleSessions.add(request);
}

/** Clears hl_session and hl_csrf on this answer when the request's session cookie was stale. */
export function clearStaleSession(request: FastifyRequest, reply: FastifyReply): void {
  if (request.auth !== null || !staleSessions.has(request)) return;
  void reply.clearCookie(SESSION_COOKIE, { path: "/" });
  void reply.clearCookie(CSRF_COOKIE, { path: "/" });
}

/**
 * 401 `login_required` when the caller sent a session cookie that no longer resolves (SPEC,
 * "A stale session cookie"): for creates that would otherwise quietly become anonymous, out of
 * their author's dashboard and under anonymous limits. The answer clears the cookie.
 */
export function refuseStaleSession(request: FastifyRequest, reply: FastifyReply): void {
  if (request.auth === null && staleSessions.has(request)) {
    clearStaleSession(request, reply);
    throw new UnauthorizedError(
      "login_required",
      "Your session has ended. Sign in again, or send this again to create it without an account.",
    );
  }
}

/** What the creates' OpenAPI descriptions say of `refuseStaleSession`. */
export const STALE_SESSION_NOTE =
  "An hl_session cookie that names no live session (signed out, revoked, expired) and no " +
  "bearer token: 401 login_required, nothing is created, and the answer clears the session " +
  "cookies, so a request sent again without them creates without an account.";

/** 401: the session was not made through the organization's provider (SPEC F15, requireSso). */
export function ssoRequired(): UnauthorizedError {
  return new UnauthorizedError(
    "sso_required",
    "Your organization signs you in through its identity provider. Sign in again with single sign-on.",
  );
}

function crossSite(request: FastifyRequest): boolean {
  return UNSAFE.has(request.method) && !sameOrigin(request);
}

function crossSiteError(): ForbiddenError {
  return new ForbiddenError("csrf_failed", "This request came from another site and was refused.");
}

/** The `Me` answer of a signed-in caller. */
export function toMe(auth: Pick<AuthContext, "user" | "orgs" | "secondFactor">) {
  return { user: auth.user, orgs: auth.orgs, secondFactor: auth.secondFactor };
}

/** The signed-in caller, or 401. */
export function requireUser(request: FastifyRequest): AuthContext {
  if (!request.auth) throw new UnauthorizedError();
  return request.auth;
}

/** The signed-in caller as the owner checks of shares and requests take them (a Member), or 401. */
export function requireCaller(request: FastifyRequest): Member {
  const { user, orgs } = requireUser(request);
  return { id: user.id, orgs };
}

/**
 * The signed-in caller with a confirmed address, or 403 `email_not_verified`. Until the address is
 * proven, the account may belong to someone who typed another person's address at sign-up: it may
 * sign in, share with "anyone" as an anonymous visitor would, and change its password, but it
 * cannot create API tokens, join or build organization content, or make the server mail others.
 */
export function requireVerified(request: FastifyRequest): AuthContext {
  const auth = requireUser(request);
  if (!auth.user.emailVerified) throw unverified();
  return auth;
}

export const unverified = () =>
  new ForbiddenError(
    "email_not_verified",
    "Confirm your e-mail address first: open the link we sent you (or ask for a new one).",
  );

/**
 * The caller's membership in `orgId` (default: their first organization). An organization the
 * caller does not belong to answers 404, like one that does not exist.
 */
export function requireMember(request: FastifyRequest, orgId?: string) {
  const auth = requireUser(request);
  const org = orgId === undefined ? auth.orgs[0] : auth.orgs.find((o) => o.id === orgId);
  if (!org) throw new NotFoundError("org_not_found", "No such organization.");
  return { auth, org };
}

/** An admin of `orgId` with a confirmed address: everything admins do reaches other people. */
export function requireAdmin(request: FastifyRequest, orgId?: string) {
  const member = requireMember(request, orgId);
  if (!member.auth.user.emailVerified) throw unverified();
  if (member.org.role !== "admin")
    throw new ForbiddenError("admin_required", "Only organization admins can do this.");
  return member;
}

/**
 * An admin's caller as recent-proof.ts wants it, with the `password` the body carried: for the
 * changes a stolen admin session must not make alone (SSO, admins, webhooks).
 */
export function adminProof(
  request: FastifyRequest,
  admin: { auth: AuthContext },
  password: string | undefined,
): ProofCaller {
  const { user, signedInAt } = admin.auth;
  return { user, ip: request.ip, password, signedInAt };
}

/** What each guard above can answer, for the routes' `schema.errors`. */
export const USER_ERRORS = ["login_required"] as const;
export const VERIFIED_ERRORS = [...USER_ERRORS, "email_not_verified"] as const;
export const MEMBER_ERRORS = [...USER_ERRORS, "org_not_found"] as const;
export const ADMIN_ERRORS = [...MEMBER_ERRORS, "email_not_verified", "admin_required"] as const;
