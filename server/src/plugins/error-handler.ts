/**
 * One place turns every failure into `{"error": {"code", "message"}}`. AppErrors carry their own
 * status and code; Fastify's own errors (bad JSON, wrong content type, body too large) get stable
 * codes; anything else is a 500 that names only the request id, so nothing internal leaks.
 */
import type { FastifyError, FastifyInstance } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";

import type { ErrorCode } from "@hushlink/protocol";

import { AppError } from "../errors.js";

interface ErrorAnswer {
  status: number;
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

const FASTIFY_ERRORS: Record<string, Omit<ErrorAnswer, "details">> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: "unsupported_media_type",
    message: "Send the body as application/json.",
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    code: "invalid_request",
    message: "The Content-Length header does not match the body.",
  },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    code: "payload_too_large",
    message: "The request body is larger than this server accepts.",
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    status: 400,
    code: "invalid_json",
    message: "The body is empty; send a JSON object.",
  },
  FST_ERR_CTP_INVALID_JSON_BODY: {
    status: 400,
    code: "invalid_json",
    message: "The body is not valid JSON.",
  },
  FST_ERR_CTP_EMPTY_TYPE: {
    status: 415,
    code: "unsupported_media_type",
    message: "Send the body as application/json.",
  },
};

/** Headers a streamed answer sets that an error answer in its place must not carry. */
const STREAM_HEADERS = [
  "content-type",
  "content-length",
  "content-range",
  "content-disposition",
  "accept-ranges",
];

/**
 * Faults that mean "try again", not "bug": the database is unreachable, restarting, full, or too
 * busy. They answer 503 `unavailable` with Retry-After. A statement that failed this way did not
 * commit, so nothing was consumed or created on the caller's behalf.
 */
const UNAVAILABLE_CODES = new Set([
  // Network, from pg and ioredis.
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  // PostgreSQL SQLSTATEs: shutting down, starting up, statement_timeout, serialization retry.
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now
  "57014", // query_canceled (statement_timeout)
  "40001", // serialization_failure
  "40P01", // deadlock_detected
  // The database itself went (dropped or renamed while instances run): the operator's to restore.
  "3D000", // invalid_catalog_name
  // SQLite: another writer held the file past busy_timeout, or the disk is full or failing.
  "SQLITE_FULL",
]);
/** Prefixes: PostgreSQL classes 08 (connection exception), 28 (new connections refused: the
 * role's password changed or the role went) and 53 (insufficient resources: disk full, out of
 * memory, too many connections); SQLite's extended busy, locked, I/O and read-only
 * codes; the S3 blob store's failures (BlobStoreError: S3_NoSuchBucket, S3_TimeoutError, …). */
const UNAVAILABLE_PREFIXES = /^(08|28|53)[0-9A-Z]{3}$|^SQLITE_(BUSY|LOCKED|IOERR|READONLY)|^S3_/;
/** pg reports a lost or timed-out connection by message only. */
const UNAVAILABLE_MESSAGES =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Query read timeout|is not queryable|Cannot use a pool after calling end/i;

export function isUnavailable(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  if (!e) return false;
  if (typeof e.code === "string") {
    if (UNAVAILABLE_CODES.has(e.code) || UNAVAILABLE_PREFIXES.test(e.code)) return true;
  }
  return typeof e.message === "string" && UNAVAILABLE_MESSAGES.test(e.message);
}

/** The issue's own params, as fastify-type-provider-zod passes them on. */
function isConfusable(params: unknown): boolean {
  const own = (params as { params?: { code?: unknown } } | undefined)?.params;
  return own?.code === "confusable_domain";
}

export function toErrorAnswer(error: unknown): ErrorAnswer | null {
  if (error instanceof AppError) {
    return {
      status: error.statusCode,
      code: error.code,
      message: error.message,
      details: error.details,
    };
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const issues = error.validation.map((v) => ({
      // "/" is the value itself (a body that is not an object): its path is "body", not "body.".
      path: `${error.validationContext ?? "body"}${v.instancePath.replace(/\/$/, "").replace(/\//g, ".")}`,
      message: v.message ?? "is invalid",
    }));
    const first = issues[0];
    // A lookalike domain (protocol's email-domain.ts) has a code of its own, naming the field.
    const lookalike = error.validation.findIndex((v) => isConfusable(v.params));
    const field = issues[lookalike];
    if (field) {
      return {
        status: 400,
        code: "confusable_domain",
        message: `${field.path}: ${field.message}`,
        details: { field: field.path },
      };
    }
    return {
      status: 400,
      code: "invalid_request",
      message: first ? `${first.path}: ${first.message}` : "The request is invalid.",
      details: { issues },
    };
  }
  const fastifyError = error as Partial<FastifyError>;
  const known = fastifyError.code ? FASTIFY_ERRORS[fastifyError.code] : undefined;
  if (known) return known;
  if (fastifyError.code === "FST_ERR_CTP_INVALID_JSON_BODY" || error instanceof SyntaxError) {
    return { status: 400, code: "invalid_json", message: "The body is not valid JSON." };
  }
  if (isUnavailable(error)) {
    return {
      status: 503,
      code: "unavailable",
      message: "The service is temporarily unavailable. Try again in a moment.",
    };
  }
  const status = fastifyError.statusCode;
  // The bare 4xx errors left come from @fastify/static's file sending: 403 for a path with a NUL
  // or one that leaves its folder (there is no such file to have), 416 for a range past the end.
  if (status === 403) {
    return { status: 404, code: "not_found", message: "There is no file at this path." };
  }
  if (status === 416) {
    return {
      status: 416,
      code: "range_not_satisfiable",
      message: "The requested range is outside the file.",
    };
  }
  if (status !== undefined && status >= 400 && status < 500) {
    return {
      status,
      code: status === 429 ? "rate_limited" : "invalid_request",
      message: "The request could not be processed.",
    };
  }
  return null;
}

