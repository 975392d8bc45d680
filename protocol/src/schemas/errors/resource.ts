/** The 404, 409, 410, 413, 415 and 416 answers: the state of what is asked for. */
import { z } from "zod";

import { IsoDate } from "../common.js";
import { GoneReason } from "../shares.js";
import { type Entry, branded } from "./entry.js";

export const RESOURCE = {
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
  passkey_not_found: {
    status: 404,
    meaning: "The signed-in account has no passkey with this id.",
  },
  logo_not_found: { status: 404, meaning: "No logo with this name." },
  sso_domain_not_found: {
    status: 404,
    meaning: "The organization claims no such domain for single sign-on.",
  },
  blob_not_found: {
    status: 404,
    meaning: "The share (or request answer) has no file with this id.",
  },
  not_found: { status: 404, meaning: "No endpoint at this path (outside any operation)." },
  method_not_allowed: {
    status: 405,
    meaning: "The path exists but not with this method; `Allow` lists the methods it takes.",
  },
  // 409
  passkey_exists: {
    status: 409,
    meaning: "This passkey (the same credential) is added already.",
  },
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
    meaning:
      "Another organization proved this e-mail domain at the same moment: check again (the later proof wins).",
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
  upload_incomplete: {
    status: 409,
    meaning: "The share's (or request answer's) files are still uploading.",
  },
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
    meaning:
      "The body's Content-Type is not one this route takes, or names a `charset` other than UTF-8.",
  },
  unsupported_image: { status: 415, meaning: "The logo is not a PNG, JPEG or WebP image." },
  range_not_satisfiable: { status: 416, meaning: "The Range starts past the end of the file." },
} as const satisfies Record<string, Entry>;
