import { z } from "zod";

import {
  DEFAULT_MAX_SECRET_BYTES,
  GCM_TAG_BYTES,
  ID_BYTES,
  IV_BYTES,
  KDF_BOUNDS,
  LINK_SECRET_BYTES,
  MAX_NAME_LENGTH,
  MAX_RECIPIENTS,
  MAX_VIEWS,
  MIN_EXPIRES_IN,
  VERIFIER_BYTES,
  VIEW_TOKEN_BYTES,
} from "../constants.js";
import {
  Access,
  base64UrlBytes,
  base64UrlBetween,
  Branding,
  cursorPage,
  displayName,
  RecipientEmail,
  eventTrail,
  IsoDate,
  namedSecretFields,
  RowId,
} from "./common.js";
import { BlobDeclaration, MAX_BLOBS_IN_BODY, RevealFiles } from "./files.js";

export const ShareId = base64UrlBytes(ID_BYTES);
export const ViewToken = base64UrlBytes(VIEW_TOKEN_BYTES);
export const Verifier = base64UrlBytes(VERIFIER_BYTES);

export const Kdf = z
  .object({
    alg: z.literal("argon2id"),
    m: z.number().int().min(KDF_BOUNDS.m.min).max(KDF_BOUNDS.m.max),
    t: z.number().int().min(KDF_BOUNDS.t.min).max(KDF_BOUNDS.t.max),
    p: z.number().int().min(KDF_BOUNDS.p.min).max(KDF_BOUNDS.p.max),
  })
  .meta({ id: "Kdf" });
export type Kdf = z.infer<typeof Kdf>;

export const ShareStatus = z
  .enum(["active", "expired", "viewed", "deleted", "locked", "revoked"])
  .meta({ id: "ShareStatus" });
export type ShareStatus = z.infer<typeof ShareStatus>;
/** `revoked` (extension): the sender took back one recipient's link (F14). */
export const GoneReason = z
  .enum(["viewed", "expired", "deleted", "locked", "revoked"])
  .meta({ id: "GoneReason" });
export type GoneReason = z.infer<typeof GoneReason>;

/**
 * The ciphertext ceiling for a plaintext limit. Clients count the secret's UTF-8 bytes; the
 * server only sees the encrypted JSON `{"text":…}`, where escaping can double newline- and
 * tab-heavy text, so it allows twice the limit plus the wrapper and the GCM tag.
 */
export function maxCiphertextBytes(maxSecretBytes: number): number {
  return maxSecretBytes * 2 + 64 + GCM_TAG_BYTES;
}

/**
 * An AES-256-GCM ciphertext (§3, §3.1, §3.2), up to the ceiling for `maxSecretBytes`: never
 * shorter than its 16-byte tag, since less can never decrypt.
 */
export function ciphertextField(limits: { maxSecretBytes: number }) {
  return base64UrlBetween(GCM_TAG_BYTES, maxCiphertextBytes(limits.maxSecretBytes)).meta({
    description: `AES-256-GCM ciphertext with its tag appended: at least ${GCM_TAG_BYTES} bytes`,
  });
}

const SharePassword = z.object({ kdf: Kdf, verifier: Verifier }).strict();

/**
 * One recipient's own link (extension, F14): a link secret of its own, so its own id, view token,
 * ciphertext (the same payload encrypted under this link) and, with a password, its own verifier.
 * The link secret goes to the server for the e-mail only, as `delivery.linkSecret` does.
 */
export function recipientLink(limits: { maxSecretBytes: number }) {
  return z
    .object({
      email: RecipientEmail,
      id: ShareId,
      viewToken: ViewToken,
      ciphertext: ciphertextField(limits),
      iv: base64UrlBytes(IV_BYTES),
      password: SharePassword.optional(),
      linkSecret: base64UrlBytes(LINK_SECRET_BYTES),
    })
    .strict();
}
export type RecipientLink = z.infer<ReturnType<typeof recipientLink>>;

