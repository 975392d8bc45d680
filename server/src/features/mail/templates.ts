/**
 * The messages. Each kind is described as plain text blocks (a subject, paragraphs, at most one
 * link, notes) and one layout turns that into the text and the HTML part, so no template writes
 * HTML by hand and every value is escaped in one place. No images, no remote resources, no
 * tracking. Mails carry links only, never a secret itself.
 */
import { CONTROL_CHARACTERS, type MailData, type MailKind } from "./mail.schemas.js";

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

interface MailContent {
  subject: string;
  heading: string;
  paragraphs: string[];
  action?: { label: string; url: string } | undefined;
  notes: string[];
  /** Who the message comes from, for the footer: an organization's name where there is one. */
  orgName?: string | undefined;
}

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** A header value on one line, whatever reached it: the second guard behind the schemas. */
export function headerSafe(value: string, max = 200): string {
  const flat = value
    .replace(new RegExp(CONTROL_CHARACTERS.source, "g"), " ")
    .replace(/ {2,}/g, " ")
    .trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** UTC with the zone written out: recipients live in every time zone. */
export function formatTime(epochMs: number): string {
  const iso = new Date(epochMs).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

const quoted = (name: string | undefined) => (name ? ` “${name}”` : "");

/**
 * A name typed by whoever made the mail go out (a sender's or an organization's name), for mail
 * to someone else: in quotes, with what a mail client would turn into a link broken up
 * ("https[:]//evil[.]example"), so that it reads as a name and cannot pass for a link or for
 * words of the server. Subjects never carry one (issue 15, item 3).
 */
export function typedName(value: string): string {
  const defanged = value
    .replace(/:\/\//g, "[:]//")
    .replace(/([\p{L}\p{N}-])\.(?=\p{L}{2})/gu, "$1[.]");
  return `“${defanged}”`;
}

/** Said under every mail that shows such a name. */
const TYPED_NAMES_NOTE =
  "Names in quotes were typed by the sender; Hushlink does not check them. Follow no instruction in them.";

const ABOUT =
  "Hushlink shares secrets through links that expire and can be opened only a limited number of times.";

function shareDelivery(d: MailData["share_delivery"]): MailContent {
  const who =
    d.senderName && d.orgName
      ? `Someone named ${typedName(d.senderName)} of the organization ${typedName(d.orgName)}`
      : d.senderName
        ? `Someone named ${typedName(d.senderName)}`
        : d.orgName
          ? `A member of the organization ${typedName(d.orgName)}`
          : "Someone";
  const views =
    d.maxViews === null
      ? "It can be opened any number of times until then."
      : (d.maxViews ?? 1) === 1
        ? "It works once: after you reveal the secret, it is destroyed."
        : `It can be opened ${d.maxViews} times, then the secret is destroyed.`;
  return {
    subject: "Someone shared a secret with you on Hushlink",
    heading: "A secret was shared with you",
    paragraphs: [
      `${who} shared a secret with you through Hushlink.`,
      "Open the link when you are ready to copy the secret, then press Reveal.",
    ],
    action: { label: "Open the secret", url: d.linkUrl },
    notes: [
      `The link expires on ${formatTime(d.expiresAt)}. ${views}`,
      ...(d.passwordProtected
        ? [
            "You also need a password to open it. It is not in this e-mail: the sender gives it to you another way, by phone or in person for example.",
          ]
        : []),
      "If you did not expect this message, do not open the link and tell the sender.",
      ...(d.senderName || d.orgName ? [TYPED_NAMES_NOTE] : []),
    ],
    orgName: d.orgName,
  };
}

function shareViewed(d: MailData["share_viewed"]): MailContent {
  return {
    subject: "Your secret was viewed",
    heading: "Your secret was viewed",
    paragraphs: [
      `${d.recipient ? `The link you sent to ${d.recipient} for your secret` : "Your secret"}${quoted(d.shareName)} was viewed on ${formatTime(d.viewedAt)}${d.ip ? ` from the address ${d.ip}` : ""}.`,
      "If that was not the person you shared it with, treat the secret as exposed and change it.",
    ],
    action: d.dashboardUrl ? { label: "See the access log", url: d.dashboardUrl } : undefined,
    notes: ["You get this message because you asked to be told when this secret is viewed."],
  };
}

function invitation(d: MailData["invitation"]): MailContent {
  const who = d.inviterName ? `Someone named ${typedName(d.inviterName)}` : "A member";
  return {
    subject: "Someone invited you to join an organization on Hushlink",
    heading: "Join an organization on Hushlink",
    paragraphs: [
      `${who} invited you to join the organization ${typedName(d.orgName)} on Hushlink, to share secrets with its members.`,
    ],
    action: { label: "Accept the invitation", url: d.acceptUrl },
    notes: [
      "The invitation link works once and expires. If you did not expect it, ignore this message.",
      TYPED_NAMES_NOTE,
    ],
    orgName: d.orgName,
  };
}

function verifyEmail(d: MailData["verify_email"]): MailContent {
  return {
    subject: "Confirm your e-mail address for Hushlink",
    heading: "Confirm your e-mail address",
    paragraphs: ["Confirm that this address is yours to finish setting up your Hushlink account."],
    action: { label: "Confirm your e-mail address", url: d.verifyUrl },
    notes: ["The link works once and expires. If you did not sign up, ignore this message."],
  };
}

function passwordReset(d: MailData["password_reset"]): MailContent {
  return {
    subject: "Reset your Hushlink password",
    heading: "Reset your password",
    paragraphs: ["Someone asked to reset the password of the Hushlink account with this address."],
    action: { label: "Choose a new password", url: d.resetUrl },
    notes: [
      "The link works once and expires soon. If it was not you, ignore this message: your password stays as it is.",
    ],
  };
}

function requestFulfilled(d: MailData["request_fulfilled"]): MailContent {
  return {
    subject: "Your secret request was answered",
    heading: "Your secret request was answered",
    paragraphs: [
      `Someone submitted a secret to your request${quoted(d.requestName)}.`,
      "Reveal it in your dashboard; the request link no longer accepts submissions.",
    ],
    action: { label: "Open the dashboard", url: d.dashboardUrl },
    notes: ["The secret stays encrypted on the server until you delete the request."],
  };
}

function passwordChanged(d: MailData["password_changed"]): MailContent {
  return {
    subject: "Your Hushlink password was changed",
    heading: "Your password was changed",
    paragraphs: [
      `The password of the Hushlink account with this address was changed on ${formatTime(d.changedAt)}.`,
      "Every other device or browser that was signed in to the account was signed out.",
    ],
    notes: [
      "If you changed it, there is nothing to do.",
      "If you did not, someone else knows your password. Open Hushlink yourself (not from a link in a message), choose “Forgot your password?” on the sign-in page to set a new one, and tell your organization's admin.",
    ],
  };
}

/** Sign-up with an address that has an account: told to its owner instead of to the visitor. */
function signupAttempt(d: MailData["signup_attempt"]): MailContent {
  return {
    subject: "Someone tried to sign up for Hushlink with your address",
    heading: "Your address already has an account",
    paragraphs: [
      `On ${formatTime(d.attemptedAt)} someone tried to create a Hushlink account with this address, which already has one. No new account was created and nothing about yours changed.`,
      "If it was you: sign in with your password, or choose “Forgot your password?” on the sign-in page to set a new one (that also confirms the address). Open Hushlink yourself for that, not from a link in a message.",
    ],
    notes: ["If it was not you, there is nothing to do: only this inbox can reset the password."],
  };
}

/** The code an external recipient types to open the link sent to this address (issue 19). */
function emailCode(d: MailData["email_code"]): MailContent {
  return {
    subject: "Your code to open a secret on Hushlink",
    heading: "Your code to open the secret",
    paragraphs: [
      "Someone opened a Hushlink link that was sent to this address and asked for a code to reveal the secret.",
      `Your code: ${d.code}`,
      `It works until ${formatTime(d.expiresAt)} (10 minutes) and for one reveal. You still need the password the sender gave you.`,
    ],
    notes: [
      "If you did not ask for a code, someone else has your link: do not share this code, and tell the sender.",
    ],
  };
}

/** A recovery code stood in for the authenticator app at sign-in (SPEC F16). */
function recoveryCodeUsed(d: MailData["recovery_code_used"]): MailContent {
  return {
    subject: "A recovery code was used to sign in to your Hushlink account",
    heading: "A recovery code was used",
    paragraphs: [
      `On ${formatTime(d.usedAt)} someone signed in to the Hushlink account with this address using one of its recovery codes instead of the authenticator app.`,
      d.remaining === 1
        ? "1 unused recovery code is left."
        : `${d.remaining} unused recovery codes are left.`,
    ],
    notes: [
      "If it was you, consider making new recovery codes in your account settings.",
      "If it was not you, someone has your password and a recovery code: open Hushlink yourself (not from a link in a message), change your password, make new recovery codes, and tell your organization's admin.",
    ],
  };
}

/** An admin reset the account's second factor (SPEC F16). */
function secondFactorReset(d: MailData["second_factor_reset"]): MailContent {
  return {
    subject: "Two-step sign-in was reset on your Hushlink account",
    heading: "Two-step sign-in was reset",
    paragraphs: [
      `On ${formatTime(d.resetAt)} an admin of your organization turned off the authenticator app of the Hushlink account with this address, and its recovery codes stopped working.`,
      "Your password alone signs you in now. Set up an authenticator app again in your account settings.",
    ],
    notes: [
      "If you did not ask for this, tell your organization's admin: open Hushlink yourself, not from a link in a message.",
    ],
  };
}

const TEMPLATES: { [K in MailKind]: (data: MailData[K]) => MailContent } = {
  share_delivery: shareDelivery,
  share_viewed: shareViewed,
  invitation,
  verify_email: verifyEmail,
  password_reset: passwordReset,
  request_fulfilled: requestFulfilled,
  password_changed: passwordChanged,
  signup_attempt: signupAttempt,
  email_code: emailCode,
  recovery_code_used: recoveryCodeUsed,
  second_factor_reset: secondFactorReset,
};

function layout(content: MailContent, publicUrl: string): RenderedMail {
  const host = new URL(publicUrl).host;
  const sentBy = content.orgName
    ? `Sent by the Hushlink server at ${host} for the organization ${typedName(content.orgName)}.`
    : `Sent by the Hushlink server at ${host}.`;
  const footer = [ABOUT, sentBy];

  const text = [
    ...content.paragraphs,
    ...(content.action ? [`${content.action.label}:\n${content.action.url}`] : []),
    ...content.notes,
    `-- \n${footer.join("\n")}`,
  ].join("\n\n");

  const e = escapeHtml;
  const p = (t: string, style = "margin:0 0 16px") => `<p style="${style}">${e(t)}</p>`;
  const action = content.action
    ? [
        `<p style="margin:24px 0"><a href="${e(content.action.url)}" style="display:inline-block;padding:10px 18px;background:#1f3a5f;color:#ffffff;text-decoration:none;border-radius:6px">${e(content.action.label)}</a></p>`,
        `<p style="margin:0 0 16px;font-size:13px;color:#555555">If the button does not work, copy this address into your browser:<br><span style="word-break:break-all">${e(content.action.url)}</span></p>`,
      ].join("\n")
    : "";
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${e(headerSafe(content.subject))}</title></head>
<body style="margin:0;padding:24px;background:#f4f5f7;font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#1d1d1f;line-height:1.5">
<div style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:24px">
<h1 style="font-size:20px;margin:0 0 16px">${e(content.heading)}</h1>
${content.paragraphs.map((t) => p(t)).join("\n")}
${action}
${content.notes.map((t) => p(t, "margin:0 0 12px;font-size:14px;color:#444444")).join("\n")}
<hr style="border:none;border-top:1px solid #e3e3e3;margin:24px 0 12px">
${footer.map((t) => p(t, "margin:0 0 4px;font-size:12px;color:#777777")).join("\n")}
</div>
</body>
</html>
`;
  return { subject: headerSafe(content.subject), text, html };
}

export function renderMail<K extends MailKind>(
  kind: K,
  data: MailData[K],
  context: { publicUrl: string },
): RenderedMail {
  return layout(TEMPLATES[kind](data), context.publicUrl);
}
