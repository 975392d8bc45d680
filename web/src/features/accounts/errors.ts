import { isApiError } from "../../lib/api";

/** Words for the errors of the accounts pages; the server's own message where it is specific. */
export function accountErrorMessage(error: unknown): string {
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
