/**
 * A real SMTP server on 127.0.0.1 for tests (smtp-server), keeping every message it accepts,
 * parsed (mailparser). It can be told to refuse, to stand in for a relay that is down or that
 * rejects a recipient.
 */
import type { AddressInfo } from "node:net";

import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer, type SMTPServerSession } from "smtp-server";

/**
 * The sender the mail suites configure (MAIL_FROM): a display name and an address, as an operator
 * sets it, so that what a test reads in From is the name and the address both.
 */
export const TEST_MAIL_FROM = "Hushlink <no-reply@hushlink.test>";

export interface ReceivedMail {
  /** The envelope as the client gave it (RCPT TO), which may differ from the headers. */
  envelopeTo: string[];
  parsed: ParsedMail;
  raw: string;
}

/** Where a refusal happens and with which reply code (4xx: try later, 5xx: never). */
export interface Refusal {
  at: "connect" | "rcpt" | "data";
  code: number;
}

export interface TestSmtpServer {
  url: string;
  port: number;
  messages: ReceivedMail[];
  /** Refuse from now on (null: accept again). */
  refuse(refusal: Refusal | null): void;
  /** Connections refused or messages rejected so far. */
  refusals: number;
  /** Waits until `count` messages arrived (messages are stored before the 250 reply anyway). */
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** An error smtp-server answers with `code` (4xx: try later, 5xx: never). */
export function replyError(code: number, message: string) {
  return Object.assign(new Error(message), { responseCode: code });
}

/** Starts `server` on a free port of 127.0.0.1; that port. */
export async function listenOnLoopback(server: SMTPServer): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  return (server.server.address() as AddressInfo).port;
}

export async function startSmtpServer(): Promise<TestSmtpServer> {
  let refusal: Refusal | null = null;
  const messages: ReceivedMail[] = [];
  const state = { refusals: 0 };

  const server = new SMTPServer({
    // Plain SMTP on loopback: no TLS to set up, no authentication to configure.
    disabledCommands: ["STARTTLS", "AUTH"],
    authOptional: true,
    logger: false,
    onConnect(_session: SMTPServerSession, callback) {
      if (refusal?.at === "connect") {
        state.refusals += 1;
        return callback(replyError(refusal.code, "Service not available, try later"));
      }
      callback();
    },
    onRcptTo(_address, _session, callback) {
      if (refusal?.at === "rcpt") {
        state.refusals += 1;
        return callback(replyError(refusal.code, "Mailbox unavailable"));
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks);
        if (refusal?.at === "data") {
          state.refusals += 1;
          return callback(replyError(refusal.code, "Message refused"));
        }
        // Parsed and stored before the reply, so a resolved send means the message is here.
        simpleParser(raw)
          .then((parsed) => {
            messages.push({
              envelopeTo: session.envelope.rcptTo.map((r) => r.address),
              parsed,
              raw: raw.toString("utf8"),
            });
            callback();
          })
          .catch((error: Error) => callback(error));
      });
    },
  });

  const port = await listenOnLoopback(server);

  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages,
    get refusals() {
      return state.refusals;
    },
    refuse(next) {
      refusal = next;
    },
    async waitFor(count, timeoutMs = 5_000) {
      const until = Date.now() + timeoutMs;
      while (messages.length < count) {
        if (Date.now() > until) {
          throw new Error(`expected ${count} messages, got ${messages.length}`);
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
