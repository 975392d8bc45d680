import { t } from "@lingui/core/macro";

import { isApiError, rateLimitedMessage } from "../../lib/api";
import { formatBytes } from "../../lib/format";

/** What the page that answers a request (`/r`) says when sending the answer failed. */
export function answerErrorMessage(error: unknown, maxBytes: number): string {
  if (isApiError(error, "rate_limited")) return rateLimitedMessage();
  if (isApiError(error, "payload_too_large") || isApiError(error, "invalid_request")) {
    const limit = formatBytes(maxBytes);
    return t`The secret is too large: the limit is ${limit}.`;
  }
  // No files at all in answers to a request made without an account (ANONYMOUS_MAX_FILE_BYTES=0):
  // whoever answers cannot change who asked, so "sign in" would not help them.
  if (
    isApiError(error, "too_large") &&
    error.details.limit === "ANONYMOUS_MAX_FILE_BYTES" &&
    error.details.max === 0
  ) {
    return t`This request was made without an account: its answer cannot carry files, send text only.`;
  }
  // An ApiError's message is already in the page's language (lib/api.ts, localizedMessage).
  if (error instanceof Error) return error.message;
  return t`Something went wrong. Try again.`;
}
