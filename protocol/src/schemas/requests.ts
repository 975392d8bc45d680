import { z } from "zod";

import {
  ENCRYPTED_PRIVATE_KEY_BYTES,
  IV_BYTES,
  MAX_NAME_LENGTH,
  MIN_EXPIRES_IN,
  PUBLIC_KEY_BYTES,
  READ_TOKEN_BYTES,
} from "../constants.js";
import {
  Access,
  base64UrlBytes,
  Branding,
  cursorPage,
  displayName,
  eventTrail,
  IsoDate,
  namedSecretFields,
  NOT_WELL_FORMED,
  RowId,
  wellFormed,
} from "./common.js";
import { BlobDeclaration, MAX_BLOBS_IN_BODY, RevealFiles } from "./files.js";
import { ciphertextField } from "./shares.js";

export const RequestId = z
  .string()
  .min(22)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/);
export const RequestParams = z.object({ id: RequestId });

/** The requester's key (SPEC §3.2): an uncompressed P-256 point, base64url. */
export const RequestPublicKey = base64UrlBytes(PUBLIC_KEY_BYTES);
export const ReadToken = base64UrlBytes(READ_TOKEN_BYTES);

/** What makes a request end-to-end (§3.2); sent all together or not at all. */
export const REQUEST_KEY_FIELDS = [
  "publicKey",
  "encryptedPrivateKey",
  "keyIv",
  "readToken",
] as const;

export function createRequestBody(limits: { maxExpiresIn: number }) {
  return z
    .object({
      name: displayName(MAX_NAME_LENGTH).optional(),
      expiresIn: z.number().int().min(MIN_EXPIRES_IN).max(limits.maxExpiresIn),
      access: Access.default("anyone"),
      orgId: RowId.optional(),
      publicKey: RequestPublicKey.optional(),
      encryptedPrivateKey: base64UrlBytes(ENCRYPTED_PRIVATE_KEY_BYTES).optional(),
      keyIv: base64UrlBytes(IV_BYTES).optional(),
      readToken: ReadToken.optional(),
    })
    .strict()
    .superRefine((body, ctx) => {
      const given = REQUEST_KEY_FIELDS.filter((field) => body[field] !== undefined);
      if (given.length === 0 || given.length === REQUEST_KEY_FIELDS.length) return;
      for (const field of REQUEST_KEY_FIELDS.filter((f) => body[f] === undefined)) {
        ctx.addIssue({
          code: "custom",
          path: [field],
          message: `is required with ${given.join(", ")} (an end-to-end request sends all four)`,
        });
      }
    })
    .meta({ id: "CreateRequestBody" });
}
export const CreateRequestBody = createRequestBody({ maxExpiresIn: 30 * 24 * 3600 });
export type CreateRequestBody = z.input<typeof CreateRequestBody>;

export const CreateRequestResponse = z
  .object({
    id: z.string(),
    /**
     * *(extension)* What names the request in audit entries and webhook payloads (their
     * `target.id`): a hash of the id that does not answer it, to match a log line to a request.
     * Optional for older servers, which do not send it.
     */
    ref: z.string().optional(),
    url: z.string(),
    expiresAt: IsoDate,
    /** Only for a request made without an account: `X-Manage-Token` deletes it. */
    manageToken: z.string().optional(),
  })
  .meta({ id: "CreateRequestResponse" });
export type CreateRequestResponse = z.infer<typeof CreateRequestResponse>;

export const RequestStatus = z.enum(["open", "fulfilled"]).meta({ id: "RequestStatus" });
export const RequestMetadata = z
  .object({
    id: z.string(),
    name: z.string().optional(),
    orgName: z.string().optional(),
    /** Who asked (extension): their name, or address, while a member of the organization. */
    requesterName: z.string().optional(),
    status: RequestStatus,
    expiresAt: IsoDate,
    branding: Branding.optional(),
    /** End-to-end requests: the key to encrypt the answer to, after checking its fingerprint. */
    publicKey: z.string().optional(),
    /**
     * True while an answer with files is submitted (status "fulfilled": it takes no other answer)
     * but its chunks are still arriving, when `open` and the list say "open" with `uploading`.
     */
    uploading: z.boolean().optional(),
  })
  .meta({ id: "RequestMetadata" });
export type RequestMetadata = z.infer<typeof RequestMetadata>;

/**
 * An answer to an end-to-end request (§3.2), which only the requester can decrypt; with `blobs`
 * it carries files (§3.1), uploaded after the submit with the upload token it answers.
 */