export function createShareBody(limits: { maxSecretBytes: number; maxExpiresIn: number }) {
  return z
    .object({
      id: ShareId,
      /**
       * The share's own link. Required, except with `recipientLinks`: then `id` names the share
       * (16 random bytes, no link of its own) and every link is a recipient's.
       */
      viewToken: ViewToken.optional(),
      ciphertext: ciphertextField(limits).optional(),
      iv: base64UrlBytes(IV_BYTES).optional(),
      expiresIn: z.number().int().min(MIN_EXPIRES_IN).max(limits.maxExpiresIn),
      maxViews: z.number().int().min(1).max(MAX_VIEWS).nullable().default(1),
      password: SharePassword.optional(),
      name: displayName(MAX_NAME_LENGTH).optional(),
      access: Access.default("anyone"),
      recipients: z.array(RecipientEmail).max(MAX_RECIPIENTS).optional(),
      allowExternalRecipients: z.boolean().default(false),
      delivery: z
        .object({ linkSecret: base64UrlBytes(LINK_SECRET_BYTES) })
        .strict()
        .optional(),
      notifyOnView: z.boolean().default(false),
      orgId: RowId.optional(),
      /** Show the signed-in creator's name and organization before Reveal (extension). */
      showSender: z.boolean().default(false),
      /** Files (SPEC §3.1): the encrypted blobs to upload after the create. */
      blobs: z.array(BlobDeclaration).max(MAX_BLOBS_IN_BODY).optional(),
      /** One link per recipient (extension, F14); replaces `recipients` and `delivery`. */
      recipientLinks: z.array(recipientLink(limits)).min(1).max(MAX_RECIPIENTS).optional(),
      /**
       * With `recipientLinks` (extension, issue 19): absent or true, each link bound to an
       * external address (no member of the organization) asks its viewer for a code e-mailed to
       * that address; false switches codes off for this share. Ignored without recipientLinks.
       */
      requireEmailCode: z.boolean().optional(),
    })
    .strict()
    .meta({ id: "CreateShareBody" });
}
export const CreateShareBody = createShareBody({
  maxSecretBytes: DEFAULT_MAX_SECRET_BYTES,
  maxExpiresIn: 30 * 24 * 3600,
});
export type CreateShareBody = z.input<typeof CreateShareBody>;

export const CreateShareResponse = z
  .object({
    id: z.string(),
    expiresAt: IsoDate,
    maxViews: z.number().int().nullable(),
    manageToken: z.string().optional(),
    /** For a share with files: the token for uploading its chunks (header X-Upload-Token). */
    uploadToken: z.string().optional(),
  })
  .meta({ id: "CreateShareResponse" });
export type CreateShareResponse = z.infer<typeof CreateShareResponse>;

export const ShareParams = z.object({ id: ShareId });

export const ShareMetadata = z
  .object({
    id: z.string(),
    access: Access,
    requiresPassword: z.boolean(),
    kdf: Kdf.optional(),
    expiresAt: IsoDate,
    viewsRemaining: z.number().int().nullable(),
    /** For organization-only shares: whose members may reveal it. */
    orgName: z.string().optional(),
    /** Only the listed recipients, signed in, may reveal it. */
    recipientsOnly: z.boolean().optional(),
    /**
     * For organization-only and recipient-only shares: whether the caller (signed in, or not) may
     * reveal it, so the page can say so before Reveal. Absent for shares anyone may open.
     */
    viewerAllowed: z.boolean().optional(),
    branding: Branding.optional(),
    /** Who sent it, when a signed-in member created it with `showSender` (extension). */
    sender: z.object({ name: z.string(), orgName: z.string() }).optional(),
    /** False while the share's files are still uploading: a reveal answers 409 until then. */
    ready: z.boolean().optional(),
    /** A recipient's own link (extension, F14): the address it was made for, masked (`j•••@example.com`). */
    maskedEmail: z.string().optional(),
    /** The link needs a code e-mailed to that address (`POST …/email-code`, then `emailCode`). */
    requiresEmailCode: z.literal(true).optional(),
  })
  .meta({ id: "ShareMetadata" });
export type ShareMetadata = z.infer<typeof ShareMetadata>;

/** An e-mailed code (extension, issue 19): six digits. */
export const EmailCode = z
  .string()
  .regex(/^[0-9]{6}$/, "six digits")
  .meta({ id: "EmailCode" });

export const RevealBody = z
  .object({ viewToken: ViewToken, verifier: Verifier.optional(), emailCode: EmailCode.optional() })
  .strict()
  .meta({ id: "RevealBody" });
export type RevealBody = z.infer<typeof RevealBody>;

export const RevealResponse = z
  .object({
    ciphertext: z.string(),
    iv: z.string(),
    viewsRemaining: z.number().int().nullable(),
  })
  .extend(RevealFiles.partial().shape)
  .meta({ id: "RevealResponse" });
