/**
 * Table types for Kysely. Times are epoch milliseconds in both dialects (bigint in PostgreSQL,
 * parsed to number by the pg type parser set in database.ts), so no time zone ever enters.
 */
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

export type Role = "admin" | "member";

export interface UsersTable {
  id: string;
  email: string;
  name: string | null;
  password_hash: string;
  email_verified_at: number | null;
  /** SHA-256 of the sign-up browser's cookie, until the address is confirmed. */
  signup_browser_hash: string | null;
  failed_logins: Generated<number>;
  locked_until: number | null;
  created_at: number;
}

export interface OrgsTable {
  id: string;
  name: string;
  created_at: number;
  primary_color: string | null;
  background_color: string | null;
  text_color: string | null;
}

export interface OrgLogosTable {
  org_id: string;
  hash: string;
  content_type: string;
  data: string;
  created_at: number;
}

export interface OrgPoliciesTable {
  org_id: string;
  /** The SharingPolicy as JSON. */
  policy: string;
  updated_at: number;
  updated_by: string | null;
}

export interface MembershipsTable {
  org_id: string;
  user_id: string;
  role: Role;
  created_at: number;
}

export interface SessionsTable {
  token_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  created_at: number;
  last_used_at: number | null;
  /** What the token may do (protocol `ApiTokenScope`); `full` for tokens from before scopes. */
  scope: Generated<"read" | "shares" | "full">;
  /** null: never expires. */
  expires_at: number | null;
}

export interface EmailTokensTable {
  token_hash: string;
  user_id: string;
  purpose: "verify" | "reset";
  created_at: number;
  expires_at: number;
}

export interface InvitationsTable {
  id: string;
  token_hash: string;
  org_id: string;
  email: string;
  role: Role;
  invited_by: string | null;
  created_at: number;
  expires_at: number;
  accepted_at: number | null;
}

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
}

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

/** Wrong passwords per hashed address and client IP; ip "*" is the account-wide count. */
export interface SignInAttemptsTable {
  account_key: string;
  ip: string;
  failures: Generated<number>;
  window_started_at: number;
  paused_until: number | null;
  last_success_at: number | null;
}

/** Mails sent on an account's behalf, per bucket ("sender:<userId>", "to:<address hash>"). */
export interface MailQuotaTable {
  bucket: string;
  window_started_at: number;
  count: number;
}

/** One audit log entry (features/audit); prev and hash are lower-case hex SHA-256. */
export interface AuditEntriesTable {
  org_id: string;
  seq: number;
  at: number;
  type: string;
  actor_kind: string;
  actor_id: string | null;
  ip: string | null;
  target_kind: string | null;
  target_id: string | null;
  outcome: string;
  prev: string;
  hash: string;
  /** How, where the type does not say (AuditEntry.via); null on most entries. */
  via: string | null;
}

/** Each organization's chain end, and where pruning cut it. */
export interface AuditHeadsTable {
  org_id: string;
  seq: number;
  hash: string;
  cut_seq: Generated<number>;
  cut_hash: string | null;
}

/** Single sign-on (SPEC F15): one OpenID Connect provider per organization. */
export interface OrgSsoTable {
  org_id: string;
  enabled: number;
  issuer: string;
  client_id: string;
  /** sealWithRootKey of the client secret, bound to the org id. */
  client_secret_sealed: string | null;
  require_sso: number;
  updated_at: number;
}

export interface OrgSsoDomainsTable {
  domain: string;
  org_id: string;
}

export interface OrgSsoBreakGlassTable {
  org_id: string;
  user_id: string;
}

/** An SSO sign-in under way, taken once by the callback. */
export interface SsoLoginsTable {
  state_hash: string;
  org_id: string;
  /** The PKCE verifier and the nonce, sealed with the root key. */
  sealed: string;
  return_to: string;
  expires_at: number;
}

/** The provider's subject of an account (iss + sub): SSO sign-ins match on it, not the address. */
export interface SsoIdentitiesTable {
  issuer: string;
  subject: string;
  user_id: string;
  created_at: number;
}

/** An account's authenticator app (features/auth/second-factor.*); see the migration. */
export interface UserTotpTable {
  user_id: string;
  secret_sealed: string;
  created_at: number;
  confirmed_at: number | null;
  last_step: number | null;
}

export interface RecoveryCodesTable {
  user_id: string;
  code_hash: string;
  created_at: number;
}

export interface PendingSigninsTable {
  token_hash: string;
  user_id: string;
  failures: Generated<number>;
  created_at: number;
  expires_at: number;
}

/** Webhook endpoints (features/webhooks); the secret is sealed with the root key. */
export interface WebhookEndpointsTable {
  id: string;
  org_id: string;
  url: string;
  /** JSON array of audit event types. */
  events: string;
  format: string;
  include_names: number;
  secret: string;
  created_at: number;
  /** 1, or 0 while an admin has paused the endpoint. */
  enabled: number;
}

/** Webhook outbox and delivery log (features/webhooks). */
export interface WebhookDeliveriesTable {
  id: string;
  endpoint_id: string;
  type: string;
  /** The JSON body as it was built at the event; never secret material (webhooks.payload.ts). */
  payload: string;
  status: "pending" | "delivered" | "failed";
  attempts: Generated<number>;
  next_attempt_at: number | null;
  locked_until: number | null;
  claim_token: string | null;
  created_at: number;
  last_attempt_at: number | null;
  response_status: number | null;
  last_error_code: string | null;
}

export interface OrgSecondFactorTable {
  org_id: string;
  required: number;
  updated_at: number;
}

export interface Database {
  shares: SharesTable;
  share_events: ShareEventsTable;
  share_recipients: ShareRecipientsTable;
  users: UsersTable;
  orgs: OrgsTable;
  org_logos: OrgLogosTable;
  org_policies: OrgPoliciesTable;
  memberships: MembershipsTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  email_tokens: EmailTokensTable;
  invitations: InvitationsTable;
  mail_outbox: MailOutboxTable;
  requests: RequestsTable;
  request_events: RequestEventsTable;
  sign_in_attempts: SignInAttemptsTable;
  mail_quota: MailQuotaTable;
  share_blobs: ShareBlobsTable;
  blob_chunks: BlobChunksTable;
  download_grants: DownloadGrantsTable;
  audit_entries: AuditEntriesTable;
  audit_heads: AuditHeadsTable;
  org_sso: OrgSsoTable;
  org_sso_domains: OrgSsoDomainsTable;
  org_sso_break_glass: OrgSsoBreakGlassTable;
  sso_logins: SsoLoginsTable;
  sso_identities: SsoIdentitiesTable;
  user_totp: UserTotpTable;
  recovery_codes: RecoveryCodesTable;
  pending_signins: PendingSigninsTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  org_second_factor: OrgSecondFactorTable;
}
