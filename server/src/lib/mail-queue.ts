import type { Kysely } from "kysely";

import type { Database } from "../db/schema.js";

/**
 * What features need from e-mail: put a message in the outbox inside their own transaction, so a
 * message exists exactly when the change that causes it commits. features/mail implements it.
 */
export interface MailQueue {
  enqueue(
    db: Kysely<Database>,
    message: {
      kind: string;
      to: string;
      data: Record<string, unknown>;
      shareId?: string;
      ref?: string;
      /** Who caused it and for which organization: its language when the recipient's is unknown. */
      language?: { causedBy?: string | null; orgId?: string | null };
    },
  ): Promise<unknown>;
  /** Ask the worker to run soon instead of at its next interval. */
  kick?(): void;
  /**
   * Runs `work`, which queues a mail of `kind`, after the current request has answered; its
   * failure is logged, not thrown (mail.service.ts). Without it, callers run `work` at once.
   */
  afterAnswer?(kind: string, work: () => Promise<void>): void;
  /** Whether share links can be e-mailed (SMTP configured). */
  canDeliverShares?: boolean;
  /** Drops queued messages of a share that was destroyed, so its link leaves the outbox too. */
  cancelForShare?(db: Kysely<Database>, shareId: string): Promise<unknown>;
}

/**
 * What the mail worker tells a feature about its messages once SMTP accepted or finally refused
 * them: the message's kind and the feature's own reference, never the content.
 */
export interface DeliveryListener {
  delivered: (event: { kind: string; ref: string | null }) => Promise<void>;
  failed: (event: { kind: string; ref: string | null }) => Promise<void>;
}

/**
 * A user-given name as one plain line for a mail header or body: names may hold line breaks
 * and other control characters (allowed in share names), which mail refuses for good reason.
 */
// C0 and C1 control characters and the Unicode line and paragraph separators.
// eslint-disable-next-line no-control-regex
const NOT_ONE_LINE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

export function oneLine(text: string, max = 200): string {
  return text.replace(NOT_ONE_LINE, " ").trim().slice(0, max);
}
