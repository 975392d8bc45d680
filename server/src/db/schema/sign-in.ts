/** Sign-in protection and second factors: wrong-password counts, single sign-on, authenticator apps, passkeys, recovery codes, pending sign-ins, the organization rule (features/auth, features/sso). */
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

/** A claim of an e-mail domain; it counts once proven by DNS (`proven_at`), one per domain. */
export interface OrgSsoDomainsTable {
  org_id: string;
  domain: string;
  /** The value of the TXT record that proves the claim (not secret: it is published in DNS). */
  proof: string;
  created_at: number;
  proven_at: number | null;
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

/** An account's passkey (features/auth/passkeys.*); see the migration. */
export interface PasskeysTable {
  id: string;
  user_id: string;
  /** base64url of the authenticator's credential id; unique. */
  credential_id: string;
  /** base64url of the COSE public key. */
  public_key: string;
  sign_count: Generated<number>;
  /** JSON array of transports, or null. */
  transports: string | null;
  name: string;
  created_at: number;
  last_used_at: number | null;
}

/** A WebAuthn challenge given out and not yet answered: SHA-256, single-use, short-lived. */
export interface WebauthnChallengesTable {
  challenge_hash: string;
  purpose: "register" | "second_factor" | "passwordless";
  user_id: string | null;
  pending_hash: string | null;
  created_at: number;
  expires_at: number;
}
