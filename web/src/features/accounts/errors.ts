import { t } from "@lingui/core/macro";

import { activeLocale } from "../../i18n/i18n";
import { SOURCE_LOCALE } from "../../i18n/locales";
import { isApiError, rateLimitedMessage } from "../../lib/api";

/** Words for the errors of the accounts pages; the server's own message where it is specific. */
export function accountErrorMessage(error: unknown): string {
  if (isApiError(error, "sign_in_paused")) return pausedMessage(error.details.retryAt);
  if (isApiError(error, "rate_limited")) return rateLimitedMessage();
  if (isApiError(error, "invalid_request")) {
    const field = firstInvalidField(error.details.issues);
    if (field?.name === "email") return t`Enter a valid e-mail address.`;
    // The server words a field's issue in English ("must be at most 1024 characters"): other
    // languages say the translated message of the code rather than mix the two.
    const issue = field?.name === "password" ? field.message : null;
    if (issue && activeLocale() === SOURCE_LOCALE) return t`The password ${issue}.`;
    return error.message;
  }
  if (isApiError(error)) return error.message;
  return t`Something went wrong. Try again.`;
}

/**
 * Sign-in is paused for this address from here after several wrong passwords (the server's
 * back-off): say until when, in the reader's own clock, and what they can do meanwhile.
 */
export function pausedMessage(retryAt: unknown): string {
  const at = typeof retryAt === "string" ? new Date(retryAt) : null;
  if (!at || Number.isNaN(at.getTime())) {
    return t`Too many wrong passwords: signing in to this account is paused for a few minutes. Try again then, or reset your password by e-mail.`;
  }
  // English pages keep the browser's own clock format; others write the time as their language does.
  const locale = activeLocale() === SOURCE_LOCALE ? undefined : activeLocale();
  const time = at.toLocaleTimeString(locale, {
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });
  return t`Too many wrong passwords: signing in to this account is paused until ${time}. Try again then, or reset your password by e-mail.`;
}

/**
 * The body field named by the first issue of a 400 `invalid_request`. The server sends each
 * issue's `path` as one string, "body.email" (server/src/plugins/error-handler.ts).
 */
export function firstInvalidField(
  issues: unknown,
): { name: string; message: string | null } | null {
  if (!Array.isArray(issues) || issues.length === 0) return null;
  const first = issues[0] as { path?: unknown; message?: unknown };
  if (typeof first.path !== "string") return null;
  return {
    name: first.path.replace(/^body\./, ""),
    message: typeof first.message === "string" ? first.message : null,
  };
}

/**
 * Why adding a second factor asks for the password (403 recent_sign_in_required): the session
 * signed in too long ago. Accounts that sign in only through single sign-on have no password.
 */
export const recentProofHint = () =>
  t`You signed in a while ago, so confirm it is you before adding a second factor. If you sign in through single sign-on, sign out and sign in again instead.`;
