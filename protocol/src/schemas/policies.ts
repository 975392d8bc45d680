/**
 * Sharing policies (SPEC F16, extension): what an organization's admins allow its members to
 * share. The server enforces them on every create, whatever the client (web, API token, CLI).
 * Every rule's default is "no limit", so an organization without a policy works as before.
 */
import { z } from "zod";

import { MAX_VIEWS, MIN_EXPIRES_IN } from "../constants.js";
import { IsoDate } from "./common.js";

export const SharingPolicy = z
  .object({
    /** Longest lifetime of a share, in seconds; null: the server's own limit. */
    maxExpiresIn: z.number().int().min(MIN_EXPIRES_IN).nullable().default(null),
    /** Most views of a share (or of each recipient's link); null: no limit but the server's. */
    maxViews: z.number().int().min(1).max(MAX_VIEWS).nullable().default(null),
    /** Every share needs a password (for recipient links: every link). */
    requirePassword: z.boolean().default(false),
    /** false: a share must be organization-only or for named members (no "anyone with the link"). */
    allowAnyoneWithLink: z.boolean().default(true),
    /** false: shares cannot be e-mailed to addresses outside the organization. */
    allowExternalRecipients: z.boolean().default(true),
    /**
     * Recipients outside the organization must prove their address with an e-mailed code (F14):
     * their links are links of their own (`recipientLinks`) without `requireEmailCode: false`.
     */
    requireEmailCodes: z.boolean().default(false),
    /** false: shares carry text only. */
    allowFiles: z.boolean().default(true),
    /** Largest total size of a share's files as uploaded (encrypted), in bytes; null: no cap. */
    maxFileBytes: z
      .number()
      .int()
      .min(1)
      .max(2 ** 50)
      .nullable()
      .default(null),
    /** false: requests must be organization-only (no request anyone with the link may answer). */
    allowAnyoneRequests: z.boolean().default(true),
  })
  .strict()
  .meta({ id: "SharingPolicy" });
export type SharingPolicy = z.infer<typeof SharingPolicy>;
export type SharingPolicyBody = z.input<typeof SharingPolicy>;

/** The rule a refused create broke: `policy_violation`'s `rule`. */
export const PolicyRule = z
  .enum([
    "maxExpiresIn",
    "maxViews",
    "requirePassword",
    "allowAnyoneWithLink",
    "allowExternalRecipients",
    "requireEmailCodes",
    "allowFiles",
    "maxFileBytes",
    "allowAnyoneRequests",
  ])
  .meta({ id: "PolicyRule" });
export type PolicyRule = z.infer<typeof PolicyRule>;

/** `GET /api/v1/orgs/{orgId}/policy` (members) and the answer to `PUT` (admins). */
export const OrgPolicy = z
  .object({
    policy: SharingPolicy,
    updatedAt: IsoDate.nullable(),
  })
  .meta({ id: "OrgPolicy" });
export type OrgPolicy = z.infer<typeof OrgPolicy>;
