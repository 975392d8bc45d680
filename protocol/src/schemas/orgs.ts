/** Organizations (SPEC §4): members, roles, invitations and branding. */
import { z } from "zod";

import { AccountEmail, displayName, IsoDate, itemList, Locale, RecentProof } from "./common.js";
import { Role } from "./accounts.js";

/** `PATCH /api/v1/orgs/{orgId}` (extension): an admin renames the organization. */
export const RenameOrgBody = z
  .object({ name: displayName(200).trim().min(1) })
  .strict()
  .meta({ id: "RenameOrgBody" });
export type RenameOrgBody = z.infer<typeof RenameOrgBody>;
/**
 * `DELETE /api/v1/orgs/{orgId}` (extension, issue 25): the organization's name, typed to confirm;
 * anything else answers 400 `confirmation_mismatch`.
 */
/** Deleting the organization needs a recent proof of identity, as making someone admin does. */
export const DeleteOrgBody = z
  .object({ name: z.string().min(1).max(400), ...RecentProof })
  .strict()
  .meta({ id: "DeleteOrgBody" });
export type DeleteOrgBody = z.infer<typeof DeleteOrgBody>;

export const OrgSummary = z.object({ id: z.string(), name: z.string() }).meta({ id: "OrgSummary" });
export type OrgSummary = z.infer<typeof OrgSummary>;

export const Member = z
  .object({
    userId: z.string(),
    email: z.string(),
    name: z.string().nullable(),
    role: Role,
    /** Extension (F16): whether the member has a second factor (an authenticator app). */
    secondFactor: z.boolean().optional(),
  })
  .meta({ id: "Member" });
export type Member = z.infer<typeof Member>;

export const MemberList = itemList(Member).meta({ id: "MemberList" });
export type MemberList = z.infer<typeof MemberList>;

/**
 * `PUT /api/v1/orgs/{orgId}/members/{userId}`. Making someone admin needs a recent proof of
 * identity (extension): `password`, or a session signed in within the last 15 minutes.
 */
export const RoleBody = z
  .object({ role: Role, ...RecentProof })
  .strict()
  .meta({ id: "RoleBody" });
export type RoleBody = z.infer<typeof RoleBody>;

/** Inviting someone as admin needs a recent proof of identity, as making a member admin does. */
export const InvitationBody = z
  .object({ email: AccountEmail, role: Role.default("member"), ...RecentProof })
  .strict()
  .meta({ id: "InvitationBody" });
export type InvitationBody = z.input<typeof InvitationBody>;

/** The answer to an invitation: its token goes by mail only, never in an answer. */
export const CreatedInvitation = z
  .object({ id: z.string(), email: z.string(), role: Role, expiresAt: IsoDate })
  .meta({ id: "CreatedInvitation" });
export type CreatedInvitation = z.infer<typeof CreatedInvitation>;

/** Pending invitations (extension of SPEC §4); nothing here carries an invitation's token. */
export const PendingInvitation = z
  .object({
    id: z.string(),
    email: z.string(),
    role: Role,
    /** Absent when the admin who sent it has deleted their account. */
    invitedBy: z
      .object({ userId: z.string(), email: z.string(), name: z.string().nullable() })
      .optional(),
    createdAt: IsoDate,
    expiresAt: IsoDate,
  })
  .meta({ id: "PendingInvitation" });
export type PendingInvitation = z.infer<typeof PendingInvitation>;

export const PendingInvitationList = itemList(PendingInvitation).meta({
  id: "PendingInvitationList",
});
export type PendingInvitationList = z.infer<typeof PendingInvitationList>;

/** `GET /api/v1/invitations/{token}`: what an invitation is for, before signing in. */
export const InvitationInfo = z
  .object({ orgName: z.string(), email: z.string(), role: Role })
  .meta({ id: "InvitationInfo" });
export type InvitationInfo = z.infer<typeof InvitationInfo>;

export const AcceptedInvitation = z
  .object({ orgId: z.string(), role: Role })
  .meta({ id: "AcceptedInvitation" });
export type AcceptedInvitation = z.infer<typeof AcceptedInvitation>;

const Color = z.string().regex(/^#[0-9a-fA-F]{6}$/, { message: "must be a colour as #rrggbb" });

/**
 * Colours as #rrggbb; null resets one to Hushlink's default. `defaultLocale` (extension, F17):
 * the organization's language, for its branded pages and e-mails to people whose own language is
 * not known; null unsets it (English). Fields left out stay as they are.
 */
export const BrandingBody = z
  .object({
    primaryColor: Color.nullable().optional(),
    backgroundColor: Color.nullable().optional(),
    textColor: Color.nullable().optional(),
    defaultLocale: Locale.nullable().optional(),
  })
  .strict()
  .meta({
    id: "BrandingBody",
    description:
      "Colours as #rrggbb; null resets one to Hushlink's default. defaultLocale: the organization's language (null: none); fields left out stay as they are",
  });
export type BrandingBody = z.infer<typeof BrandingBody>;

/** An organization's own settings; null where Hushlink's default applies. */
export const OrgBranding = z
  .object({
    primaryColor: z.string().nullable(),
    backgroundColor: z.string().nullable(),
    textColor: z.string().nullable(),
    logoUrl: z.string().nullable(),
    /** Extension (F17): the organization's default language; null when unset. */
    defaultLocale: Locale.nullable().optional(),
  })
  .meta({ id: "OrgBranding" });
export type OrgBranding = z.infer<typeof OrgBranding>;
