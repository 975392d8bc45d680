/**
 * What an API token's scope lets it call (issue 25), judged on the route's pattern before any
 * handler runs, so no route can forget it. Pages, health checks and the OpenAPI document are not
 * the API and take no credentials: only `/api/` routes are judged.
 */
import type { ApiTokenScope } from "@hushlink/protocol";

import { ForbiddenError } from "../../errors.js";

const READS = new Set(["GET", "HEAD"]);

/**
 * Besides the share routes, a `shares` token may ask who it acts for (`hushlink login` does)
 * and read the public limits every client checks before encrypting.
 */
const SHARES_EXTRAS = new Set(["/api/v1/auth/me", "/api/v1/config"]);

/** No token creates tokens: a leaked one cannot outlive its expiry or its revocation that way. */
const TOKEN_CREATION = "POST /api/v1/tokens";

/**
 * Nor does any token change how its account signs in. A passkey added through a leaked token
 * signs in alone after the token's revocation, and an authenticator app added through one locks
 * the owner out; removing a factor or changing the password takes the password, which with a
 * token would get round the second factor. (Deleting the account stays open to a `full` token.)
 */
function changesSignIn(method: string, route: string): boolean {
  if (READS.has(method)) return false;
  return route.startsWith("/api/v1/auth/second-factor") || route === "/api/v1/auth/password";
}

export function scopeAllows(scope: ApiTokenScope, method: string, route: string): boolean {
  if (!route.startsWith("/api/")) return true;
  if (`${method} ${route}` === TOKEN_CREATION || changesSignIn(method, route)) return false;
  switch (scope) {
    case "full":
      return true;
    case "read":
      return READS.has(method);
    case "shares":
      return (
        route === "/api/v1/shares" ||
        route.startsWith("/api/v1/shares/") ||
        (READS.has(method) && SHARES_EXTRAS.has(route))
      );
  }
}

const REFUSED: Record<Exclude<ApiTokenScope, "full">, string> = {
  read: "This API token may only read (GET). Create a token with a wider scope for this.",
  shares:
    "This API token may only use the share routes. Create a token with a wider scope for this.",
};

/** 403 `token_scope` unless the token's scope covers the route. */
export function checkTokenScope(scope: ApiTokenScope, method: string, route: string | undefined) {
  // No route: the not-found handler answers, which reveals nothing.
  if (route === undefined || scopeAllows(scope, method, route)) return;
  let message: string;
  if (changesSignIn(method, route))
    message =
      "An API token cannot change how the account signs in (second factors, password): sign in to the dashboard for that.";
  else if (scope === "full" || `${method} ${route}` === TOKEN_CREATION)
    message = "An API token cannot create API tokens: sign in to the dashboard for that.";
  else message = REFUSED[scope];
  throw new ForbiddenError("token_scope", message);
}

/**
 * What a member who must have a second factor and has none may still call: their own account
 * (`/api/v1/auth/…`: who am I, enrolment, sign-out, password) and the public configuration.
 */
export function openWithoutSecondFactor(url: string | undefined): boolean {
  if (url === undefined || !url.startsWith("/api/")) return true;
  return url.startsWith("/api/v1/auth/") || url === "/api/v1/config";
}
