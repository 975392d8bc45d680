/**
 * The messages. Each kind is described as plain text blocks (a subject, paragraphs, at most one
 * link, notes) in the reader's language (templates.shares.ts, templates.account.ts, their words
 * in locales/*.po), and one layout turns that into the text and the HTML part, so no template
 * writes HTML by hand and every value is escaped in one place. No images, no remote resources, no
 * tracking. Mails carry links only, never a secret itself.
 */
import { DEFAULT_LOCALE, type SupportedLocale } from "@hushlink/protocol";

import { formatTime, isRtl, ISOLATED, ltr, mailI18n, withoutIsolates } from "./mail.i18n.js";
import { CONTROL_CHARACTERS, type MailData, type MailKind } from "./mail.schemas.js";
import {
  passwordChanged,
  passwordReset,
  passkeyAdded,
  recoveryCodeUsed,
  secondFactorReset,
  totpEnabled,
  signupAttempt,
  tokenCreated,
  verifyEmail,
} from "./templates.account.js";
import type { MailContent, MailContext } from "./templates.parts.js";
import {
  emailCode,
  invitation,
  requestFulfilled,
  shareDelivery,
  shareViewed,
} from "./templates.shares.js";

export { formatTime } from "./mail.i18n.js";

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
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

/**
 * A name typed by whoever made the mail go out (a sender's or an organization's name), for mail
 * to someone else: with what a mail client would turn into a link broken up
 * ("https[:]//evil[.]example"), so that it reads as a name and cannot pass for a link or for
 * words of the server. Quoted by the caller, in the quotes of the mail's language. Subjects never
 * carry one (issue 15, item 3).
 */
export function typedName(value: string): string {
  return withoutIsolates(value)
    .replace(/:\/\//g, "[:]//")
    .replace(/([\p{L}\p{N}-])\.(?=\p{L}{2})/gu, "$1[.]");
}

const TEMPLATES: { [K in MailKind]: (data: MailData[K], c: MailContext) => MailContent } = {
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
  totp_enabled: totpEnabled,
  passkey_added: passkeyAdded,
  token_created: tokenCreated,
};

function contextFor(locale: SupportedLocale): MailContext {
  const i18n = mailI18n(locale);
  const quoted = (name: string) =>
    i18n._({ id: "mail.quoted", message: "“{name}”", values: { name: withoutIsolates(name) } });
  return {
    i18n,
    locale,
    time: (epochMs) => formatTime(epochMs, locale),
    typed: (name) => quoted(typedName(name)),
    quoted,
    ltr: (value) => ltr(value, locale),
  };
}

function layout(content: MailContent, publicUrl: string, c: MailContext): RenderedMail {
  const { i18n, locale } = c;
  const host = c.ltr(new URL(publicUrl).host);
  const sentBy = content.orgName
    ? i18n._({
        id: "mail.footer.sentByOrg",
        message: "Sent by the Hushlink server at {host} for the organization {org}.",
        values: { host, org: c.typed(content.orgName) },
      })
    : i18n._({
        id: "mail.footer.sentBy",
        message: "Sent by the Hushlink server at {host}.",
        values: { host },
      });
  const about = i18n._({
    id: "mail.footer.about",
    message:
      "Hushlink shares secrets through links that expire and can be opened only a limited number of times.",
  });
  const footer = [about, sentBy];

  const text = [
    ...content.paragraphs,
    ...(content.action
      ? [
          `${i18n._({ id: "mail.layout.actionLine", message: "{label}:", values: { label: content.action.label } })}\n${content.action.url}`,
        ]
      : []),
    ...content.notes,
    `-- \n${footer.join("\n")}`,
  ].join("\n\n");

  const rtl = isRtl(locale);
  // Escaped first; then each isolated value (an address, a code, a host) becomes a left-to-right
  // span, so right-to-left mail keeps it in its order in clients that ignore the isolates.
  const e = (t: string) => escapeHtml(t).replace(ISOLATED, '<span dir="ltr">$1</span>');
  const p = (t: string, style = "margin:0 0 16px") => `<p style="${style}">${e(t)}</p>`;
  const copy = i18n._({
    id: "mail.layout.copyLink",
    message: "If the button does not work, copy this address into your browser:",
  });
  const url = content.action ? escapeHtml(content.action.url) : "";
  const action = content.action
    ? [
        `<p style="margin:24px 0"><a href="${url}" style="display:inline-block;padding:10px 18px;background:#1f3a5f;color:#ffffff;text-decoration:none;border-radius:6px">${e(content.action.label)}</a></p>`,
        `<p style="margin:0 0 16px;font-size:13px;color:#555555">${e(copy)}<br><span${rtl ? ' dir="ltr"' : ""} style="word-break:break-all">${url}</span></p>`,
      ].join("\n")
    : "";
  const html = `<!doctype html>
<html lang="${locale}"${rtl ? ' dir="rtl"' : ""}>
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${e(headerSafe(content.subject))}</title></head>
<body style="margin:0;padding:24px;background:#f4f5f7;font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#1d1d1f;line-height:1.5">
<div${rtl ? ' dir="rtl"' : ""} style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:24px">
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
  context: { publicUrl: string; locale?: SupportedLocale | undefined },
): RenderedMail {
  const c = contextFor(context.locale ?? DEFAULT_LOCALE);
  return layout(TEMPLATES[kind](data, c), context.publicUrl, c);
}
