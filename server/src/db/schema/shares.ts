/** Shares, their files and download windows, recipients and the access log (features/shares, features/blobs). */
import type { Generated } from "kysely";

export type ShareStatus = "active" | "viewed" | "expired" | "deleted" | "locked" | "revoked";

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
  restrict_to_recipients: Generated<number>;
  /** 1: the page shows the creator's name and organization before Reveal. */
  show_sender: Generated<number>;
  status: Generated<ShareStatus>;
  created_at: number;
  /** The creator's address, for the "created" entry of the access log. */
  created_ip: string | null;
  expires_at: number;
  gone_at: number | null;
  /** Files (SPEC F12): how many blobs, their encrypted bytes, chunks expected and stored. */
  blob_count: Generated<number>;
  blob_bytes: Generated<number>;
  chunks_total: Generated<number>;
  chunks_stored: Generated<number>;
  /** base64url SHA-256 of the upload token; null for shares without files. */
  upload_token_hash: string | null;
  /** A recipient's own link (F14): the share it belongs to; null for every other share. */
  parent_id: Generated<string | null>;
  /** 1: a share whose recipients each have a link (child rows); it has no content itself. */
  links_per_recipient: Generated<number>;
  /** 1: a recipient link bound to an external address; a reveal needs an e-mailed code. */
  email_code_required: Generated<number>;
  /** SHA-256 of the link id and the current code; null when there is none to use. */
  email_code_hash: Generated<string | null>;
  email_code_expires_at: Generated<number | null>;
  email_code_tries_left: Generated<number | null>;
  /** Send limits: the last code sent, and the hour window's start and count. */
  email_code_sent_at: Generated<number | null>;
  email_code_window_at: Generated<number | null>;
  email_code_window_count: Generated<number>;
}

/** A blob declared at create: `size` is its encrypted size (SPEC §3.1). */
export interface ShareBlobsTable {
  share_id: string;
  id: string;
  position: number;
  size: number;
  chunks: number;
}

/** One stored chunk; `data` holds its bytes in the database store, null when they are in S3. */
export interface BlobChunksTable {
  share_id: string;
  blob_id: string;
  n: number;
  size: number;
  data: Buffer | null;
  stored_at: number;
}

/** A reveal's download window; the token is stored as its SHA-256 only. */
export interface DownloadGrantsTable {
  token_hash: string;
  share_id: string;
  expires_at: number;
}

/** The access log as the API lists it (SPEC §4, share events). */
export type ShareEventType =
  | "created"
  | "revealed"
  | "wrong_password"
  | "wrong_email_code"
  | "deleted"
  | "expired"
  | "locked"
  | "revoked";

/**
 * What share_events stores: "created" and "expired" are read off the share row itself
 * (created_at, created_ip, creator_id; the expired tombstone's gone_at).
 */
export type StoredShareEventType = Exclude<ShareEventType, "created" | "expired">;

export type DeliveryState = "queued" | "sent" | "failed";

export interface ShareRecipientsTable {
  id: string;
  share_id: string;
  email: string;
  delivery: Generated<DeliveryState>;
  created_at: number;
  updated_at: number;
  /** The recipient's own link (a share row), for a share with a link per recipient (F14). */
  link_id: Generated<string | null>;
}

export interface ShareEventsTable {
  /** Time-ordered (UUIDv7), so inserts append to the index instead of scattering over it. */
  id: string;
  share_id: string;
  type: StoredShareEventType;
  at: number;
  ip: string | null;
  user_id: string | null;
}
