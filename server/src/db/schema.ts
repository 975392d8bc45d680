/**
 * Table types for Kysely. Times are epoch milliseconds in both dialects (bigint in PostgreSQL,
 * parsed to number by the pg type parser set in database.ts), so no time zone ever enters.
 */
import type { Generated } from "kysely";

export type ShareStatus = "active" | "viewed" | "expired" | "deleted" | "locked";

export interface SharesTable {
  id: string;
  org_id: string | null;
  creator_id: string | null;
  name: string | null;
  access: "anyone" | "organization";
  /** base64url as sent by the client; null once the share is destroyed. */
  ciphertext: string | null;
  iv: string | null;
  /** base64url SHA-256 of the view token and verifier; null once destroyed. */
  view_token_hash: string | null;
  verifier_hash: string | null;
  kdf_m: number | null;
  kdf_t: number | null;
  kdf_p: number | null;
  manage_token_hash: string | null;
  max_views: number | null;
  view_count: Generated<number>;
  password_attempts_left: number | null;
  notify_on_view: Generated<number>;
  allow_external_recipients: Generated<number>;
  status: Generated<ShareStatus>;
  created_at: number;
  expires_at: number;
  gone_at: number | null;
}

export type ShareEventType =
  "created" | "revealed" | "wrong_password" | "deleted" | "expired" | "locked";

export interface ShareEventsTable {
  id: string;
  share_id: string;
  type: ShareEventType;
  at: number;
  ip: string | null;
  user_id: string | null;
}

export interface Database {
  shares: SharesTable;
  share_events: ShareEventsTable;
}
