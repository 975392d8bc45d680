/**
 * A message for people for every error code the API answers (protocol/src/schemas/errors/),
 * in every language. The server's own `message` is English and sometimes more specific, so
 * English pages keep showing it; other languages show the message of the code. Messages of
 * codes only the signed-in pages meet are in signed-in/ (the "account" catalog), so the share
 * and reveal pages do not load them.
 * `Record<ErrorCode, …>` makes a new code in the protocol a type error here until it has one.
 */
import type { MessageDescriptor } from "@lingui/core";
import { msg } from "@lingui/core/macro";
import type { ErrorCode } from "@hushlink/protocol";

import { SIGNED_IN_ERROR_MESSAGES } from "./signed-in/error-messages";

/** Codes the public pages (share, reveal, requests) can meet; the rest are in signed-in/. */
const PUBLIC_ERROR_MESSAGES = {
  // 400
  invalid_request: msg`Some of what was sent is not valid. Check the form and try again.`,
  invalid_json: msg`The request could not be read. Reload the page and try again.`,
  invalid_public_key: msg`The request's encryption key is not valid.`,
  answer_kind_mismatch: msg`This answer does not fit the kind of request. Reload the page and try again.`,
  invalid_token: msg`This link or token is not valid any more.`,
  password_required: msg`A password is needed.`,
  email_not_configured: msg`This server cannot send e-mail.`,
  invalid_email: msg`An e-mail address is not valid.`,
  confusable_domain: msg`An address's domain mixes alphabets in one name, so it looks like another domain. Check it letter by letter.`,
  invalid_link_secret: msg`The link does not belong to this share.`,
  link_secret_required: msg`E-mailing the link needs the link itself.`,
  recipient_not_member: msg`A recipient is not a member of the organization.`,
  chunk_length_mismatch: msg`A part of the file did not arrive whole. Try again.`,
  chunk_out_of_range: msg`A part of the file does not belong to it. Try again.`,
  email_code_not_required: msg`This link needs no e-mailed code.`,
  // 401 and 403
  login_required: msg`Sign in to continue.`,
  csrf_failed: msg`The page is out of date. Reload it and try again.`,
  token_scope: msg`This API token may not do this.`,
  second_factor_required: msg`Your organization requires a second factor. Set one up first.`,
  email_not_verified: msg`Confirm your e-mail address first.`,
  not_allowed: msg`You are not among the people who may open this.`,
  wrong_password: msg`The password is wrong.`,
  email_code_required: msg`This link needs a code sent to your e-mail address.`,
  wrong_email_code: msg`The code is wrong.`,
  email_code_expired: msg`The code expired or was used up. Ask for a new one.`,
  policy_violation: msg`Your organization's sharing policy does not allow this.`,
  // 404 and 405
  share_not_found: msg`This link is not valid. Check that it was copied whole.`,
  request_not_found: msg`This request does not exist or has expired.`,
  org_not_found: msg`This organization does not exist.`,
  blob_not_found: msg`This file does not exist.`,
  not_found: msg`Not found.`,
  method_not_allowed: msg`This action is not possible here.`,
  // 409 and 410
  share_exists: msg`Something went wrong. Try again.`,
  request_fulfilled: msg`This request has been answered already.`,
  request_not_fulfilled: msg`This request has not been answered yet.`,
  upload_incomplete: msg`The files are still uploading.`,
  upload_complete: msg`The files are uploaded already.`,
  share_gone: msg`This secret is gone.`,
  download_expired: msg`The time to download these files has ended.`,
  // 413 to 416
  payload_too_large: msg`This is too large to send.`,
  too_large: msg`The files are too large.`,
  unsupported_media_type: msg`This kind of content is not accepted.`,
  range_not_satisfiable: msg`This part of the file does not exist.`,
  // Refused before routing (408, 417, 431): the wording of the nearest case above or below.
  request_timeout: msg`The connection to the server was lost.`,
  expectation_failed: msg`The request could not be read. Reload the page and try again.`,
  headers_too_large: msg`This is too large to send.`,
  // 429, 500 and 503
  rate_limited: msg`Too many requests from your network. Wait a minute and try again.`,
  email_code_limit: msg`A code was sent a moment ago. Wait before asking for another.`,
  mail_limit: msg`Too many e-mails were sent this hour. Try again later.`,
  internal_error: msg`Something went wrong on the server. Try again.`,
  root_key_missing: msg`The server cannot read this stored value. Tell its administrator.`,
  value_unreadable: msg`The server cannot read this stored value. Tell its administrator.`,
  shutting_down: msg`The server is restarting. Try again in a moment.`,
  unavailable: msg`The service is temporarily unavailable. Try again in a moment.`,
} satisfies Partial<Record<ErrorCode, MessageDescriptor>>;

export const ERROR_MESSAGES: Record<ErrorCode, MessageDescriptor> = {
  ...PUBLIC_ERROR_MESSAGES,
  ...SIGNED_IN_ERROR_MESSAGES,
};

/** Failures the page meets without an answer from the server. */
export const CLIENT_ERROR_MESSAGES = {
  network_error: msg`The server could not be reached. Check your connection and try again.`,
  connection_lost: msg`The connection to the server was lost.`,
  unexpected_answer: msg`The server gave an unexpected answer. Try again.`,
} satisfies Record<string, MessageDescriptor>;

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_MESSAGES, code);
}
