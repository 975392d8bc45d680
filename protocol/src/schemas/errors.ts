/**
 * Every error code the API answers, with its HTTP status and what it means. The server throws
 * only these (its error classes take an `ErrorCode`), the OpenAPI document enumerates them per
 * operation from the same table, and clients can switch on `ErrorCode`.
 */
import { z } from "zod";

import { Branding, IsoDate } from "./common.js";
import { PolicyRule } from "./policies.js";
import { GoneReason } from "./shares.js";

/** The fields some codes add next to `code` and `message`. */
const ValidationIssue = z
  .object({ path: z.string(), message: z.string() })
  .meta({ id: "ValidationIssue" });
const issues = { issues: z.array(ValidationIssue).optional() };
const retryAt = { retryAt: IsoDate };
const attempts = { attemptsRemaining: z.number().int() };
const branded = { branding: Branding.optional() };

interface Entry {
  status: number | readonly number[];
  meaning: string;
  details?: z.ZodRawShape;
}

export const ERRORS = {
  // 400
  invalid_request: {
    status: 400,
    meaning: "The body, path, query or a header does not match the schema; `issues` says where.",
    details: issues,
  },
  invalid_json: {
    status: 400,
    meaning: "The body is not valid JSON, or is empty where one is needed.",
  },
  invalid_cursor: { status: 400, meaning: "The list cursor is not one this server returned." },
  invalid_public_key: {
    status: 400,
    meaning: "`publicKey` or `ephemeralPublicKey` is not an uncompressed point on P-256.",
  },
  answer_kind_mismatch: {
    status: 400,
    meaning:
      "An end-to-end request takes `{ephemeralPublicKey, ciphertext, iv}`, a request without a key `{value}`; the answer sent is the other kind.",
  },

  invalid_webhook_url: {
    status: 400,
    meaning:
      "The webhook URL is not an https:// URL (http:// only with WEBHOOK_ALLOW_PRIVATE=true), has credentials, or names a private, loopback or link-local address.",
  },
  invalid_audit_range: {
    status: 400,
    meaning: "The audit export's `until` is not after its `since`.",
  },
  invalid_token: {
    status: [400, 401],
    meaning:
      "401: the bearer token is malformed, unknown, revoked or expired. 400: the verification or reset link's token is not valid any more.",
  },
  weak_password: { status: 400, meaning: "The new password is too common or too easy to guess." },
  same_password: { status: 400, meaning: "The new password is the current one." },
  password_required: {
    status: [400, 403],
    meaning:
      "403: the share is password-protected and no verifier was sent. 400: a share e-mailed to external recipients needs a password.",
    details: { attemptsRemaining: attempts.attemptsRemaining.optional() },
  },
  email_not_configured: {
    status: 400,
    meaning: "This server has no SMTP configured, so it cannot send e-mail.",
  },
  invalid_email: {
    status: 400,
    meaning: "An e-mail address the server was to write to is not a plain address.",
    details: issues,
  },
  invalid_mail: {
    status: 400,
    meaning: "A mail could not be queued: its data did not pass the template's schema.",
    details: issues,
  },
  invalid_link_secret: {
    status: 400,
    meaning: "The delivery's link secret does not match the share's id and view token.",
  },
  link_secret_required: {
    status: 400,
    meaning: "E-mailing the link to recipients needs `delivery.linkSecret`.",
  },
  recipient_not_member: {
    status: 400,
    meaning:
      "A recipient (`email`) is not a member of the organization and external recipients were not allowed.",
    details: { email: z.string() },
  },
  low_contrast: {
    status: 400,
    meaning:
      "A colour pair is unreadable (`contrast`): `pair` `text` for text on the background below " +
      "4.5:1, `primary` for the primary colour on the background below 3:1.",
    details: { contrast: z.number(), pair: z.enum(["text", "primary"]) },
  },
  confirmation_mismatch: {
    status: 400,
    meaning:
      "Deleting an organization: the `name` typed to confirm is not the organization's name.",
  },
  sso_discovery_failed: {
    status: 400,
    meaning:
      "The issuer's OpenID Connect discovery document could not be fetched or is not a provider configuration.",
  },
  sso_secret_required: {
    status: 400,
    meaning: "Single sign-on was configured without a client secret, and none is stored yet.",
  },
  break_glass_not_admin: {
    status: 400,
    meaning: "A break-glass user (`breakGlassUserIds`) is not an admin of the organization.",
  },
  invalid_image: { status: 400, meaning: "The logo could not be read as an image." },
  logo_too_large: {
    status: [400, 413],
    meaning: "413: the logo file is over 512 KiB. 400: it is over 2048×2048 pixels.",
  },
  chunk_length_mismatch: {
    status: 400,
    meaning: "A chunk has not the length its index must have (SPEC §3.1).",
    details: { expected: z.number().int(), received: z.number().int() },
  },
  chunk_out_of_range: { status: 400, meaning: "The chunk index is past the blob's last chunk." },
  email_code_not_required: {
    status: 400,
    meaning:
      "This link needs no e-mailed code: it is not bound to an external address, or the sender switched codes off.",
  },
  // 401
  login_required: {
    status: 401,
    meaning:
      "Sign in first (session cookie or bearer token); a branded organization's answer carries its `branding`.",
    details: branded,
  },
  invalid_credentials: { status: 401, meaning: "The e-mail address or the password is wrong." },
  invalid_code: {
    status: [400, 401],
    meaning:
      "The authenticator code or recovery code is wrong, or was used already (401 at sign-in, where it counts toward the back-off; 400 when confirming an enrolment).",
  },
  sign_in_expired: {
    status: 401,
    meaning:
      "The pending sign-in is unknown, expired, or ended after too many wrong codes: sign in with the password again.",
  },
  // 403
  csrf_failed: {
    status: 403,
    meaning:
      "A state change with the session cookie came from another origin, or without the right X-CSRF-Token header.",
  },
  token_scope: {
    status: 403,
    meaning:
      "The bearer token's scope does not cover this operation (`read`: GET and HEAD only; `shares`: share routes only; no token may create tokens).",
  },
  second_factor_required: {
    status: 403,
    meaning:
      "An organization of this account requires a second factor: until one is set up, only enrolment (`/api/v1/auth/…`) is open.",
  },
  email_not_verified: { status: 403, meaning: "Confirm the account's e-mail address first." },
  sso_required: {
    status: 403,
    meaning:
      "The organization requires single sign-on for this address: sign in through its provider.",
  },
  admin_required: { status: 403, meaning: "Only an organization admin may do this." },
  not_allowed: {
    status: 403,
    meaning:
      "The signed-in caller is not among those who may open this share or answer this request.",
    details: branded,
  },
  wrong_password: {
    status: 403,
    meaning: "The share's password is wrong; `attemptsRemaining` before it is destroyed.",
    details: attempts,
  },
  wrong_current_password: {
    status: 403,
    meaning: "The current password, given to change it or to delete the account, is wrong.",
  },
  email_code_required: {
    status: 403,
    meaning:
      "The link is bound to an external address: request a code (`POST …/email-code`) and send it as `emailCode`.",
  },
  wrong_email_code: {
    status: 403,
    meaning:
      "The e-mailed code is wrong; `attemptsRemaining` tries of this code are left (at 0 a new code is needed).",
    details: attempts,
  },
  email_code_expired: {
    status: 403,
    meaning:
      "No usable e-mailed code: none was requested, it expired (10 minutes), was used, or its tries are spent. Request a new one.",
  },
  new_password_required: {
    status: 403,
    meaning:
      "Confirming the address outside the browser that signed up needs a new `password` (the link stays unspent).",
  },
  signup_invite_only: {
    status: 403,
    meaning: "This server creates accounts only through an invitation (`SIGNUP=invite`).",
  },
  signup_domain_not_allowed: {
    status: 403,
    meaning:
      "This server creates accounts only for addresses at `domains` (`SIGNUP=domains`), or through an invitation.",
    details: { domains: z.array(z.string()) },
  },
  policy_violation: {
    status: 403,
    meaning:
      "The organization's sharing policy forbids this; `rule` names the rule (GET /api/v1/orgs/{orgId}/policy has them all).",
    details: { rule: PolicyRule },
  },
  invitation_email_mismatch: {
    status: 403,
    meaning: "The invitation was sent to another address than the account's.",
  },
  // 404
  share_not_found: {
    status: 404,
    meaning: "No such share, or a wrong view token or manage token.",
  },
  request_not_found: {
    status: 404,
    meaning: "No such request, expired, or not the caller's to see.",
  },
  org_not_found: {
    status: 404,
    meaning: "No such organization, or the caller is not a member of it.",
  },
  recipient_not_found: {
    status: 404,
    meaning: "The share has no recipient with this id (or no link of their own to act on).",
  },
  member_not_found: { status: 404, meaning: "No such member in this organization." },
  invitation_not_found: {
    status: 404,
    meaning: "No such pending invitation (accepted, expired or cancelled).",
  },
  webhook_not_found: { status: 404, meaning: "No such webhook endpoint in this organization." },
  token_not_found: { status: 404, meaning: "No such API token of the caller." },
  logo_not_found: { status: 404, meaning: "No logo with this name." },
  blob_not_found: { status: 404, meaning: "The share has no file with this id." },
  not_found: { status: 404, meaning: "No endpoint at this path (outside any operation)." },
  method_not_allowed: {
    status: 405,
    meaning: "The path exists but not with this method; `Allow` lists the methods it takes.",
  },
  // 409
  totp_already_enabled: {
    status: 409,
    meaning: "The account has an authenticator app already; turn it off before setting up another.",
  },
  totp_not_started: {
    status: 409,
    meaning: "There is no authenticator enrolment to confirm: start one first.",
  },
  share_exists: {
    status: 409,
    meaning: "A share with this id exists already (ids are random: retry with a new one).",
  },
  email_taken: { status: 409, meaning: "An account with this e-mail address exists." },
  sso_domain_taken: {
    status: 409,
    meaning: "Another organization signs in this e-mail domain through its own provider.",
    details: { domain: z.string() },
  },
  already_member: { status: 409, meaning: "The invited address is a member already." },
  last_admin: {
    status: 409,
    meaning: "The organization's last admin cannot leave or stop being admin.",
  },
  sole_admin: {
    status: 409,
    meaning:
      "The account is the only admin of organizations (`orgs`, their names) that have other members: it cannot be deleted until someone else is admin there or they are deleted.",
    details: { orgs: z.array(z.string()) },
  },
  request_fulfilled: { status: 409, meaning: "The request has been answered already." },
  request_not_fulfilled: { status: 409, meaning: "Nothing has been submitted to the request yet." },
  upload_incomplete: { status: 409, meaning: "The share's files are still uploading." },
  upload_complete: { status: 409, meaning: "Every chunk has arrived; the upload is closed." },
  // 410
  share_gone: {
    status: 410,
    meaning:
      "The share was viewed, expired, deleted or locked (`reason`, and `at` when); a branded organization's answer carries its `branding`.",
    details: { reason: GoneReason, at: IsoDate, ...branded },
  },
  download_expired: {
    status: 410,
    meaning: "The download token from the reveal has expired (`at`).",
    details: { at: IsoDate },
  },
  // 413, 415, 416
  payload_too_large: {
    status: 413,
    meaning: "The request body is larger than this route accepts.",
  },
  too_large: {
    status: 413,
    meaning: "The declared files pass a limit: `limit` names the setting, `max` its value.",
    details: { limit: z.string(), max: z.number() },
  },
  unsupported_media_type: {
    status: 415,
    meaning: "The body's Content-Type is not one this route takes.",
  },
  unsupported_image: { status: 415, meaning: "The logo is not a PNG, JPEG or WebP image." },
  range_not_satisfiable: { status: 416, meaning: "The Range starts past the end of the file." },
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

export type ErrorCode = keyof typeof ERRORS;
export const ERROR_CODES = Object.keys(ERRORS) as ErrorCode[];

type StatusOf<C extends ErrorCode> = (typeof ERRORS)[C]["status"] extends infer S
  ? S extends readonly number[]
    ? S[number]
    : S
  : never;
/** The codes that may be answered with `status`. */
export type ErrorCodeWith<S extends number> = {
  [C in ErrorCode]: S extends StatusOf<C> ? C : never;
}[ErrorCode];

export function statusesOf(code: ErrorCode): readonly number[] {
  const status: number | readonly number[] = ERRORS[code].status;
  return typeof status === "number" ? [status] : status;
}

/**
 * The error answer for a set of codes of one status: `code` enumerated, and the fields those
 * codes add, each optional since it depends on the code.
 */
export function errorAnswer(codes: readonly ErrorCode[]) {
  let fields: z.ZodRawShape = {};
  for (const code of codes) {
    const entry: Entry = ERRORS[code];
    for (const [name, schema] of Object.entries(entry.details ?? {}))
      fields = { ...fields, [name]: (schema as z.ZodType).optional() };
  }
  return z.object({
    error: z
      .object({
        code: z.enum(codes as [ErrorCode, ...ErrorCode[]]),
        message: z.string().meta({ description: "For people; never carries a secret" }),
        ...fields,
      })
      .strict(),
  });
}
