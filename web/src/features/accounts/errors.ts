import { isApiError, RATE_LIMITED_MESSAGE } from "../../lib/api";

/** Words for the errors of the accounts pages; the server's own message where it is specific. */
export function accountErrorMessage(error: unknown): string {
  if (isApiError(error, "rate_limited")) return RATE_LIMITED_MESSAGE;
  if (isApiError(error, "invalid_request")) {
    const field = firstInvalidField(error.details.issues);
    if (field?.name === "email") return "Enter a valid e-mail address.";
    if (field?.name === "password" && field.message) return `The password ${field.message}.`;
    return error.message;
  }
  if (isApiError(error)) return error.message;
  return "Something went wrong. Try again.";
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
