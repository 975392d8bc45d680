import { z } from "zod";

import { MAX_NAME_LENGTH, MIN_EXPIRES_IN } from "../constants.js";
import { Access, Branding, displayName, IsoDate } from "./common.js";

export const RequestId = z
  .string()
  .min(22)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/);
export const RequestParams = z.object({ id: RequestId });

export function createRequestBody(limits: { maxExpiresIn: number }) {
  return z
    .object({
      name: displayName(MAX_NAME_LENGTH).optional(),
      expiresIn: z.number().int().min(MIN_EXPIRES_IN).max(limits.maxExpiresIn),
      access: Access.default("anyone"),
      orgId: z.string().max(64).optional(),
    })
    .strict()
    .meta({ id: "CreateRequestBody" });
}
export const CreateRequestBody = createRequestBody({ maxExpiresIn: 30 * 24 * 3600 });
export type CreateRequestBody = z.input<typeof CreateRequestBody>;

export const CreateRequestResponse = z
  .object({
    id: z.string(),
    url: z.string(),
    expiresAt: IsoDate,
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
  })
  .meta({ id: "RequestMetadata" });
export type RequestMetadata = z.infer<typeof RequestMetadata>;

export function submitRequestBody(limits: { maxSecretBytes: number }) {
  return z
    .object({ value: z.string().min(1).max(limits.maxSecretBytes) })
    .strict()
    .meta({ id: "SubmitRequestBody" });
}

export const RequestListItem = z
  .object({
    id: z.string(),
    name: z.string().nullable(),
    access: Access,
    status: RequestStatus,
    createdAt: IsoDate,
    expiresAt: IsoDate,
    submittedAt: IsoDate.optional(),
    /** True for the caller's own requests, the ones they can reveal. */
    mine: z.boolean(),
  })
  .meta({ id: "RequestListItem" });
export const RequestList = z
  .object({
    items: z.array(RequestListItem),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: "RequestList" });
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
export const RequestEvents = z
  .object({
    items: z.array(
      z.object({
        type: RequestEventType,
        at: IsoDate,
        ip: z.string().nullable(),
        userEmail: z.string().optional(),
      }),
    ),
  })
  .meta({ id: "RequestEvents" });
export type RequestEvents = z.infer<typeof RequestEvents>;
