/**
 * Everything the CLI reports goes through CliError: a one-line message for people and the exit
 * code scripts branch on. main.ts prints `hushlink: <message>` and never a stack trace.
 */
import { GoneReason } from "@hushlink/protocol";

export const EXIT = {
  ok: 0,
  /** Anything else: unreachable server, HTTP error, input refused (too large, not UTF-8). */
  error: 1,
  /** The secret is gone: viewed, expired, deleted or locked. */
  gone: 2,
  /** No such share or request (also a link whose view token does not match). */
  notFound: 3,
  /** The password is wrong or missing. */
  password: 4,
  /** Sign-in required or not allowed. */
  denied: 5,
  /** Bad arguments, an unknown command or a malformed link. */
  usage: 64,
  /** Interrupted at a prompt (Ctrl-C). */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.error,
  ) {
    super(message);
    this.name = "CliError";
  }
}

export class UsageError extends CliError {
  constructor(
    message: string,
    /** The command whose help to point at, e.g. "share"; empty for the top level. */
    readonly command = "",
  ) {
    super(message, EXIT.usage);
    this.name = "UsageError";
  }
}

/** An answer of the API with an error status, already turned into words for people. */
export class ApiError extends CliError {
  /** Seconds the server asked to wait before trying again (a 429's or 503's Retry-After). */
  retryAfter: number | null = null;

  constructor(
    message: string,
    exitCode: number,
    readonly status: number,
    readonly code: string | null,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message, exitCode);
    this.name = "ApiError";
  }
}

/** "2026-11-26 12:34 UTC": unambiguous for people wherever they are. */
export function formatDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/**
 * What a link holder reads for each reason a share is gone, `when` being " on <date>" or "".
 * Keyed by the protocol's GoneReason, so a reason added there fails this type check until it has
 * its words here.
 */
const GONE: Record<GoneReason, (when: string) => string> = {
  viewed: (when) => `This secret was already viewed${when}. If that was not you, tell the sender.`,
  expired: (when) => `This secret expired${when}.`,
  deleted: (when) => `This secret was deleted${when}.`,
  locked: (when) => `This secret was locked and destroyed${when} after too many wrong passwords.`,
  revoked: (when) => `The sender took this link back${when}.`,
};

/** The sentence a link holder sees for a share that no longer exists (SPEC §3, tombstones). */
export function goneMessage(reason: unknown, at: unknown): string {
  const when = typeof at === "string" ? ` on ${formatDate(at)}` : "";
  const parsed = GoneReason.safeParse(reason);
  return parsed.success ? GONE[parsed.data](when) : `This secret is gone${when}.`;
}

/**
 * A failure worth another attempt: the network or the server failing mid-way (a dropped
 * connection, a 5xx, a 429), not a refusal of what was sent.
 */
export function isTransient(error: unknown): boolean {
  if (error instanceof ApiError) return error.status >= 500 || error.status === 429;
  return error instanceof CliError || error instanceof TypeError;
}
