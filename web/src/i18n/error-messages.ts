/**
 * A message for people for every error code the API answers (protocol/src/schemas/errors/),
 * in every language. The server's own `message` is English and sometimes more specific, so
 * English pages keep showing it; other languages show the message of the code.
 * `Record<ErrorCode, …>` makes a new code in the protocol a type error here until it has one.
 */
import type { MessageDescriptor } from "@lingui/core";
import { msg } from "@lingui/core/macro";
import type { ErrorCode } from "@hushlink/protocol";

export const ERROR_MESSAGES: Record<ErrorCode, MessageDescriptor> = {
  // 400
  invalid_request: msg`Some of what was sent is not valid. Check the form and try again.`,
  invalid_json: msg`The request could not be read. Reload the page and try again.`,
  invalid_cursor: msg`This list cannot be continued. Reload the page.`,
  invalid_public_key: msg`The request's encryption key is not valid.`,
  answer_kind_mismatch: msg`This answer does not fit the kind of request. Reload the page and try again.`,
  invalid_webhook_url: msg`The webhook address must be a public https:// address.`,
  invalid_audit_range: msg`The end of the period must be after its start.`,
  invalid_token: msg`This link or token is not valid any more.`,
  weak_password: msg`This password is too common or too easy to guess. Choose another one.`,
  same_password: msg`The new password is the same as the current one.`,
  password_required: msg`A password is needed.`,
  email_not_configured: msg`This server cannot send e-mail.`,
  invalid_email: msg`An e-mail address is not valid.`,
  invalid_mail: msg`The e-mail could not be prepared.`,
  invalid_link_secret: msg`The link does not belong to this share.`,
  link_secret_required: msg`E-mailing the link needs the link itself.`,
  recipient_not_member: msg`A recipient is not a member of the organization.`,
  low_contrast: msg`These colours are too hard to read together. Choose colours with more contrast.`,
  confirmation_mismatch: msg`The name typed does not match the organization's name.`,
  sso_discovery_failed: msg`The identity provider's settings could not be read. Check the issuer address.`,
  sso_secret_required: msg`Single sign-on needs a client secret.`,
  break_glass_not_admin: msg`Every break-glass user must be an admin of the organization.`,
  invalid_image: msg`The logo could not be read as an image.`,
  logo_too_large: msg`The logo is too large.`,
  chunk_length_mismatch: msg`A part of the file did not arrive whole. Try again.`,
  chunk_out_of_range: msg`A part of the file does not belong to it. Try again.`,
  email_code_not_required: msg`This link needs no e-mailed code.`,
  // 401 and 403
  login_required: msg`Sign in to continue.`,
  invalid_credentials: msg`The e-mail address or the password is wrong.`,
  invalid_code: msg`The code is wrong or was used already.`,
  passkey_rejected: msg`The passkey was not accepted.`,
  passkey_challenge_expired: msg`The passkey prompt expired. Try again.`,
  sign_in_expired: msg`The sign-in expired. Sign in again.`,
  csrf_failed: msg`The page is out of date. Reload it and try again.`,
  token_scope: msg`This API token may not do this.`,
  second_factor_required: msg`Your organization requires a second factor. Set one up first.`,
  email_not_verified: msg`Confirm your e-mail address first.`,
  sso_required: msg`Your organization requires single sign-on. Sign in through its provider.`,
  admin_required: msg`Only organization admins can do this.`,
  not_allowed: msg`You are not among the people who may open this.`,
  wrong_password: msg`The password is wrong.`,
  wrong_current_password: msg`The current password is wrong.`,
  email_code_required: msg`This link needs a code sent to your e-mail address.`,
  wrong_email_code: msg`The code is wrong.`,
  email_code_expired: msg`The code expired or was used up. Ask for a new one.`,
  new_password_required: msg`Choose a new password to finish.`,
  signup_invite_only: msg`Accounts on this server are created by invitation only.`,
  signup_domain_not_allowed: msg`Accounts on this server are only for certain e-mail domains.`,
  policy_violation: msg`Your organization's sharing policy does not allow this.`,
  invitation_email_mismatch: msg`This invitation was sent to another e-mail address.`,
  // 404 and 405
  share_not_found: msg`This link is not valid. Check that it was copied whole.`,
  request_not_found: msg`This request does not exist or has expired.`,
  org_not_found: msg`This organization does not exist.`,
  recipient_not_found: msg`This recipient does not exist.`,
  member_not_found: msg`This member does not exist.`,
  invitation_not_found: msg`This invitation does not exist any more.`,
  webhook_not_found: msg`This webhook does not exist.`,
  token_not_found: msg`This API token does not exist.`,
  passkey_not_found: msg`This passkey does not exist.`,
  logo_not_found: msg`This logo does not exist.`,
  blob_not_found: msg`This file does not exist.`,
  not_found: msg`Not found.`,
  method_not_allowed: msg`This action is not possible here.`,
  // 409 and 410
  passkey_exists: msg`This passkey is added already.`,
  totp_already_enabled: msg`An authenticator app is set up already.`,
  totp_not_started: msg`Start setting up an authenticator app first.`,
  share_exists: msg`Something went wrong. Try again.`,
  email_taken: msg`An account with this e-mail address exists already.`,
  sso_domain_taken: msg`Another organization signs in this e-mail domain already.`,
  already_member: msg`This person is a member already.`,
  last_admin: msg`The last admin cannot leave or stop being admin.`,
  sole_admin: msg`You are the only admin of an organization with other members. Make someone else admin first.`,
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
  unsupported_image: msg`The logo must be a PNG, JPEG or WebP image.`,
  range_not_satisfiable: msg`This part of the file does not exist.`,
  // 429, 500 and 503
  rate_limited: msg`Too many requests from your network. Wait a minute and try again.`,
  email_code_limit: msg`A code was sent a moment ago. Wait before asking for another.`,
  sign_in_paused: msg`Signing in to this account is paused after wrong passwords. Try again later.`,
  mail_limit: msg`Too many e-mails were sent this hour. Try again later.`,
  internal_error: msg`Something went wrong on the server. Try again.`,
  root_key_missing: msg`The server cannot read this stored value. Tell its administrator.`,
  value_unreadable: msg`The server cannot read this stored value. Tell its administrator.`,
  shutting_down: msg`The server is restarting. Try again in a moment.`,
  unavailable: msg`The service is temporarily unavailable. Try again in a moment.`,
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
