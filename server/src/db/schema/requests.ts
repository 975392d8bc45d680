import type { Generated } from "kysely";

/** Secret requests and their events (features/requests). */
export type RequestAccess = "anyone" | "organization";

/** Secret requests (features/requests). The value columns are set together on fulfilment. */
export interface RequestsTable {
  id: string;
  /** Null for a request made without an account (SPEC F13): it has a manage token instead. */
  org_id: string | null;
  requester_id: string | null;
  name: string | null;
  access: RequestAccess;
  created_at: number;
  expires_at: number;
  submitted_at: number | null;
  /** The value under its data key (lib/data-keys.ts). */
  value_sealed: string | null;
  /** The data key under the root key, and that root key's id. */
  wrapped_key: string | null;
  key_id: string | null;
  /**
   * End-to-end requests (SPEC §3.2): all set or all null. The private scalar is wrapped under
   * the reading secret, which the server never sees; it keeps SHA-256 of the read token.
   */
  public_key: string | null;
  encrypted_private_key: string | null;
  key_iv: string | null;
  read_token_hash: string | null;
  manage_token_hash: string | null;
  /** The answer to an end-to-end request, which only the requester's client can open. */
  ephemeral_public_key: string | null;
  answer_ciphertext: string | null;
  answer_iv: string | null;
  /** Files of the answer (SPEC F13 with §3.1), counted as a share's: see SharesTable. */
  blob_count: Generated<number>;
  blob_bytes: Generated<number>;
  chunks_total: Generated<number>;
  chunks_stored: Generated<number>;
  upload_token_hash: Generated<string | null>;
}

/** A blob of an answer, as declared at submit: `size` is its encrypted size (SPEC §3.1). */
export interface RequestBlobsTable {
  request_id: string;
  id: string;
  position: number;
  size: number;
  chunks: number;
}

/** One stored chunk of an answer's blob; `data` null when the bytes are in S3. */
export interface RequestBlobChunksTable {
  request_id: string;
  blob_id: string;
  n: number;
  size: number;
  data: Buffer | null;
  stored_at: number;
}

/** An open's download window; the token is stored as its SHA-256 only. */
export interface RequestDownloadGrantsTable {
  token_hash: string;
  request_id: string;
  expires_at: number;
}

export type RequestEventType = "created" | "submitted" | "revealed" | "deleted" | "expired";

export interface RequestEventsTable {
  id: string;
  request_id: string;
  type: RequestEventType;
  at: number;
  ip: string | null;
  user_id: string | null;
}
