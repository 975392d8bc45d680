import type { MessageDescriptor } from "@lingui/core";
import type { GoneReason } from "@hushlink/protocol";

import { activeLocale, i18n } from "../i18n/i18n";
import { CLIENT_ERROR_MESSAGES, ERROR_MESSAGES, isErrorCode } from "../i18n/error-messages";
import { SOURCE_LOCALE } from "../i18n/locales";

/**
 * The one way the pages talk to HTTP API v1: JSON in and out, errors as `ApiError`, and the
 * session's CSRF token echoed in `X-CSRF-Token` on every state change (SPEC §3). Feature
 * modules (features/<feature>/api.ts) build their endpoints on `api`.
 */

/**
 * Every reason of the protocol's GoneReason, a key each: a reason added there fails this type
 * check until it is here (the schema itself stays out of the page's bundle).
 */
const GONE_REASONS: Record<GoneReason, true> = {
  viewed: true,
  expired: true,
  deleted: true,
  locked: true,
  revoked: true,
};

/** The one wording for `rate_limited` (429), on every page. */
export const rateLimitedMessage = (): string => i18n._(ERROR_MESSAGES.rate_limited);

/**
 * What the page says about an error answer: English pages keep the server's own (English, and
 * at times more specific) message; other languages say the translated message of the code.
 */
export function localizedMessage(code: string, serverMessage: string | null): string {
  if (serverMessage !== null && activeLocale() === SOURCE_LOCALE) return serverMessage;
  // A code of the signed-in pages met on a page that did not load their catalog: the server's
  // words this once (i18n.ts loads the rest of the catalogs on the missing message).
  if (isErrorCode(code)) {
    const descriptor = ERROR_MESSAGES[code];
    if (serverMessage === null || descriptor.id in i18n.messages) return i18n._(descriptor);
  }
  return serverMessage ?? i18n._(CLIENT_ERROR_MESSAGES.unexpected_answer);
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    /** The page's own words (a descriptor) are translated when read, not when thrown. */
    message: string | MessageDescriptor,
    /** Extra fields of `error`, e.g. `reason` and `at` for share_gone. */
    readonly details: Record<string, unknown> = {},
  ) {
    super(typeof message === "string" ? message : message.id);
    // The share link's metadata request can fail before the page's catalogs have arrived
    // (boot/early-start.ts): translated then, the message was its id ("q8wOXq").
    if (typeof message !== "string") {
      Object.defineProperty(this, "message", { get: () => i18n._(message) });
    }
    // The class's name in logs and stack traces, never shown on a page.
    // eslint-disable-next-line lingui/no-unlocalized-strings
    this.name = "ApiError";
  }

  /** share_gone: why the secret is gone. */
  get goneReason(): GoneReason | null {
    const reason = this.details.reason;
    return typeof reason === "string" && Object.hasOwn(GONE_REASONS, reason)
      ? (reason as GoneReason)
      : null;
  }

  /** share_gone: when it went. */
  get goneAt(): string | null {
    return typeof this.details.at === "string" ? this.details.at : null;
  }

  /** wrong_password: attempts left before the share locks. */
  get attemptsRemaining(): number | null {
    const n = this.details.attemptsRemaining;
    return typeof n === "number" ? n : null;
  }
}

export const isApiError = (error: unknown, code?: string): error is ApiError =>
  error instanceof ApiError && (code === undefined || error.code === code);

/** The signed-out answer of any endpoint that needs a session. */
export const isUnauthorized = (error: unknown): error is ApiError =>
  error instanceof ApiError && error.status === 401;

/** The value of the readable `hl_csrf` cookie, set together with the httpOnly session cookie. */
export function csrfToken(): string | null {
  const match = /(?:^|;\s*)hl_csrf=([^;]+)/.exec(document.cookie);
  return match?.[1] ? decodeURIComponent(match[1]) : null;
}

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface RequestOptions {
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as is, e.g. an image file; its type becomes the Content-Type. */
  rawBody?: Blob;
  headers?: Record<string, string>;
  /** Query parameters; undefined and null values are left out. */
  query?: Record<string, string | number | null | undefined>;
}

export async function request<T>(
  method: Method,
  path: string,
  options: RequestOptions = {},
): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json", ...options.headers };
  let body: BodyInit | undefined;
  if (options.rawBody !== undefined) {
    body = options.rawBody;
    headers["Content-Type"] = options.rawBody.type || "application/octet-stream";
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["Content-Type"] = "application/json";
  }
  // Harmless without a session (no cookie, no header); required with one.
  const csrf = method === "GET" ? null : csrfToken();
  if (csrf) headers["X-CSRF-Token"] = csrf;

  let url = path;
  if (options.query) {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(options.query)) {
      if (value !== undefined && value !== null) params.set(key, String(value));
    }
    const query = params.toString();
    if (query) url += `?${query}`;
  }

  return answerOf<T>(
    fetch(url, {
      method,
      headers,
      body,
      cache: "no-store",
      credentials: "same-origin",
      referrerPolicy: "no-referrer",
    }),
  );
}

/**
 * A request's answer: its JSON, or an ApiError. Also for a request started before the app ran
 * (boot/early-start.ts, the share page's metadata).
 */
export async function answerOf<T>(pending: Promise<Response>): Promise<T> {
  let response: Response;
  try {
    response = await pending;
  } catch {
    throw new ApiError(0, "network_error", CLIENT_ERROR_MESSAGES.network_error);
  }

  if (response.status === 204) return undefined as T;
  const data: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = typeof data === "object" && data !== null && "error" in data ? data.error : null;
    if (typeof error === "object" && error !== null) {
      const { code, message, ...details } = error as Record<string, unknown>;
      const known = typeof code === "string" ? code : `http_${response.status}`;
      throw new ApiError(
        response.status,
        known,
        localizedMessage(known, typeof message === "string" ? message : null),
        details,
      );
    }
    throw new ApiError(
      response.status,
      `http_${response.status}`,
      CLIENT_ERROR_MESSAGES.unexpected_answer,
    );
  }
  return data as T;
}

export const api = {
  get: <T>(path: string, options?: Omit<RequestOptions, "body" | "rawBody">) =>
    request<T>("GET", path, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    request<T>("POST", path, { ...options, body }),
  put: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    request<T>("PUT", path, { ...options, body }),
  patch: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    request<T>("PATCH", path, { ...options, body }),
  delete: <T = void>(path: string, options?: RequestOptions) => request<T>("DELETE", path, options),
};

/** A path segment from a value (ids, tokens): never lets it add segments or a query. */
export const segment = (value: string) => encodeURIComponent(value);
