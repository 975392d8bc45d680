/**
 * Table types for Kysely. Times are epoch milliseconds in both dialects (bigint in PostgreSQL,
 * parsed to number by the pg type parser set in database.ts), so no time zone ever enters.
 */
import type {
  BlobChunksTable,
  DownloadGrantsTable,
  ShareBlobsTable,
  ShareEventsTable,
  ShareRecipientsTable,
  SharesTable,
} from "./schema/shares.js";
import type {
  ApiTokensTable,
  EmailTokensTable,
  InvitationsTable,
  MembershipsTable,
  OrgLogosTable,
  OrgPoliciesTable,
  OrgsTable,
  SessionsTable,
  UsersTable,
} from "./schema/accounts.js";
import type { MailOutboxTable, MailQuotaTable } from "./schema/mail.js";
import type {
  RequestBlobChunksTable,
  RequestBlobsTable,
  RequestDownloadGrantsTable,
  RequestEventsTable,
  RequestsTable,
} from "./schema/requests.js";
import type {
  OrgSecondFactorTable,
  OrgSsoBreakGlassTable,
  OrgSsoDomainsTable,
  OrgSsoTable,
  PasskeysTable,
  PendingSigninsTable,
  RecoveryCodesTable,
  SignInAttemptsTable,
  SsoIdentitiesTable,
  SsoLoginsTable,
  UserTotpTable,
  WebauthnChallengesTable,
} from "./schema/sign-in.js";
import type { AuditEntriesTable, AuditHeadsTable } from "./schema/audit.js";
import type { WebhookDeliveriesTable, WebhookEndpointsTable } from "./schema/webhooks.js";

export type * from "./schema/shares.js";
export type * from "./schema/accounts.js";
export type * from "./schema/mail.js";
export type * from "./schema/requests.js";
export type * from "./schema/sign-in.js";
export type * from "./schema/audit.js";
export type * from "./schema/webhooks.js";

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
  request_blobs: RequestBlobsTable;
  request_blob_chunks: RequestBlobChunksTable;
  request_download_grants: RequestDownloadGrantsTable;
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
  passkeys: PasskeysTable;
  webauthn_challenges: WebauthnChallengesTable;
}
