/** The audit log (SPEC F18; docs/SPEC.md, "Audit log"): one entry per event, chained per organization. */
import { z } from "zod";

import { IsoDate, Limit, RowId } from "./common.js";

export const AuditEventType = z
  .enum([
    "share.created",
    "share.revealed",
    "share.wrong_password",
    "share.wrong_email_code",
    "share.locked",
    "share.deleted",
    "share.expired",
    "share.revoked",
    "request.created",
    "request.answered",
    "request.opened",
    "request.deleted",
    "member.invited",
    "member.joined",
    "member.left",
    "member.role_changed",
    "member.removed",
    "member.second_factor_reset",
    "passkey.added",
    "passkey.removed",
    "totp.enabled",
    "totp.disabled",
    "recovery_codes.regenerated",
    "signin.succeeded",
    "signin.failed",
    "signin.second_factor_failed",
    "token.created",
    "token.revoked",
    "branding.changed",
    "sso.signin_succeeded",
    "sso.signin_failed",
    "sso.settings_changed",
    "policy.changed",
    "security.changed",
    "webhook.created",
    "webhook.changed",
    "webhook.deleted",
  ])
  .meta({ id: "AuditEventType" });
export type AuditEventType = z.infer<typeof AuditEventType>;

/** Who did it: a user signed in, a user through one of their API tokens, or nobody known. */
export const AuditActor = z
  .object({
    kind: z.enum(["user", "token", "anonymous"]),
    /** The user's id (null for anonymous). */
    id: z.string().nullable(),
  })
  .strict()
  .meta({ id: "AuditActor" });
export type AuditActor = z.infer<typeof AuditActor>;

export const AuditTarget = z
  .object({
    kind: z.enum(["share", "request", "user", "invitation", "token", "org", "webhook", "passkey"]),
    /**
     * For kind "request", the request's `ref` *(extension)*, never its id: the id answers the
     * request, and entries reach webhooks and exports.
     */
    id: z.string(),
  })
  .strict()
  .meta({ id: "AuditTarget" });
export type AuditTarget = z.infer<typeof AuditTarget>;

/**
 * How an event happened, where its type alone does not say (extension): `member.joined` by
 * `invitation` (an account accepted it) or `invited_signup` (the account was made through it);
 * `signin.succeeded` and `signin.second_factor_failed` by `totp`, `recovery_code` or `passkey`
 * (`signin.succeeded` by `passkey` alone is a sign-in without a password). Absent on
 * every other entry, so entries written before it hash as they did.
 */
export const AuditVia = z
  .enum(["invitation", "invited_signup", "totp", "recovery_code", "passkey"])
  .meta({ id: "AuditVia" });
export type AuditVia = z.infer<typeof AuditVia>;

const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

/** One line of `GET /api/v1/orgs/{orgId}/audit` (NDJSON) and of `hushlink audit export`. */
export const AuditEntry = z
  .object({
    v: z.literal(1),
    org: z.string(),
    /** 1, 2, 3 … per organization, without gaps (pruning removes a prefix). */
    seq: z.number().int().positive(),
    at: IsoDate,
    type: AuditEventType,
    actor: AuditActor,
    ip: z.string().nullable(),
    target: AuditTarget.nullable(),
    outcome: z.enum(["success", "failure"]),
    via: AuditVia.optional(),
    /** SHA-256 (hex) of the previous entry's canonical JSON; 64 zeros before the first. */
    prev: Sha256Hex,
    /** SHA-256 (hex) of this entry's canonical JSON without `hash`. */
    hash: Sha256Hex,
  })
  .strict()
  .meta({ id: "AuditEntry" });
export type AuditEntry = z.infer<typeof AuditEntry>;

/**
 * `?since=&until=` of the export: ISO dates, both optional, `until` exclusive. No component id:
 * a query string is documented as its parameters, not as a schema to refer to.
 */
export const AuditExportQuery = z
  .object({ since: IsoDate.optional(), until: IsoDate.optional() })
  .strict();
export type AuditExportQuery = z.infer<typeof AuditExportQuery>;

/**
 * `GET /api/v1/orgs/{orgId}/audit/head` (extension): the chain's newest entry and the retention
 * cut, so an outside party can pin the head and later check that an export still leads to it.
 */
export const AuditHead = z
  .object({
    /** The newest entry's `seq`; 0 while the log is empty. */
    seq: z.number().int().min(0),
    /** The newest entry's `hash`; null while the log is empty. */
    hash: Sha256Hex.nullable(),
    /** The last entry pruned by retention (its `hash` is the first kept entry's `prev`). */
    cutSeq: z.number().int().min(0),
    cutHash: Sha256Hex.nullable(),
  })
  .meta({ id: "AuditHead" });
export type AuditHead = z.infer<typeof AuditHead>;

/**
 * `GET /api/v1/orgs/{orgId}/audit/entries` (extension): the log as pages of JSON for the Audit
 * tab, newest first, filtered by type, actor (a user id) and time. A filtered page is for
 * reading, not for `verify`: the NDJSON export is the chain.
 */
export const AuditEntriesQuery = z
  .object({
    type: AuditEventType.optional(),
    actor: RowId.optional(),
    since: IsoDate.optional(),
    until: IsoDate.optional(),
    cursor: z.string().max(200).optional(),
    limit: Limit,
  })
  .strict();
export type AuditEntriesQuery = z.infer<typeof AuditEntriesQuery>;

export const AuditEntryPage = z
  .object({ entries: z.array(AuditEntry), nextCursor: z.string().nullable() })
  .meta({ id: "AuditEntryPage" });
export type AuditEntryPage = z.infer<typeof AuditEntryPage>;
