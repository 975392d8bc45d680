/**
 * The messages about an account, to its own address. None but the confirmation and the reset
 * carries a link: a mail that says "your password changed" is a phishing template when it does.
 */
import type { MailData } from "./mail.schemas.js";
import type { MailContent, MailContext } from "./templates.parts.js";

export function verifyEmail(d: MailData["verify_email"], c: MailContext): MailContent {
  const { i18n } = c;
  const confirm = i18n._({
    id: "mail.verifyEmail.action",
    message: "Confirm your e-mail address",
  });
  return {
    subject: i18n._({
      id: "mail.verifyEmail.subject",
      message: "Confirm your e-mail address for Hushlink",
    }),
    heading: confirm,
    paragraphs: [
      i18n._({
        id: "mail.verifyEmail.why",
        message: "Confirm that this address is yours to finish setting up your Hushlink account.",
      }),
    ],
    action: { label: confirm, url: d.verifyUrl },
    notes: [
      i18n._({
        id: "mail.verifyEmail.once",
        message: "The link works once and expires. If you did not sign up, ignore this message.",
      }),
    ],
  };
}

export function passwordReset(d: MailData["password_reset"], c: MailContext): MailContent {
  const { i18n } = c;
  return {
    subject: i18n._({ id: "mail.passwordReset.subject", message: "Reset your Hushlink password" }),
    heading: i18n._({ id: "mail.passwordReset.heading", message: "Reset your password" }),
    paragraphs: [
      i18n._({
        id: "mail.passwordReset.asked",
        message: "Someone asked to reset the password of the Hushlink account with this address.",
      }),
    ],
    action: {
      label: i18n._({ id: "mail.passwordReset.action", message: "Choose a new password" }),
      url: d.resetUrl,
    },
    notes: [
      i18n._({
        id: "mail.passwordReset.once",
        message:
          "The link works once and expires soon. If it was not you, ignore this message: your password stays as it is.",
      }),
    ],
  };
}

export function passwordChanged(d: MailData["password_changed"], c: MailContext): MailContent {
  const { i18n } = c;
  return {
    subject: i18n._({
      id: "mail.passwordChanged.subject",
      message: "Your Hushlink password was changed",
    }),
    heading: i18n._({ id: "mail.passwordChanged.heading", message: "Your password was changed" }),
    paragraphs: [
      i18n._({
        id: "mail.passwordChanged.when",
        message: "The password of the Hushlink account with this address was changed on {time}.",
        values: { time: c.time(d.changedAt) },
      }),
      i18n._({
        id: "mail.passwordChanged.signedOut",
        message: "Every other device or browser that was signed in to the account was signed out.",
      }),
    ],
    notes: [
      i18n._({
        id: "mail.passwordChanged.ifYou",
        message: "If you changed it, there is nothing to do.",
      }),
      i18n._({
        id: "mail.passwordChanged.ifNotYou",
        message:
          "If you did not, someone else knows your password. Open Hushlink yourself (not from a link in a message), choose “Forgot your password?” on the sign-in page to set a new one, and tell your organization's admin.",
      }),
    ],
  };
}

/** Sign-up with an address that has an account: told to its owner instead of to the visitor. */
export function signupAttempt(d: MailData["signup_attempt"], c: MailContext): MailContent {
  const { i18n } = c;
  return {
    subject: i18n._({
      id: "mail.signupAttempt.subject",
      message: "Someone tried to sign up for Hushlink with your address",
    }),
    heading: i18n._({
      id: "mail.signupAttempt.heading",
      message: "Your address already has an account",
    }),
    paragraphs: [
      i18n._({
        id: "mail.signupAttempt.when",
        message:
          "On {time} someone tried to create a Hushlink account with this address, which already has one. No new account was created and nothing about yours changed.",
        values: { time: c.time(d.attemptedAt) },
      }),
      i18n._({
        id: "mail.signupAttempt.ifYou",
        message:
          "If it was you: sign in with your password, or choose “Forgot your password?” on the sign-in page to set a new one (that also confirms the address). Open Hushlink yourself for that, not from a link in a message.",
      }),
    ],
    notes: [
      i18n._({
        id: "mail.signupAttempt.ifNotYou",
        message:
          "If it was not you, there is nothing to do: only this inbox can reset the password.",
      }),
    ],
  };
}

/** A recovery code stood in for the authenticator app at sign-in (SPEC F16). */
export function recoveryCodeUsed(d: MailData["recovery_code_used"], c: MailContext): MailContent {
  const { i18n } = c;
  return {
    subject: i18n._({
      id: "mail.recoveryCodeUsed.subject",
      message: "A recovery code was used to sign in to your Hushlink account",
    }),
    heading: i18n._({
      id: "mail.recoveryCodeUsed.heading",
      message: "A recovery code was used",
    }),
    paragraphs: [
      i18n._({
        id: "mail.recoveryCodeUsed.when",
        message:
          "On {time} someone signed in to the Hushlink account with this address using one of its recovery codes instead of the authenticator app.",
        values: { time: c.time(d.usedAt) },
      }),
      i18n._({
        id: "mail.recoveryCodeUsed.left",
        message:
          "{count, plural, one {# unused recovery code is left.} other {# unused recovery codes are left.}}",
        values: { count: d.remaining },
      }),
    ],
    notes: [
      i18n._({
        id: "mail.recoveryCodeUsed.ifYou",
        message: "If it was you, consider making new recovery codes in your account settings.",
      }),
      i18n._({
        id: "mail.recoveryCodeUsed.ifNotYou",
        message:
          "If it was not you, someone has your password and a recovery code: open Hushlink yourself (not from a link in a message), change your password, make new recovery codes, and tell your organization's admin.",
      }),
    ],
  };
}

