import { isApiError } from "../../lib/api";

/** Words for the errors of the accounts pages; the server's own message where it is specific. */
export function accountErrorMessage(error: unknown): string {
  if (isApiError(error, "sign_in_paused")) return pausedMessage(error.details.retryAt);
  if (isApiError(error, "rate_limited")) {
    return "Too many attempts from your network. Wait a minute and try again.";
  }
  if (isApiError(error, "invalid_request")) {
    const issues = error.details.issues;
    if (Array.isArray(issues) && issues.length > 0) {
      const first = issues[0] as { path?: unknown; message?: unknown };
      const field = Array.isArray(first.path) ? first.path.join(".") : "";
      if (field === "email") return "Enter a valid e-mail address.";
      if (field === "password" && typeof first.message === "string") {
        return `The password ${first.message}.`;
      }
    }
    return error.message;
  }
  if (isApiError(error)) return error.message;
  return "Something went wrong. Try again.";
}

export const MIN_PASSWORD_LENGTH = 10;

/**
 * Sign-in is paused for this address from here after several wrong passwords (the server's
 * back-off): say until when, in the reader's own clock, and what they can do meanwhile.
 */
export function pausedMessage(retryAt: unknown): string {
  const at = typeof retryAt === "string" ? new Date(retryAt) : null;
  const when =
    at && !Number.isNaN(at.getTime())
      ? ` until ${at.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" })}`
      : " for a few minutes";
  return `Too many wrong passwords: signing in to this account is paused${when}. Try again then, or reset your password by e-mail.`;
}
