/**
 * Errors the API answers with. Services throw these; the error-handler plugin turns them into
 * `{"error": {"code", "message", ...details}}`. Messages are for people and never carry secrets.
 * Every code is one of the protocol's catalogue (`ERRORS`), and each class takes only the codes
 * the catalogue gives its status, so a new code is added there first, with its meaning.
 */
import type { ErrorCode, ErrorCodeWith } from "@hushlink/protocol";

export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * The class of a status whose errors take the caller's message and optional details; its codes
 * are the catalogue's for that status. Each status still gets a named class of its own (for
 * `instanceof`, and `name` in logs), as below.
 */
function withStatus<S extends number>(status: S) {
  return class extends AppError {
    constructor(code: ErrorCodeWith<S>, message: string, details?: Record<string, unknown>) {
      super(status, code, message, details);
    }
  };
}

export class BadRequestError extends withStatus(400) {}

export class UnauthorizedError extends AppError {
  constructor(code: ErrorCodeWith<401> = "login_required", message = "Sign in to continue.") {
    super(401, code, message);
  }
}

export class ForbiddenError extends withStatus(403) {}

export class NotFoundError extends AppError {
  constructor(code: ErrorCodeWith<404>, message: string) {
    super(404, code, message);
  }
}

export class ConflictError extends withStatus(409) {}

export class GoneError extends AppError {
  constructor(code: ErrorCodeWith<410>, message: string, details: Record<string, unknown>) {
    super(410, code, message, details);
  }
}

export class TooLargeError extends withStatus(413) {}

export class UnsupportedMediaTypeError extends AppError {
  constructor(code: ErrorCodeWith<415>, message: string) {
    super(415, code, message);
  }
}

export class UnavailableError extends AppError {
  constructor(message = "The service is temporarily unavailable. Try again in a moment.") {
    super(503, "unavailable", message);
  }
}

export class TooManyRequestsError extends withStatus(429) {}
