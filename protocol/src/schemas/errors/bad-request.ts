/** The 400 answers: a request the server cannot take as it is. */
import { z } from "zod";

import { type Entry, issues, attempts } from "./entry.js";

export const BAD_REQUEST = {
  // 400
  invalid_request: {
    status: 400,
    meaning: "The body, path, query or a header does not match the schema; `issues` says where.",
    details: issues,
  },
  invalid_json: {
    status: 400,
    meaning:
      "The body is not valid JSON (bytes that are not UTF-8 included), or is empty where one is needed.",
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
  confusable_domain: {
    status: 400,
    meaning:
      "An address's or domain's label mixes scripts (Latin with Cyrillic or Greek, for one), so it looks like another domain; `field` names it. Whole-script domains (all Cyrillic, all Japanese) are accepted.",
    details: { field: z.string() },
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
  domain_not_proven: {
    status: 400,
    meaning:
      "The domain's DNS has no TXT record `recordName` with the value `recordValue` (yet: records take time to appear).",
    details: { recordName: z.string(), recordValue: z.string() },
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
} as const satisfies Record<string, Entry>;
