/** Sign-in protection and second factors: wrong-password counts, single sign-on, authenticator apps, recovery codes, pending sign-ins, the organization rule (features/auth, features/sso). */
import type { Generated } from "kysely";

/** Wrong passwords per hashed address and client IP; ip "*" is the account-wide count. */
export interface SignInAttemptsTable {
  account_key: string;
  ip: string;
  failures: Generated<number>;
  window_started_at: number;
  paused_until: number | null;
  last_success_at: number | null;
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

export interface OrgSecondFactorTable {
  org_id: string;
  required: number;
  updated_at: number;
}
