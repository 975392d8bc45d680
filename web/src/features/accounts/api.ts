/**
 * Accounts endpoints of HTTP API v1 (SPEC §4, F8): sign-up, sign-in, verification, reset, password
 * change, invitations.
 */
import type {
  AcceptedInvitation,
  InvitationInfo,
  Me,
  Passkey,
  PasskeyAdded,
  PasskeyAssertion,
  PasskeyCreationOptions,
  PasskeyList,
  PasskeyRegistrationCredential,
  PasskeyRequestOptions,
  RecoveryCodes,
  SecondFactorChallenge,
  SecondFactorStatus,
  SignupAccepted,
  SupportedLocale,
  TotpEnrolment,
} from "@hushlink/protocol";

import { api, segment } from "../../lib/api";

export type Invitation = InvitationInfo;

const invitationPath = (token: string) => `/api/v1/invitations/${segment(token)}`;

export const accountsApi = {
  /**
   * With an invitation: the new account, signed in. Without: `{status: "check_inbox"}`, for a new
   * address and one that has an account alike (issue 15); the mailed link finishes it.
   */
  signup: (body: {
    email: string;
    password: string;
    name?: string;
    invitation?: string;
    locale?: SupportedLocale;
  }) => api.post<Me | SignupAccepted>("/api/v1/auth/signup", body),

  /** Signed in (`Me`), or a pending sign-in that needs the second factor (F16). */
  login: (body: { email: string; password: string }) =>
    api.post<Me | SecondFactorChallenge>("/api/v1/auth/login", body),

  /** The second step: the token from `login` (kept in memory only) and one of the codes. */
  completeSignIn: (body: {
    pendingToken: string;
    code?: string;
    recoveryCode?: string;
    passkey?: PasskeyAssertion;
  }) => api.post<Me>("/api/v1/auth/login/second-factor", body),

  /** Options for the second step with a passkey: the pending sign-in's account's passkeys. */
  secondStepPasskeyOptions: (pendingToken: string) =>
    api.post<PasskeyRequestOptions>("/api/v1/auth/login/second-factor/passkey-options", {
      pendingToken,
    }),

  /** Options for a sign-in with a passkey alone (no address). */
  passkeySignInOptions: () => api.post<PasskeyRequestOptions>("/api/v1/auth/login/passkey/options"),

  signInWithPasskey: (credential: PasskeyAssertion) =>
    api.post<Me>("/api/v1/auth/login/passkey", { credential }),

  passkeys: () => api.get<PasskeyList>("/api/v1/auth/second-factor/passkeys"),

  /** `password`: given when the session signed in too long ago (403 recent_sign_in_required). */
  passkeyOptions: (password?: string) =>
    api.post<PasskeyCreationOptions>(
      "/api/v1/auth/second-factor/passkeys/options",
      password === undefined ? undefined : { password },
    ),

  addPasskey: (name: string, credential: PasskeyRegistrationCredential) =>
    api.post<PasskeyAdded>("/api/v1/auth/second-factor/passkeys", { name, credential }),

  renamePasskey: (id: string, name: string) =>
    api.patch<Passkey>(`/api/v1/auth/second-factor/passkeys/${segment(id)}`, { name }),

  removePasskey: (id: string, password: string) =>
    api.delete(`/api/v1/auth/second-factor/passkeys/${segment(id)}`, { body: { password } }),

  secondFactor: () => api.get<SecondFactorStatus>("/api/v1/auth/second-factor"),

  /** `password`: given when the session signed in too long ago (403 recent_sign_in_required). */
  startTotp: (password?: string) =>
    api.post<TotpEnrolment>(
      "/api/v1/auth/second-factor/totp",
      password === undefined ? undefined : { password },
    ),

  confirmTotp: (code: string) =>
    api.post<RecoveryCodes>("/api/v1/auth/second-factor/totp/confirm", { code }),

  removeTotp: (password: string) =>
    api.delete("/api/v1/auth/second-factor/totp", { body: { password } }),

  newRecoveryCodes: (password: string) =>
    api.post<RecoveryCodes>("/api/v1/auth/second-factor/recovery-codes", { password }),

  /** `password`: a new one, which a link opened outside the sign-up browser needs (issue 15). */
  verifyEmail: (token: string, password?: string) =>
    api.post("/api/v1/auth/verify-email", password === undefined ? { token } : { token, password }),

  resendVerification: () => api.post("/api/v1/auth/verify-email/resend"),

  requestPasswordReset: (email: string) => api.post("/api/v1/auth/password-reset", { email }),

  confirmPasswordReset: (token: string, password: string) =>
    api.post("/api/v1/auth/password-reset/confirm", { token, password }),

  /**
   * Signed in: proves the current password; other sessions are signed out, this one stays, and
   * the account's API tokens are revoked unless `keepApiTokens`.
   */
  changePassword: (currentPassword: string, newPassword: string, keepApiTokens = false) =>
    api.post("/api/v1/auth/password", { currentPassword, newPassword, keepApiTokens }),

  deleteAccount: (password: string) => api.delete("/api/v1/auth/me", { body: { password } }),

  invitation: (token: string) => api.get<Invitation>(invitationPath(token)),

  acceptInvitation: (token: string) =>
    api.post<AcceptedInvitation>(`${invitationPath(token)}/accept`),
};
