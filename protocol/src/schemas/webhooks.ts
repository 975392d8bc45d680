/**
 * Webhooks (SPEC F18, extension; docs/SPEC.md, "Webhooks"): endpoints an admin registers for
 * audit events, delivered signed per the Standard Webhooks scheme, and each endpoint's log.
 */
import { z } from "zod";

import { AuditActor, AuditEventType, AuditTarget, AuditVia } from "./audit.js";
import { IsoDate, RecentProof } from "./common.js";

/** `standard`: the JSON body below, signed. `slack`: `{text}` for a Slack-style incoming hook. */
export const WebhookFormat = z.enum(["standard", "slack"]).meta({ id: "WebhookFormat" });
export type WebhookFormat = z.infer<typeof WebhookFormat>;

export const CreateWebhookBody = z
  .object({
    url: z.string().max(2000),
    events: z.array(AuditEventType).min(1).max(100),
    format: WebhookFormat.default("standard"),
    /** Shares' and requests' names go into payloads only when this is ticked. */
    includeShareNames: z.boolean().default(false),
    /**
     * The account's password (extension): needed unless the session signed in within the last
     * 15 minutes, since an endpoint sends the organization's events to an outside address.
     */
    ...RecentProof,
  })
  .strict()
  .meta({ id: "CreateWebhookBody" });
export type CreateWebhookBody = z.infer<typeof CreateWebhookBody>;

/**
 * `PATCH /api/v1/orgs/{orgId}/webhooks/{webhookId}` (extension): the fields given change, the
 * others stay; the signing secret and the delivery log stay too. A paused endpoint
 * (`enabled: false`) is queued nothing until it is enabled again.
 */
export const UpdateWebhookBody = z
  .object({
    url: z.string().max(2000).optional(),
    events: z.array(AuditEventType).min(1).max(100).optional(),
    format: WebhookFormat.optional(),
    includeShareNames: z.boolean().optional(),
    enabled: z.boolean().optional(),
    /** Needed, as when adding one, only when `url` changes (extension). */
    ...RecentProof,
  })
  .strict()
  .meta({ id: "UpdateWebhookBody" });
export type UpdateWebhookBody = z.infer<typeof UpdateWebhookBody>;

export const Webhook = z
  .object({
    id: z.string(),
    url: z.string(),
    events: z.array(AuditEventType),
    format: WebhookFormat,
    includeShareNames: z.boolean(),
    /** False while an admin has paused it (extension): nothing is queued for it meanwhile. */
    enabled: z.boolean(),
    /**
     * Why the server paused it (extension): `creator_not_admin` once the admin who added it (or
     * resumed it last) left the organization or stopped being an admin. An admin who resumes it
     * (`enabled: true`, with a recent proof of identity) owns it from then on.
     */
    pausedReason: z.enum(["creator_not_admin"]).optional(),
    createdAt: IsoDate,
  })
  .meta({ id: "Webhook" });
export type Webhook = z.infer<typeof Webhook>;

/** The answer to creating one: the signing secret (`whsec_…`) is shown this once. */
export const CreatedWebhook = Webhook.extend({ secret: z.string() }).meta({
  id: "CreatedWebhook",
});
export type CreatedWebhook = z.infer<typeof CreatedWebhook>;

/** The answer to a Test: the id of the queued `webhook.test` delivery, as in the log. */
export const QueuedWebhookTest = z
  .object({ deliveryId: z.string() })
  .meta({ id: "QueuedWebhookTest" });
export type QueuedWebhookTest = z.infer<typeof QueuedWebhookTest>;

export const WebhookDeliveryStatus = z.enum(["pending", "delivered", "failed"]);

/** One line of an endpoint's delivery log. */
export const WebhookDelivery = z
  .object({
    /** The `webhook-id` header of every attempt. */
    id: z.string(),
    type: z.union([AuditEventType, z.literal("webhook.test")]),
    status: WebhookDeliveryStatus,
    attempts: z.number().int(),
    createdAt: IsoDate,
    lastAttemptAt: IsoDate.nullable(),
    nextAttemptAt: IsoDate.nullable(),
    /** The receiver's HTTP status on the last attempt, if it answered. */
    responseStatus: z.number().int().nullable(),
    /** Why the last attempt failed: http_status, timeout, address_refused, connect_failed … */
    errorCode: z.string().nullable(),
  })
  .meta({ id: "WebhookDelivery" });
export type WebhookDelivery = z.infer<typeof WebhookDelivery>;

/**
 * An endpoint in the list, with its newest delivery (extension), so a list shows how the last
 * send went without reading every endpoint's log. Null before anything was queued.
 */
export const WebhookListItem = Webhook.extend({ lastDelivery: WebhookDelivery.nullable() }).meta({
  id: "WebhookListItem",
});
export type WebhookListItem = z.infer<typeof WebhookListItem>;

export const WebhookList = z
  .object({ webhooks: z.array(WebhookListItem) })
  .meta({ id: "WebhookList" });
export type WebhookList = z.infer<typeof WebhookList>;

export const WebhookDeliveryList = z
  .object({ deliveries: z.array(WebhookDelivery) })
  .meta({ id: "WebhookDeliveryList" });
export type WebhookDeliveryList = z.infer<typeof WebhookDeliveryList>;

/**
 * The body of a `standard` delivery. Only ids, kinds and times: never a link, token, ciphertext
 * or code; `name` only on endpoints with includeShareNames.
 */
export const WebhookPayload = z
  .object({
    type: z.union([AuditEventType, z.literal("webhook.test")]),
    timestamp: IsoDate,
    data: z.object({
      org: z.string(),
      /** The audit entry's seq (null for a test). */
      seq: z.number().int().nullable(),
      actor: AuditActor.nullable(),
      ip: z.string().nullable(),
      target: AuditTarget.nullable(),
      outcome: z.enum(["success", "failure"]),
      /** The entry's `via`, where it has one. */
      via: AuditVia.optional(),
      name: z.string().optional(),
    }),
  })
  .meta({ id: "WebhookPayload" });
export type WebhookPayload = z.infer<typeof WebhookPayload>;
