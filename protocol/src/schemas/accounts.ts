import { z } from "zod";

import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "../constants.js";
import { displayName, Email } from "./common.js";

export const Password = z
  .string()
  .min(MIN_PASSWORD_LENGTH, { message: `must be at least ${MIN_PASSWORD_LENGTH} characters` })
  .max(MAX_PASSWORD_LENGTH, { message: `must be at most ${MAX_PASSWORD_LENGTH} characters` });

export const SignupBody = z
  .object({
    email: Email,
    password: Password,
    name: displayName(200).trim().optional(),
    /**
     * The token of an invitation to this address (extension): the account joins that
     * organization only, and counts as confirmed, since the invitation reached the address.
     */
    invitation: z.string().min(1).max(200).optional(),
  })
  .strict();
export type SignupBody = z.input<typeof SignupBody>;

export const LoginBody = z.object({ email: Email, password: z.string().min(1).max(1024) }).strict();
export type LoginBody = z.input<typeof LoginBody>;

export const TokenBody = z.object({ token: z.string().min(1).max(200) }).strict();
export const PasswordResetBody = z.object({ email: Email }).strict();
export const PasswordResetConfirmBody = z
  .object({ token: z.string().min(1).max(200), password: Password })
  .strict();

export const Role = z.enum(["admin", "member"]);
export type Role = z.infer<typeof Role>;

export const Me = z.object({
  user: z.object({
    id: z.string(),
    email: z.string(),
    name: z.string().nullable(),
    emailVerified: z.boolean(),
  }),
  orgs: z.array(z.object({ id: z.string(), name: z.string(), role: Role })),
});
export type Me = z.infer<typeof Me>;

export const CreateApiTokenBody = z.object({ name: displayName(100).trim().min(1) }).strict();
export const CreateApiTokenResponse = z.object({ id: z.string(), token: z.string() });
export const ApiTokenList = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      createdAt: z.string(),
      lastUsedAt: z.string().nullable(),
    }),
  ),
});

/** `PATCH /api/v1/orgs/{orgId}` (extension): an admin renames the organization. */
export const RenameOrgBody = z.object({ name: displayName(200).trim().min(1) }).strict();
export type RenameOrgBody = z.infer<typeof RenameOrgBody>;
export const OrgSummary = z.object({ id: z.string(), name: z.string() });
export type OrgSummary = z.infer<typeof OrgSummary>;

export const InvitationBody = z.object({ email: Email, role: Role.default("member") }).strict();
export const MemberList = z.object({
  items: z.array(
    z.object({ userId: z.string(), email: z.string(), name: z.string().nullable(), role: Role }),
  ),
});
export type MemberList = z.infer<typeof MemberList>;

const Color = z.string().regex(/^#[0-9a-fA-F]{6}$/, { message: "must be a colour as #rrggbb" });
export const BrandingBody = z
  .object({
    primaryColor: Color.optional(),
    backgroundColor: Color.optional(),
    textColor: Color.optional(),
  })
  .strict();
export type BrandingBody = z.infer<typeof BrandingBody>;
