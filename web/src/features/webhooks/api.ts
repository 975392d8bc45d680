/**
 * Webhook endpoints of an organization (SPEC F18; docs/SPEC.md, "Webhooks"), for admins: add
 * (the signing secret is answered once), list, change, remove, send a test, read the delivery
 * log.
 */
import type {
  CreatedWebhook,
  CreateWebhookBody,
  QueuedWebhookTest,
  UpdateWebhookBody,
  Webhook,
  WebhookDelivery,
  WebhookDeliveryList,
  WebhookFormat,
  WebhookList,
  WebhookListItem,
} from "@hushlink/protocol";

import { api, segment } from "../../lib/api";

export type { CreatedWebhook, Webhook, WebhookDelivery, WebhookFormat, WebhookListItem };

const hooksPath = (orgId: string) => `/api/v1/orgs/${segment(orgId)}/webhooks`;
const hookPath = (orgId: string, id: string) => `${hooksPath(orgId)}/${segment(id)}`;

export const webhooksApi = {
  /** Each endpoint with its newest delivery. */
  list: (orgId: string) => api.get<WebhookList>(hooksPath(orgId)),

  create: (orgId: string, body: CreateWebhookBody) =>
    api.post<CreatedWebhook>(hooksPath(orgId), body),

  /** Only the fields given change; the secret and the delivery log stay. */
  update: (orgId: string, id: string, body: UpdateWebhookBody) =>
    api.patch<Webhook>(hookPath(orgId, id), body),

  remove: (orgId: string, id: string) => api.delete(hookPath(orgId, id)),

  test: (orgId: string, id: string) => api.post<QueuedWebhookTest>(`${hookPath(orgId, id)}/test`),

  /** The last 100 deliveries (30 days), newest first: the server does not page this log. */
  deliveries: (orgId: string, id: string) =>
    api.get<WebhookDeliveryList>(`${hookPath(orgId, id)}/deliveries`),
};
