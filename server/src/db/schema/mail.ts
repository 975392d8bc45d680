/** The mail outbox and the hourly mail quota (features/mail, lib/mail-quota.ts). */
import type { Generated } from "kysely";

/** Outbox entries (features/mail). Recipient and payload are sealed with the root key. */
export interface MailOutboxTable {
  id: string;
  /** A MailKind; kept as text so an entry written by a newer version still loads. */
  kind: string;
  recipient: string;
  payload: string;
  share_id: string | null;
  ref: string | null;
  attempts: Generated<number>;
  next_attempt_at: number;
  locked_until: number | null;
  claim_token: string | null;
  created_at: number;
  last_error_code: string | null;
  /** The language to render it in (a protocol SupportedLocale), chosen at enqueue; null: English. */
  locale: string | null;
}

/** Mails sent on an account's behalf, per bucket ("sender:<userId>", "to:<address hash>"). */
export interface MailQuotaTable {
  bucket: string;
  window_started_at: number;
  count: number;
}
