/**
 * The 429 and 5xx answers (limits reached, and faults on the server), and the refusals Node's HTTP
 * layer makes before a request is routed (408, 417, 431: server/src/plugins/limits.ts).
 */
import { z } from "zod";

import { type Entry, retryAt } from "./entry.js";

export const LIMITS_AND_FAULTS = {
  // Before routing; the connection closes after the answer.
  request_timeout: {
    status: 408,
    meaning: "The request's headers or body took longer to arrive than the server waits.",
  },
  expectation_failed: {
    status: 417,
    meaning: "The request's `Expect` header is not `100-continue`, the only one this server meets.",
  },
  headers_too_large: {
    status: 431,
    meaning: "The request's headers are larger than the server accepts (16 KiB).",
  },
  // 429
  rate_limited: { status: 429, meaning: "Too many requests from this address; try again later." },
  email_code_limit: {
    status: 429,
    meaning:
      "A link gets at most one e-mailed code a minute and five an hour; the next may be asked for at `retryAt`.",
    details: retryAt,
  },
  sign_in_paused: {
    status: 429,
    meaning: "Signing in to this account is paused after wrong passwords, until `retryAt`.",
    details: retryAt,
  },
  mail_limit: {
    status: 429,
    meaning: "The hourly mail limit of the account or of a recipient is reached, until `retryAt`.",
    details: { ...retryAt, email: z.string().optional() },
  },
  // 5xx
  internal_error: {
    status: 500,
    meaning: "A fault on the server; quote `requestId` when reporting it.",
    details: { requestId: z.string() },
  },
  root_key_missing: {
    status: 500,
    meaning: "A stored value is sealed under a root key this server is not configured with.",
  },
  value_unreadable: {
    status: 500,
    meaning: "A stored value cannot be decrypted: it was changed in the database.",
  },
  shutting_down: { status: 503, meaning: "This instance is draining before it stops (`/readyz`)." },
  unavailable: {
    status: 503,
    meaning: "The database or a dependency is unreachable; retry after Retry-After.",
  },
} as const satisfies Record<string, Entry>;
