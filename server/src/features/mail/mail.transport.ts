/**
 * Where messages go: an SMTP server (SMTP_URL), or, without one, .eml files in DATA_DIR/mail
 * (SPEC F9: account messages still reach an operator who has not set up SMTP). Both build the
 * message with nodemailer, so a file is exactly what SMTP would have carried.
 */
import { randomUUID } from "node:crypto";
import { chmodSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import type { Transporter } from "nodemailer";
import { codeOf } from "../../lib/error-code.js";

/**
 * nodemailer, loaded at the first message: most processes send none for a long while (or never,
 * in files mode without sign-ups), and it costs several MB of memory and tens of ms at start-up.
 */
const loadNodemailer = async () => (await import("nodemailer")).default;

/** One hand-off; the worker leases an entry for longer than this (see mail.service.ts). */
export const SEND_TIMEOUT_MS = 30_000;

export interface OutgoingMail {
  /** The outbox id, also the Message-ID's local part: stable across retries of one entry. */
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface MailTransport {
  mode: "smtp" | "files";
  /** The folder messages are written to in files mode, else null. */
  folder: string | null;
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

/** What an SMTP failure says about retrying, reduced to a code that quotes nothing. */
export interface SendFailure {
  /** E.g. ECONNECTION, ETIMEDOUT, EENVELOPE_451, EMESSAGE_554: letters, digits, underscores. */
  errorCode: string;
  /** The server refused this recipient or message for good (5xx after MAIL FROM): no retry. */
  permanent: boolean;
}

export function describeSendError(error: unknown): SendFailure {
  const e = (error ?? {}) as { code?: unknown; responseCode?: unknown; command?: unknown };
  const code = typeof e.code === "string" && /^[A-Z][A-Z0-9_]{0,31}$/.test(e.code) ? e.code : null;
  const status =
    typeof e.responseCode === "number" && e.responseCode >= 200 && e.responseCode < 600
      ? e.responseCode
      : null;
  const errorCode = `${code ?? "ESEND"}${status ? `_${status}` : ""}`;
  // A 5xx to RCPT TO or DATA judges this recipient or this message. A 5xx anywhere else (AUTH,
  // MAIL FROM) is a setup problem an operator may fix within the hour: keep retrying.
  const permanent =
    status !== null && status >= 500 && (e.command === "RCPT TO" || e.command === "DATA");
  return { errorCode, permanent };
}

function messageOptions(mail: OutgoingMail, from: string, host: string) {
  return {
    from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    messageId: `<${mail.id}@${host}>`,
    headers: { "Auto-Submitted": "auto-generated" },
    // We never attach anything; make sure no content can make nodemailer read a file or a URL.
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}

export function createSmtpTransport(options: {
  smtpUrl: string;
  from: string;
  host: string;
}): MailTransport {
  // The promise is kept, so messages sent at once still share one transporter.
  let transporter: Promise<Transporter> | null = null;
  const open = () =>
    (transporter ??= loadNodemailer().then((nodemailer) =>
      nodemailer.createTransport({
        url: options.smtpUrl,
        // Bounded waits: a dead relay must fail an attempt, not hold the worker and its leases.
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 20_000,
        dnsTimeout: 10_000,
        // Nodemailer's logger would write addresses and, with debug, whole messages.
        logger: false,
        debug: false,
      }),
    ));
  return {
    mode: "smtp",
    folder: null,
    async send(mail) {
      const transport = await open();
      await transport.sendMail({
        ...messageOptions(mail, options.from, options.host),
        signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
      });
    },
    close() {
      void transporter?.then((t) => t.close());
    },
  };
}

export function createFileTransport(options: {
  folder: string;
  from: string;
  host: string;
}): MailTransport {
  let builder: Promise<Transporter> | null = null;
  const open = () =>
    (builder ??= loadNodemailer().then((nodemailer) =>
      nodemailer.createTransport({
        streamTransport: true,
        buffer: true,
        newline: "unix",
        logger: false,
      }),
    ));
  return {
    mode: "files",
    folder: options.folder,
    async send(mail) {
      const transport = await open();
      const info = await transport.sendMail(messageOptions(mail, options.from, options.host));
      // A stream transport with buffer: true leaves the whole message here.
      const message: unknown = (info as { message?: unknown }).message;
      if (!Buffer.isBuffer(message)) throw new Error("the message was not built into a buffer");
      mkdirSync(options.folder, { recursive: true, mode: 0o700 });
      // The folder may predate us with looser permissions; the messages hold reset links.
      chmodSync(options.folder, 0o700);
      // Written whole under a temporary name, then renamed: a reader never sees half a message.
      const name = `${new Date().toISOString().replace(/[:.]/g, "-")}-${mail.id}.eml`;
      const temporary = join(options.folder, `.${name}.${randomUUID()}.tmp`);
      try {
        writeFileSync(temporary, message, { mode: 0o600, flag: "wx" });
        renameSync(temporary, join(options.folder, name));
      } catch (error) {
        rmSync(temporary, { force: true });
        throw error;
      }
    },
    close() {
      void builder?.then((b) => b.close());
    },
  };
}

/**
 * Failures to open or render an entry. A changed or broken seal never heals: drop it. A missing
 * key may be configured within the hour, and an unknown kind or shape may be a newer instance's
 * entry during a rolling upgrade: retry those.
 */
export function sendFailure(error: unknown) {
  const described = describeSendError(error);
  if (described.errorCode !== "ESEND") return described;
  const code = codeOf(error);
  return {
    errorCode: code === "unknown" ? "ESEND" : code,
    permanent: code === "sealed_tampered" || code === "sealed_malformed",
  };
}
