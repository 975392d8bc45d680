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

export function scopeAllows(scope: ApiTokenScope, method: string, route: string): boolean {
  if (!route.startsWith("/api/")) return true;
  if (`${method} ${route}` === TOKEN_CREATION) return false;
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
  throw new ForbiddenError(
    "token_scope",
    scope === "full" || `${method} ${route}` === TOKEN_CREATION
      ? "An API token cannot create API tokens: sign in to the dashboard for that."
      : REFUSED[scope],
  );
}

/**
 * What a member who must have a second factor and has none may still call: their own account
 * (`/api/v1/auth/…`: who am I, enrolment, sign-out, password) and the public configuration.
 */
export function openWithoutSecondFactor(url: string | undefined): boolean {
  if (url === undefined || !url.startsWith("/api/")) return true;
  return url.startsWith("/api/v1/auth/") || url === "/api/v1/config";
}
