import { t } from "@lingui/core/macro";

import { isApiError, isUnauthorized, rateLimitedMessage } from "../../lib/api";
import { signInHref } from "../../lib/return-to";

/**
 * The message for a failed dashboard call. A 401 means the session ended meanwhile (signed out
 * in another tab, expired): go to sign-in and come back to this page.
 */
export function dashboardError(error: unknown): string {
  if (isUnauthorized(error)) {
    window.location.assign(signInHref(window.location.pathname));
    return t`Your session ended. Sign in again.`;
  }
  if (isApiError(error, "rate_limited")) return rateLimitedMessage();
  if (isApiError(error)) return error.message;
  return t`Something went wrong. Try again.`;
}
