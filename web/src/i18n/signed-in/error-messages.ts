/**
 * Messages of the error codes only signed-in pages meet (accounts, the dashboard): in the
 * "account" catalog, which the share and reveal pages do not load (../page-areas.ts).
 */
import type { MessageDescriptor } from "@lingui/core";
import { msg } from "@lingui/core/macro";
import type { ErrorCode } from "@hushlink/protocol";

export const SIGNED_IN_ERROR_MESSAGES = {
  invalid_cursor: msg`This list cannot be continued. Reload the page.`,
  invalid_webhook_url: msg`The webhook address must be a public https:// address.`,
  invalid_audit_range: msg`The end of the period must be after its start.`,
  weak_password: msg`This password is too common or too easy to guess. Choose another one.`,
  same_password: msg`The new password is the same as the current one.`,
  invalid_mail: msg`The e-mail could not be prepared.`,
  low_contrast: msg`These colours are too hard to read together. Choose colours with more contrast.`,
  confirmation_mismatch: msg`The name typed does not match the organization's name.`,
  sso_discovery_failed: msg`The identity provider's settings could not be read. Check the issuer address.`,
  sso_secret_required: msg`Single sign-on needs a client secret.`,
  break_glass_not_admin: msg`Every break-glass user must be an admin of the organization.`,
  invalid_image: msg`The logo could not be read as an image.`,
  logo_too_large: msg`The logo is too large.`,
  invalid_credentials: msg`The e-mail address or the password is wrong.`,
  invalid_code: msg`The code is wrong or was used already.`,
  passkey_rejected: msg`The passkey was not accepted.`,
  passkey_challenge_expired: msg`The passkey prompt expired. Try again.`,
  sign_in_expired: msg`The sign-in expired. Sign in again.`,
  sso_required: msg`Your organization requires single sign-on. Sign in through its provider.`,
  admin_required: msg`Only organization admins can do this.`,
  wrong_current_password: msg`The current password is wrong.`,
  recent_sign_in_required: msg`To add a second factor, enter your password, or sign out and sign in again.`,
  new_password_required: msg`Choose a new password to finish.`,
  signup_invite_only: msg`Accounts on this server are created by invitation only.`,
  signup_domain_not_allowed: msg`Accounts on this server are only for certain e-mail domains.`,
  invitation_email_mismatch: msg`This invitation was sent to another e-mail address.`,
  recipient_not_found: msg`This recipient does not exist.`,
  member_not_found: msg`This member does not exist.`,
  invitation_not_found: msg`This invitation does not exist any more.`,
  webhook_not_found: msg`This webhook does not exist.`,
  token_not_found: msg`This API token does not exist.`,
  passkey_not_found: msg`This passkey does not exist.`,
  logo_not_found: msg`This logo does not exist.`,
  passkey_exists: msg`This passkey is added already.`,
  totp_already_enabled: msg`An authenticator app is set up already.`,
  totp_not_started: msg`Start setting up an authenticator app first.`,
  email_taken: msg`An account with this e-mail address exists already.`,
  sso_domain_taken: msg`Another organization signs in this e-mail domain already.`,
  already_member: msg`This person is a member already.`,
  last_admin: msg`The last admin cannot leave or stop being admin.`,
  sole_admin: msg`You are the only admin of an organization with other members. Make someone else admin first.`,
  unsupported_image: msg`The logo must be a PNG, JPEG or WebP image.`,
  sign_in_paused: msg`Signing in to this account is paused after wrong passwords. Try again later.`,
} satisfies Partial<Record<ErrorCode, MessageDescriptor>>;
