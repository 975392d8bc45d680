/**
 * What each kind of message needs, checked when it is queued: a bad value is refused while the
 * caller can still answer 400, not found an hour later by the worker. Every text that may reach
 * a header is one line, every link points into this server, and unknown fields are refused so
 * nothing (a secret passed by mistake) rides along into the outbox.
 */
import { z } from "zod";

import { Email } from "@hushlink/protocol";

export const MAIL_KINDS = [
  "share_delivery",
  "share_viewed",
  "invitation",
  "verify_email",
  "password_reset",
  "request_fulfilled",
  "password_changed",
  "signup_attempt",
  "email_code",
  "recovery_code_used",
  "second_factor_reset",
  "totp_enabled",
  "passkey_added",
  "token_created",
] as const;
export type MailKind = (typeof MAIL_KINDS)[number];

// C0 and C1 controls (CR, LF, TAB among them) and the Unicode line and paragraph separators.
// eslint-disable-next-line no-control-regex
export const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

const line = (max = 200) =>
  z
    .string()
    // Checked before trimming, so a trailing line break is refused rather than quietly dropped.
    .refine((v) => !CONTROL_CHARACTERS.test(v), {
      message: "must be one line without control characters",
    })
    .trim()
    .min(1)
    .max(max);

/** Epoch milliseconds or an ISO 8601 time (what the services return), kept as epoch ms. */
const instant = z
  .union([z.number().int().nonnegative(), z.iso.datetime({ offset: true })])
  .transform((v) => (typeof v === "number" ? v : Date.parse(v)));

/**
 * A bare address: no display name, no list, no line break, so no header can be injected. Refused,
 * never trimmed into shape; beyond that, the same rule as the API's Email (so every address the
 * API accepted can be mailed).
 */
export const MailAddress = z
  .string()
  .max(254)
  .refine((v) => !/[\s<>,;:"()[\]\\]/.test(v) && !CONTROL_CHARACTERS.test(v), {
    message: "must be a single bare e-mail address (no display name, list or line break)",
    abort: true,
  })
  .refine((v) => Email.safeParse(v).success, { message: "must be a valid e-mail address" });

/** Links in mails must lead into this server; anything else would make us a phishing relay. */
function appLink(publicUrl: string) {
  const prefix = `${publicUrl.replace(/\/+$/, "")}/`;
  return z
    .string()
    .max(2048)
    .refine(
      (v) =>
        v.startsWith(prefix) &&
        !/[\s"'<>\\`]/.test(v) &&
        !CONTROL_CHARACTERS.test(v) &&
        URL.canParse(v),
      { message: `must be a link under ${prefix}` },
    );
}

export function mailDataSchemas(publicUrl: string) {
  const link = appLink(publicUrl);
  return {
    // No share name here: SPEC F1 shows it to the creator only, never to recipients.
    share_delivery: z.strictObject({
      linkUrl: link,
      orgName: line().optional(),
      senderName: line().optional(),
      expiresAt: instant,
      /** 1 (the default) says "works once"; null means until expiry. */
      maxViews: z.number().int().positive().nullable().optional(),
      /** The mail says plainly that a password is needed and does not come with it. */
      passwordProtected: z.boolean().optional(),
    }),
    share_viewed: z.strictObject({
      shareName: line().optional(),
      /** With a link per recipient (F14): whose link was opened. */
      recipient: MailAddress.optional(),
      viewedAt: instant,
      // What the request log knows: IPv4, IPv6, possibly with a zone (fe80::1%eth0).
      ip: z
        .string()
        .max(64)
        .regex(/^[0-9A-Fa-f:.]+(%[0-9A-Za-z_.-]+)?$/)
        .optional(),
      dashboardUrl: link.optional(),
    }),
    invitation: z.strictObject({
      orgName: line(),
      inviterName: line().optional(),
      acceptUrl: link,
    }),
    verify_email: z.strictObject({ verifyUrl: link }),
    password_reset: z.strictObject({ resetUrl: link }),
    request_fulfilled: z.strictObject({
      requestName: line().optional(),
      dashboardUrl: link,
    }),
    // No link at all: a mail that says "your password changed" is a phishing template when it
    // carries one, and the reader should reach the sign-in page on their own.
    password_changed: z.strictObject({ changedAt: instant }),
    // No link either, for the same reason: sign-up for an address that has an account (issue 15).
    signup_attempt: z.strictObject({ attemptedAt: instant }),
    // The code an external recipient types to open their link (issue 19); no link, no names:
    // the mail proves the mailbox and nothing else, and the outbox entry is sealed like a link.
    email_code: z.strictObject({
      code: z.string().regex(/^[0-9]{6}$/),
      expiresAt: instant,
    }),
    // No link, as above: the owner opens Hushlink on their own to make new codes.
    recovery_code_used: z.strictObject({ usedAt: instant, remaining: z.number().int().min(0) }),
    second_factor_reset: z.strictObject({ resetAt: instant }),
    // A factor was added (SPEC F16): no link, and not the passkey's name, which whoever added
    // it typed.
    totp_enabled: z.strictObject({ enabledAt: instant }),
    passkey_added: z.strictObject({ addedAt: instant }),
    // An API token was made (SPEC F8): what it is called and may do, never the token itself.
    token_created: z.strictObject({
      name: line(100),
      scope: z.enum(["read", "shares", "full"]),
      createdAt: instant,
      expiresAt: instant.nullable(),
    }),
  } satisfies Record<MailKind, z.ZodType>;
}

type Schemas = ReturnType<typeof mailDataSchemas>;
/** What callers pass, per kind. */
export type MailDataInput = { [K in MailKind]: z.input<Schemas[K]> };
/** What templates receive, per kind (times as epoch ms). */
export type MailData = { [K in MailKind]: z.output<Schemas[K]> };

/** What the language of a mail is chosen from besides its recipient (see mail.locale.ts). */
export interface MailLanguageHints {
  /** The account whose action made the mail go out (a share's sender, an inviting admin). */
  causedBy?: string | null | undefined;
  /** The organization the mail is about. */
  orgId?: string | null | undefined;
}

/** A message to queue. `shareId` and `ref` come back in the delivery hooks. */
export type MailMessage = {
  [K in MailKind]: {
    kind: K;
    to: string;
    data: MailDataInput[K];
    /** The share a message is about, so delivery state can be recorded per recipient. */
    shareId?: string | undefined;
    /** The caller's own reference (e.g. a recipient row id); stored in clear, so no secrets. */
    ref?: string | undefined;
    /**
     * Who caused the mail and for which organization, for its language (mail.locale.ts) when
     * the recipient's own is not known.
     */
    language?: MailLanguageHints | undefined;
  };
}[MailKind];

export function isMailKind(value: string): value is MailKind {
  return (MAIL_KINDS as readonly string[]).includes(value);
}
