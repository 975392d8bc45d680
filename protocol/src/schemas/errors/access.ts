/** The 401 and 403 answers: who is asking, and whether they may. */
import { z } from "zod";

import { PolicyRule } from "../policies.js";
import { type Entry, attempts, branded } from "./entry.js";

export const ACCESS = {
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
  passkey_rejected: {
    status: [400, 401],
    meaning:
      "The passkey's answer did not verify: an unknown passkey or one of another account, another site's origin, a wrong challenge, a bad signature or a signature counter that went back (401 at sign-in, where at the second step it counts toward the back-off; 400 when adding one).",
  },
  passkey_challenge_expired: {
    status: [400, 401],
    meaning:
      "The passkey challenge is unknown, used already or older than 5 minutes: ask for new options and try again (401 at sign-in, 400 when adding one).",
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
    status: [401, 403],
    meaning:
      "The organization requires single sign-on for this address: sign in through its provider (403 at a password or passkey sign-in; 401, the session cookies cleared, on any other call made with a session that did not come through the provider).",
  },
  admin_required: { status: 403, meaning: "Only an organization admin may do this." },
  member_in_other_organization: {
    status: 403,
    meaning:
      "The member also belongs to an organization the caller does not administer, whose sign-in their second factor guards too: only an admin of every organization they belong to may reset it.",
  },
  own_second_factor: {
    status: 403,
    meaning:
      "An admin's own second factor is not reset through the members route: it is changed in the account's security settings, where the password is asked again.",
  },
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
    meaning:
      "The current password, given to change it, to delete the account or as a recent proof of identity, is wrong.",
  },
  recent_sign_in_required: {
    status: 403,
    meaning:
      "This action (adding a second factor, creating an API token, an admin's change to single sign-on, admins or webhooks) needs a recent proof of identity: send the account's `password`, or sign in again (a session signed in within the last 15 minutes needs none).",
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
} as const satisfies Record<string, Entry>;