/** An admin reset the account's second factor (SPEC F16). */
export function secondFactorReset(d: MailData["second_factor_reset"], c: MailContext): MailContent {
  const { i18n } = c;
  return {
    subject: i18n._({
      id: "mail.secondFactorReset.subject",
      message: "Two-step sign-in was reset on your Hushlink account",
    }),
    heading: i18n._({
      id: "mail.secondFactorReset.heading",
      message: "Two-step sign-in was reset",
    }),
    paragraphs: [
      i18n._({
        id: "mail.secondFactorReset.when",
        message:
          "On {time} an admin of your organization turned off the authenticator app of the Hushlink account with this address, and its recovery codes stopped working.",
        values: { time: c.time(d.resetAt) },
      }),
      i18n._({
        id: "mail.secondFactorReset.now",
        message:
          "Your password alone signs you in now. Set up an authenticator app again in your account settings.",
      }),
    ],
    notes: [
      i18n._({
        id: "mail.secondFactorReset.notAsked",
        message:
          "If you did not ask for this, tell your organization's admin: open Hushlink yourself, not from a link in a message.",
      }),
    ],
  };
}

/**
 * A second factor was added (SPEC F16): the owner learns of one they did not add, since it would
 * sign in without them (a passkey alone) and survive a password reset.
 */
function factorAdded(
  c: MailContext,
  text: { subject: string; heading: string; when: string },
): MailContent {
  const { i18n } = c;
  return {
    subject: text.subject,
    heading: text.heading,
    paragraphs: [
      text.when,
      i18n._({
        id: "mail.factorAdded.ifYou",
        message: "If you added it, there is nothing to do.",
      }),
    ],
    notes: [
      i18n._({
        id: "mail.factorAdded.ifNotYou",
        message:
          "If it was not you, someone is signed in to your account: open Hushlink yourself (not from a link in a message), change your password, remove it in your account settings, and tell your organization's admin.",
      }),
    ],
  };
}

export function totpEnabled(d: MailData["totp_enabled"], c: MailContext): MailContent {
  const { i18n } = c;
  return factorAdded(c, {
    subject: i18n._({
      id: "mail.totpEnabled.subject",
      message: "An authenticator app was set up on your Hushlink account",
    }),
    heading: i18n._({
      id: "mail.totpEnabled.heading",
      message: "An authenticator app was set up",
    }),
    when: i18n._({
      id: "mail.totpEnabled.when",
      message:
        "On {time} an authenticator app was set up for two-step sign-in on the Hushlink account with this address.",
      values: { time: c.time(d.enabledAt) },
    }),
  });
}

export function passkeyAdded(d: MailData["passkey_added"], c: MailContext): MailContent {
  const { i18n } = c;
  return factorAdded(c, {
    subject: i18n._({
      id: "mail.passkeyAdded.subject",
      message: "A passkey was added to your Hushlink account",
    }),
    heading: i18n._({ id: "mail.passkeyAdded.heading", message: "A passkey was added" }),
    when: i18n._({
      id: "mail.passkeyAdded.when",
      message:
        "On {time} a passkey was added to the Hushlink account with this address. It signs in without the password.",
      values: { time: c.time(d.addedAt) },
    }),
  });
}

/**
 * An API token was made (SPEC F8): it acts as the account until revoked or expired, whatever
 * becomes of the session that made it, so the owner learns of one they did not make. Its name is
 * shown defanged (whoever made it typed it); the token itself never leaves the answer it was in.
 */
export function tokenCreated(d: MailData["token_created"], c: MailContext): MailContent {
  const { i18n } = c;
  return {
    subject: i18n._({
      id: "mail.tokenCreated.subject",
      message: "An API token was created on your Hushlink account",
    }),
    heading: i18n._({ id: "mail.tokenCreated.heading", message: "An API token was created" }),
    paragraphs: [
      i18n._({
        id: "mail.tokenCreated.when",
        message:
          "On {time} an API token named {name} was created on the Hushlink account with this address. It acts as the account until it expires or is revoked.",
        values: { time: c.time(d.createdAt), name: c.typed(d.name) },
      }),
      i18n._({
        id: "mail.tokenCreated.scope",
        message:
          "{scope, select, read {Scope: read only.} shares {Scope: shares only.} other {Scope: full, everything the account may do.}}",
        values: { scope: d.scope },
      }),
      d.expiresAt === null
        ? i18n._({ id: "mail.tokenCreated.never", message: "It never expires." })
        : i18n._({
            id: "mail.tokenCreated.expires",
            message: "It expires on {time}.",
            values: { time: c.time(d.expiresAt) },
          }),
      i18n._({
        id: "mail.tokenCreated.ifYou",
        message: "If you created it, there is nothing to do.",
      }),
    ],
    notes: [
      i18n._({
        id: "mail.tokenCreated.ifNotYou",
        message:
          "If it was not you, someone is signed in to your account: open Hushlink yourself (not from a link in a message), revoke the token in your settings, change your password, and tell your organization's admin.",
      }),
    ],
  };
}
