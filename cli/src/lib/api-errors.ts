/**
 * How a failed call reads for people: an error answer turned into an ApiError with a one-line
 * message and the exit code for its kind, or a connection failure into a CliError naming why.
 */
import { ErrorBody } from "@hushlink/protocol";

import { ApiError, CliError, EXIT, goneMessage } from "./errors.js";

/** errorFromAnswer, with the answer's Retry-After when it gives one in seconds. */
export function refusal(response: Response, body: unknown): ApiError {
  const error = errorFromAnswer(response.status, body, response.statusText);
  const retryAfter = response.headers.get("retry-after")?.trim() ?? "";
  if (/^\d+$/.test(retryAfter)) error.retryAfter = Number(retryAfter);
  return error;
}

/** Words for people, by error code; the server's own message otherwise. */
export function errorFromAnswer(status: number, body: unknown, statusText: string): ApiError {
  const parsed = ErrorBody.safeParse(body);
  if (!parsed.success) {
    return new ApiError(
      `The server answered HTTP ${status} ${statusText}`.trim() + ".",
      status === 401 || status === 403 ? EXIT.denied : EXIT.error,
      status,
      null,
    );
  }
  const { code, message, ...details } = parsed.data.error;
  const withCode = (text: string) => `${text.replace(/\.?$/, ".")} (${code})`;
  switch (code) {
    case "share_gone":
      return new ApiError(
        withCode(goneMessage(details.reason, details.at)),
        EXIT.gone,
        status,
        code,
        details,
      );
    case "share_not_found":
      return new ApiError(
        withCode("This secret does not exist: check that the link is complete"),
        EXIT.notFound,
        status,
        code,
        details,
      );
    case "request_not_found":
      return new ApiError(withCode(message), EXIT.notFound, status, code, details);
    case "wrong_password": {
      const left = details.attemptsRemaining;
      const suffix =
        typeof left === "number"
          ? left > 0
            ? `: ${left} attempt${left === 1 ? "" : "s"} left before the secret is destroyed`
            : ": no attempts left, the secret is destroyed"
          : "";
      return new ApiError(
        withCode(`Wrong password${suffix}`),
        EXIT.password,
        status,
        code,
        details,
      );
    }
    case "email_code_required":
      return new ApiError(
        withCode("This link also needs the code e-mailed to its recipient"),
        EXIT.password,
        status,
        code,
        details,
      );
    case "wrong_email_code": {
      const left = details.attemptsRemaining;
      const suffix =
        typeof left === "number" && left > 0
          ? `: ${left} ${left === 1 ? "try" : "tries"} left for this code`
          : ": this code no longer works, run the command again for a new one";
      return new ApiError(withCode(`Wrong code${suffix}`), EXIT.password, status, code, details);
    }
    case "email_code_expired":
      return new ApiError(
        withCode(
          "That code no longer works (expired after 10 minutes, used, or too many wrong tries): run the command again without --email-code for a new one",
        ),
        EXIT.password,
        status,
        code,
        details,
      );
    case "login_required":
    case "unauthorized":
      return new ApiError(
        withCode(`${message.replace(/\.$/, "")}. Use hushlink login with an API token`),
        EXIT.denied,
        status,
        code,
        details,
      );
    default:
      return new ApiError(
        withCode(message),
        status === 401 || status === 403 ? EXIT.denied : EXIT.error,
        status,
        code,
        details,
      );
  }
}

export function unreachable(base: string, error: unknown, timeoutMs: number): CliError {
  const where = `the server at ${base}`;
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return new CliError(`No answer from ${where} within ${timeoutMs / 1000} s.`);
  }
  const cause = error instanceof Error ? (error.cause as NodeJS.ErrnoException | undefined) : null;
  const reasons: Record<string, string> = {
    ECONNREFUSED: "connection refused",
    ENOTFOUND: "host not found",
    EAI_AGAIN: "host not found (DNS lookup failed)",
    ECONNRESET: "connection reset",
    ETIMEDOUT: "connection timed out",
    EHOSTUNREACH: "host unreachable",
    ENETUNREACH: "network unreachable",
  };
  const reason =
    (cause?.code && reasons[cause.code]) ??
    cause?.message ??
    (error instanceof Error ? error.message : String(error));
  return new CliError(
    `Cannot reach ${where}: ${reason}. Check --server or HUSHLINK_SERVER, and that it is running.`,
  );
}
