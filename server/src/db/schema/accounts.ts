/** People and organizations: accounts, memberships, sessions, API tokens, e-mailed tokens, invitations, logos and sharing policies (features/auth, orgs, tokens, branding, policies). */
import type { Generated } from "kysely";

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
  /** The language the account picked (a protocol SupportedLocale); null: none. */
  locale: string | null;
}

export interface OrgsTable {
  id: string;
  name: string;
  created_at: number;
  primary_color: string | null;
  background_color: string | null;
  text_color: string | null;
  /** The organization's language (a protocol SupportedLocale); null: none. */
  default_locale: string | null;
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
  /** How the session was made: `requireSso` refuses any but `sso` (auth.context.ts). */
  method: SessionMethod;
}

export type SessionMethod = "password" | "passkey" | "sso";

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