export type RevealResponse = z.infer<typeof RevealResponse>;

/** `POST /api/v1/shares/{id}/email-code` (extension, issue 19): the link's view token. */
export const EmailCodeBody = z
  .object({ viewToken: ViewToken })
  .strict()
  .meta({ id: "EmailCodeBody" });
export type EmailCodeBody = z.infer<typeof EmailCodeBody>;

/** The code sent: it works until `expiresAt`; another may be asked for from `resendAt`. */
export const EmailCodeSent = z
  .object({ expiresAt: IsoDate, resendAt: IsoDate })
  .meta({ id: "EmailCodeSent" });
export type EmailCodeSent = z.infer<typeof EmailCodeSent>;

export const DeliveryState = z.enum(["queued", "sent", "failed"]).meta({ id: "DeliveryState" });

/** A recipient's last view: when, from where, and the signed-in viewer if there was one. */
export const LastView = z
  .object({ at: IsoDate, ip: z.string().nullable(), userEmail: z.string().optional() })
  .meta({ id: "LastView" });

export const ShareRecipient = z
  .object({
    email: z.string(),
    delivery: DeliveryState,
    /** The fields below only for a share with a link per recipient (extension, F14). */
    id: z.string().optional(),
    status: ShareStatus.optional(),
    viewCount: z.number().int().optional(),
    maxViews: z.number().int().nullable().optional(),
    lastView: LastView.nullable().optional(),
  })
  .meta({ id: "ShareRecipient" });
export type ShareRecipient = z.infer<typeof ShareRecipient>;

/** A share's name, lifetime, views and status: in the members' list and on the manage link. */
const shareStatusFields = {
  ...namedSecretFields,
  maxViews: z.number().int().nullable(),
  viewCount: z.number().int(),
  status: ShareStatus,
};

export const ShareListItem = z
  .object({
    ...shareStatusFields,
    access: Access,
    recipients: z.array(ShareRecipient),
    /** Every recipient has a link of their own (extension, F14): see `recipients`. */
    linkPerRecipient: z.literal(true).optional(),
    /** The member who created it (absent once that account is gone). */
    createdBy: z.string().optional(),
    /** Only the listed recipients, signed in, may reveal it. */
    recipientsOnly: z.boolean().optional(),
    /** Files (extension, F12): how many, and their plaintext bytes in total; absent without files. */
    fileCount: z.number().int().optional(),
    fileBytes: z.number().int().optional(),
  })
  .meta({ id: "ShareListItem" });
export type ShareListItem = z.infer<typeof ShareListItem>;

export const ShareList = cursorPage(ShareListItem).meta({ id: "ShareList" });
export type ShareList = z.infer<typeof ShareList>;

export const ShareEventType = z
  .enum([
    "created",
    "revealed",
    "wrong_password",
    "wrong_email_code",
    "deleted",
    "expired",
    "locked",
    "revoked",
  ])
  .meta({ id: "ShareEventType" });
export const ShareEvents = eventTrail(ShareEventType, {
  /** Whose link it happened on, for a share with a link per recipient (extension, F14). */
  recipient: z.string().optional(),
}).meta({ id: "ShareEvents" });
export type ShareEvents = z.infer<typeof ShareEvents>;

/** `GET /api/v1/shares/{id}/manage` (header X-Manage-Token): what an anonymous creator sees. */
export const ShareManageStatus = z
  .object({ ...shareStatusFields, goneAt: IsoDate.nullable() })
  .meta({ id: "ShareManageStatus" });
export type ShareManageStatus = z.infer<typeof ShareManageStatus>;

/** `GET /api/v1/shares` filters (extension); "expired" includes those past expiry not yet swept. */
export const ShareStatusFilter = z.enum(["active", "expired", "viewed", "deleted", "locked"]);

export const RecipientParams = z.object({ id: ShareId, recipientId: RowId });

/** `POST …/recipients/{recipientId}/resend` (extension): that recipient's link secret again. */
export const ResendBody = z
  .object({ linkSecret: base64UrlBytes(LINK_SECRET_BYTES) })
  .strict()
  .meta({ id: "ResendBody" });

/** `DELETE /api/v1/shares/expired` (extension): how many expired shares were removed. */
export const DeletedCount = z.object({ deleted: z.number().int() }).meta({ id: "DeletedCount" });
export type DeletedCount = z.infer<typeof DeletedCount>;
