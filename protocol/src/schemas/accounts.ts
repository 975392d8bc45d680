/** Accounts, sessions and personal API tokens (SPEC §4): bodies and answers. */
import { z } from "zod";

import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "../constants.js";
import {
  AccountEmail,
  displayName,
  Email,
  IsoDate,
  itemList,
  Locale,
  RecentProof,
} from "./common.js";

export const Password = z
  .string()
  .min(MIN_PASSWORD_LENGTH, { message: `must be at least ${MIN_PASSWORD_LENGTH} characters` })
  .max(MAX_PASSWORD_LENGTH, { message: `must be at most ${MAX_PASSWORD_LENGTH} characters` });

export const SignupBody = z
  .object({
    email: AccountEmail,
    password: Password,
    name: displayName(200).trim().optional(),
    /**
     * The token of an invitation to this address (extension): the account joins that
     * organization only, and counts as confirmed, since the invitation reached the address.
     */
    invitation: z.string().min(1).max(200).optional(),
    /**
     * The language of the sign-up (extension, F17): the new organization is named in it
     * ("Organisation de Marie"). Without it, English. The account's own language is unchanged.
     */
    locale: Locale.optional(),
  })
  .strict()
  .meta({ id: "SignupBody" });
export type SignupBody = z.input<typeof SignupBody>;

export const LoginBody = z
  .object({ email: Email, password: z.string().min(1).max(1024) })
  .strict()
  .meta({ id: "LoginBody" });
export type LoginBody = z.input<typeof LoginBody>;

/**
 * What sign-up answers without an invitation (extension, issue 15): 202 and this, the same for a
 * new address and one that has an account, so the answer tells nobody which addresses exist. The
 * inbox gets either the verification link or a notice that someone tried to sign up.
 */
export const SignupAccepted = z
  .object({ status: z.literal("check_inbox") })
  .meta({ id: "SignupAccepted" });
export type SignupAccepted = z.infer<typeof SignupAccepted>;

/** The token from a verification mail. */
export const TokenBody = z
  .object({ token: z.string().min(1).max(200) })
  .strict()
  .meta({ id: "TokenBody" });
export type TokenBody = z.input<typeof TokenBody>;

/**
 * `POST /api/v1/auth/verify-email` (extension of `{token}`): `password` sets a new one while
 * confirming, which a link opened outside the browser that signed up requires (issue 15).
 */
export const VerifyEmailBody = z
  .object({ token: z.string().min(1).max(200), password: Password.optional() })
  .strict()
  .meta({ id: "VerifyEmailBody" });
export type VerifyEmailBody = z.input<typeof VerifyEmailBody>;

export const PasswordResetBody = z
  .object({ email: Email })
  .strict()
  .meta({ id: "PasswordResetBody" });
export type PasswordResetBody = z.input<typeof PasswordResetBody>;

export const PasswordResetConfirmBody = z
  .object({ token: z.string().min(1).max(200), password: Password })
  .strict()
  .meta({ id: "PasswordResetConfirmBody" });
export type PasswordResetConfirmBody = z.input<typeof PasswordResetConfirmBody>;

/** `POST /api/v1/auth/password` (extension of SPEC §4). */
export const ChangePasswordBody = z
  .object({
    currentPassword: z.string().min(1).max(1024),
    newPassword: Password,
    /** Off by default: a changed password also revokes every API token of the account. */
    keepApiTokens: z.boolean().optional(),
  })
  .strict()
  .meta({ id: "ChangePasswordBody" });
export type ChangePasswordBody = z.infer<typeof ChangePasswordBody>;

/**
 * `DELETE /api/v1/auth/me` (extension, issue 25): the account's password, proven once more, to
 * delete the account for good.
 */
export const DeleteAccountBody = z
  .object({ password: z.string().min(1).max(1024) })
  .strict()
  .meta({ id: "DeleteAccountBody" });
export type DeleteAccountBody = z.input<typeof DeleteAccountBody>;

/**
 * `PATCH /api/v1/auth/me` (extension, F17): the account's own settings. `locale` null forgets
 * the choice (pages follow the browser again; e-mails the organization's default).
 */
export const UpdateMeBody = z
  .object({ locale: Locale.nullable().optional() })
  .strict()
  .meta({ id: "UpdateMeBody" });
export type UpdateMeBody = z.infer<typeof UpdateMeBody>;

export const Role = z.enum(["admin", "member"]).meta({ id: "Role" });
export type Role = z.infer<typeof Role>;

export const Me = z
  .object({
    user: z.object({
      id: z.string(),
      email: z.string(),
      name: z.string().nullable(),
      emailVerified: z.boolean(),
      /**
       * Extension (F17): the language the account picked, for its pages and the e-mails it gets
       * (and those it causes, to people without an account); null until picked. Optional for
       * older servers.
       */
      locale: Locale.nullable().optional(),
    }),
    orgs: z.array(z.object({ id: z.string(), name: z.string(), role: Role })),
    /**
     * Extension (F16): whether the account has a second factor, and whether one of its
     * organizations requires it. Required and not enabled: only enrolment is open.
     */
    secondFactor: z.object({ enabled: z.boolean(), required: z.boolean() }).optional(),
  })
  .meta({ id: "Me" });
export type Me = z.infer<typeof Me>;

/**
 * What a token may do (extension): `read` only GET and HEAD, `shares` only the share routes
 * (`/api/v1/shares…`) and `GET /api/v1/auth/me`, `full` everything its owner may do but create
 * tokens. Enforced on the server for every route: otherwise 403 `token_scope`.
 */
export const ApiTokenScope = z.enum(["read", "shares", "full"]).meta({ id: "ApiTokenScope" });
export type ApiTokenScope = z.infer<typeof ApiTokenScope>;

/** The longest a token may live when it expires (a year), in seconds. */
export const MAX_API_TOKEN_EXPIRES_IN = 365 * 24 * 3600;

export const CreateApiTokenBody = z
  .object({
    name: displayName(100).trim().min(1),
    /** Default `full`, as tokens were before scopes. */
    scope: ApiTokenScope.optional(),
    /** Seconds from now (1 hour to a year); absent or null: the token does not expire. */
    expiresIn: z.number().int().min(3600).max(MAX_API_TOKEN_EXPIRES_IN).nullable().optional(),
    /**
     * The account's password (extension): needed unless the session signed in within the last
     * 15 minutes, since a token outlives the session that makes it (403 recent_sign_in_required).
     */
    ...RecentProof,
  })
  .strict()
  .meta({ id: "CreateApiTokenBody" });
export type CreateApiTokenBody = z.input<typeof CreateApiTokenBody>;

/** The token itself is shown here only, once. */
export const CreateApiTokenResponse = z
  .object({
    id: z.string(),
    token: z.string(),
    scope: ApiTokenScope,
    expiresAt: IsoDate.nullable(),
  })
  .meta({ id: "CreateApiTokenResponse" });
export type CreateApiTokenResponse = z.infer<typeof CreateApiTokenResponse>;

export const ApiToken = z
  .object({
    id: z.string(),
    name: z.string(),
    createdAt: IsoDate,
    lastUsedAt: IsoDate.nullable(),
    scope: ApiTokenScope,
    /** null: never expires. */
    expiresAt: IsoDate.nullable(),
    /** Past `expiresAt`: the token answers 401 `invalid_token` like an unknown one. */
    expired: z.boolean(),
  })
  .meta({ id: "ApiToken" });
export type ApiToken = z.infer<typeof ApiToken>;

export const ApiTokenList = itemList(ApiToken).meta({ id: "ApiTokenList" });
export type ApiTokenList = z.infer<typeof ApiTokenList>;
