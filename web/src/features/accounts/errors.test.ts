import { describe, expect, it } from "vitest";

import { ApiError, rateLimitedMessage } from "../../lib/api";
import { accountErrorMessage } from "./errors";

/** A 400 exactly as server/src/plugins/error-handler.ts words it: `path` is one string. */
function invalid(path: string, message: string) {
  return new ApiError(400, "invalid_request", `${path}: ${message}`, {
    issues: [{ path, message }],
  });
}

describe("accountErrorMessage", () => {
  it("reads the server's string paths: the e-mail and password branches run", () => {
    expect(accountErrorMessage(invalid("body.email", "must be a plain e-mail address"))).toBe(
      "Enter a valid e-mail address.",
    );
    expect(accountErrorMessage(invalid("body.password", "must be at most 1024 characters"))).toBe(
      "The password must be at most 1024 characters.",
    );
  });

  it("falls back to the server's message for other fields, and one rate-limit wording", () => {
    expect(accountErrorMessage(invalid("body.name", "is too long"))).toBe("body.name: is too long");
    expect(accountErrorMessage(new ApiError(429, "rate_limited", "Slow down."))).toBe(
      rateLimitedMessage(),
    );
  });
});