/**
 * RFC 9110 asks a 401 to name how to authenticate. The API takes a bearer token (or the web
 * app's session cookie, which browsers send by themselves); a bad token says so (RFC 6750).
 */
export function wwwAuthenticate(code: string): string {
  return code === "invalid_token"
    ? 'Bearer realm="hushlink", error="invalid_token"'
    : 'Bearer realm="hushlink"';
}

export function registerErrorHandler(
  app: FastifyInstance,
  options: {
    notFoundPage?: () => Buffer | null;
    /** The methods a path is served with, so a wrong method answers 405 rather than 404. */
    allowedMethods?: (path: string) => string[];
    /** The app's clock: a 429's Retry-After counts from it to the answer's retryAt. */
    now?: () => number;
  } = {},
): void {
  app.setErrorHandler((error, request, reply) => {
    // A stream that failed before its first byte (a download whose store went away) has already
    // put its headers on the response: they describe bytes that never come, and a JSON error
    // under application/octet-stream is a 500 of Fastify's own.
    for (const name of STREAM_HEADERS) void reply.removeHeader(name);
    // A client that hangs up halfway through its body (a cancelled upload) fails the body's
    // read with ECONNRESET or "aborted": nobody is left to answer, and it is no outage of the
    // database or another dependency, which is what the warning below tells an operator.
    if (request.raw.destroyed && request.raw.readableAborted) {
      request.log.info(
        { errorCode: (error as { code?: unknown }).code },
        "client closed the request",
      );
      return reply.status(400).send({
        error: { code: "invalid_request", message: "The connection closed before the body." },
      });
    }
    const answer = toErrorAnswer(error);
    if (answer) {
      if (answer.status === 503) {
        request.log.warn(
          { code: answer.code, errorCode: (error as { code?: unknown }).code },
          "dependency unavailable",
        );
      } else if (answer.status >= 500) {
        // Not an outage but something the operator must fix (a root key not configured, a
        // value changed in the database); the answer's own words say what, and carry no secret.
        request.log.error({ code: answer.code, message: answer.message }, "server error answered");
      }
      // A route with a body of its own (a chunk's bytes) names its types, not JSON.
      const rawBody = request.routeOptions.config.rawBody;
      const message =
        answer.code === "unsupported_media_type" && rawBody
          ? `Send the body as ${Object.keys(rawBody).join(" or ")}.`
          : answer.message;
      if (answer.status === 503) void reply.header("retry-after", "5");
      // A 429 that names its retryAt (sign_in_paused, mail_limit, email_code_limit) says it in
      // the header clients and proxies read too; the rate limiter sets its own.
      const retryAt = answer.details?.retryAt;
      if (answer.status === 429 && typeof retryAt === "string" && !reply.hasHeader("retry-after")) {
        const ms = Date.parse(retryAt) - (options.now ?? Date.now)();
        void reply.header("retry-after", String(Math.max(1, Math.ceil(ms / 1000))));
      }
      if (answer.status === 401)
        void reply.header("www-authenticate", wwwAuthenticate(answer.code));
      return reply
        .status(answer.status)
        .send({ error: { code: answer.code, message, ...answer.details } });
    }
    // Log the type and stack only: error messages from drivers can quote parameters.
    request.log.error(
      {
        err: {
          type: (error as Error).name,
          // Driver codes (SQLSTATE, SQLITE_*) say what failed without quoting any value.
          code: (error as { code?: unknown }).code,
          stack: (error as Error).stack?.split("\n").slice(1, 6).join("\n"),
        },
      },
      "unhandled error",
    );
    return reply.status(500).send({
      error: {
        code: "internal_error",
        message: `Something went wrong on our side. Quote request id ${request.id} when reporting it.`,
        requestId: request.id,
      },
    });
  });

  app.setNotFoundHandler((request, reply) => {
    // A person who mistypes a page address gets the app's own "not found" page, not JSON.
    const page = options.notFoundPage?.();
    const wantsPage =
      (request.method === "GET" || request.method === "HEAD") &&
      !request.url.startsWith("/api/") &&
      (request.headers.accept ?? "").includes("text/html");
    if (page && wantsPage) {
      return reply
        .status(404)
        .header("cache-control", "no-store")
        .type("text/html; charset=utf-8")
        .send(page);
    }
    const allowed = options.allowedMethods?.(request.url.split("?")[0] ?? "/") ?? [];
    if (allowed.length > 0) {
      return reply
        .status(405)
        .header("allow", allowed.join(", "))
        .send({
          error: {
            code: "method_not_allowed",
            message: `This path does not take ${request.method}; it takes ${allowed.join(", ")}.`,
          },
        });
    }
    return reply.status(404).send({
      error: { code: "not_found", message: `There is no ${request.method} endpoint at this path.` },
    });
  });
}
