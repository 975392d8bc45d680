import { describe, expect, it } from "vitest";

import {
  AppError,
  BadRequestError,
  ConflictError,
  ForbiddenError,
  TooLargeError,
  TooManyRequestsError,
} from "./errors.js";

// The classes that share withStatus: what the error handler and the logs read from each.
describe("errors of one status", () => {
  it.each([
    [new BadRequestError("invalid_request", "Bad.", { field: "f" }), 400, "BadRequestError"],
    [new ForbiddenError("csrf_failed", "No.", { field: "f" }), 403, "ForbiddenError"],
    [new ConflictError("email_taken", "Taken.", { field: "f" }), 409, "ConflictError"],
    [new TooLargeError("too_large", "Big.", { field: "f" }), 413, "TooLargeError"],
    [
      new TooManyRequestsError("rate_limited", "Slow.", { field: "f" }),
      429,
      "TooManyRequestsError",
    ],
  ])("%o answers its status, keeps its name, code, message and details", (error, status, name) => {
    expect(error).toBeInstanceOf(AppError);
    expect(error).toBeInstanceOf(Error);
    expect(error.statusCode).toBe(status);
    expect(error.name).toBe(name);
    expect(error.details).toEqual({ field: "f" });
    expect(error.message).toMatch(/\.$/);
  });

  it("takes no details as none", () => {
    const error = new ConflictError("email_taken", "Taken.");
    expect(error.details).toEqual({});
    expect(error.code).toBe("email_taken");
    expect(error).not.toBeInstanceOf(ForbiddenError);
  });
});