export function encryptedAnswer(limits: { maxSecretBytes: number }) {
  return z
    .object({
      ephemeralPublicKey: RequestPublicKey,
      ciphertext: ciphertextField(limits),
      iv: base64UrlBytes(IV_BYTES),
      // At least one: an answer without files leaves the field out.
      blobs: z.array(BlobDeclaration).min(1).max(MAX_BLOBS_IN_BODY).optional(),
    })
    .strict();
}

/** `{value}` for a request without a key (F6), the encrypted answer for an end-to-end one. */
export function submitRequestBody(limits: { maxSecretBytes: number }) {
  return z
    .union(
      [
        z
          .object({
            value: z
              .string()
              .min(1)
              .max(limits.maxSecretBytes)
              .refine(wellFormed, { message: NOT_WELL_FORMED }),
          })
          .strict(),
        encryptedAnswer(limits),
      ],
      {
        // A body that fits neither shape: name both, not zod's bare "Invalid input".
        error: (issue) =>
          issue.code === "invalid_union"
            ? "must be {value} (a request without a key) or {ephemeralPublicKey, ciphertext, iv} (an end-to-end request)"
            : undefined,
      },
    )
    .meta({ id: "SubmitRequestBody" });
}

/** What a submit with `blobs` answers (200; without blobs it answers 204): `X-Upload-Token`. */
export const SubmitRequestResponse = z
  .object({ uploadToken: z.string() })
  .meta({ id: "SubmitRequestResponse" });
export type SubmitRequestResponse = z.infer<typeof SubmitRequestResponse>;

/** `POST /api/v1/requests/{id}/open`: the read token from the reading link (§3.2). */
export const OpenRequestBody = z
  .object({ readToken: ReadToken })
  .strict()
  .meta({ id: "OpenRequestBody" });

export const OpenRequestResponse = z
  .object({
    publicKey: z.string(),
    encryptedPrivateKey: z.string(),
    keyIv: z.string(),
    status: RequestStatus,
    expiresAt: IsoDate,
    /** Present once the request is answered. */
    answer: z
      .object({ ephemeralPublicKey: z.string(), ciphertext: z.string(), iv: z.string() })
      .optional(),
    submittedAt: IsoDate.optional(),
    /** True while an answer with files is submitted but its chunks are still arriving. */
    uploading: z.boolean().optional(),
  })
  // An answer with files (§3.1): its blobs and a download window, as a share's reveal gives.
  .extend(RevealFiles.partial().shape)
  .meta({ id: "OpenRequestResponse" });
export type OpenRequestResponse = z.infer<typeof OpenRequestResponse>;

export const RequestListItem = z
  .object({
    ...namedSecretFields,
    /**
     * *(extension)* What names the request in audit entries and webhook payloads (their
     * `target.id`): a hash of the id that does not answer it, to match a log line to a request.
     * Optional for older servers, which do not send it.
     */
    ref: z.string().optional(),
    access: Access,
    status: RequestStatus,
    submittedAt: IsoDate.optional(),
    /** True for the caller's own requests, the ones they can reveal. */
    mine: z.boolean(),
    /** Present (true) on end-to-end requests (§3.2): opened with the reading secret, not reveal. */
    endToEnd: z.boolean().optional(),
    /** True while an answer with files is submitted but its chunks are still arriving. */
    uploading: z.boolean().optional(),
  })
  .meta({ id: "RequestListItem" });
export const RequestList = cursorPage(RequestListItem).meta({ id: "RequestList" });
export type RequestListItem = z.infer<typeof RequestListItem>;
export type RequestList = z.infer<typeof RequestList>;

/** `POST /api/v1/requests/{id}/reveal` takes no input: an empty object, or no body at all. */
export const RevealRequestBody = z.object({}).strict().meta({ id: "RevealRequestBody" });

export const RevealRequestResponse = z
  .object({ value: z.string(), submittedAt: IsoDate })
  .meta({ id: "RevealRequestResponse" });
export type RevealRequestResponse = z.infer<typeof RevealRequestResponse>;

/** `GET /api/v1/requests/{id}/events` (requester or org admin): the request's audit trail. */
export const RequestEventType = z
  .enum(["created", "submitted", "revealed", "deleted", "expired"])
  .meta({ id: "RequestEventType" });
export const RequestEvents = eventTrail(RequestEventType, {}).meta({ id: "RequestEvents" });
export type RequestEvents = z.infer<typeof RequestEvents>;
