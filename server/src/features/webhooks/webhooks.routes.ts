/** Webhook endpoints of an organization (SPEC F18; docs/SPEC.md, "Webhooks"): admins only. */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";

import {
  CreatedWebhook,
  CreateWebhookBody,
  QueuedWebhookTest,
  RowId,
  UpdateWebhookBody,
  Webhook,
  WebhookDeliveryList,
  WebhookList,
} from "@hushlink/protocol";

import { callerOf } from "../audit/audit.tap.js";
import { ADMIN_ERRORS, requireAdmin } from "../auth/auth.context.js";
import type { AuditedWebhooks } from "../audit/audit.wiring.js";

const OrgParams = z.object({ orgId: RowId });
const EndpointParams = OrgParams.extend({ webhookId: RowId });

export function registerWebhookRoutes(app: FastifyInstance, deps: { webhooks: AuditedWebhooks }) {
  const { webhooks } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ["webhooks"];

  r.post(
    "/api/v1/orgs/:orgId/webhooks",
    {
      schema: {
        tags,
        summary: "Add a webhook endpoint (the signing secret is shown once)",
        description:
          "Deliveries of the picked audit event types are POSTed signed per Standard Webhooks " +
          "(`webhook-id`, `webhook-timestamp`, `webhook-signature`). https:// only, to public " +
          "addresses, unless the server runs with WEBHOOK_ALLOW_PRIVATE=true.",
        params: OrgParams,
        body: CreateWebhookBody,
        errors: [...ADMIN_ERRORS, "invalid_webhook_url"],
        response: { 201: CreatedWebhook },
      },
    },
    async (request, reply) => {
      const { org } = requireAdmin(request, request.params.orgId);
      const created = await webhooks.create(request, org.id, request.body);
      return reply
        .status(201)
        .header("location", `/api/v1/orgs/${org.id}/webhooks/${created.id}`)
        .header("cache-control", "no-store")
        .send(created);
    },
  );

  r.get(
    "/api/v1/orgs/:orgId/webhooks",
    {
      schema: {
        tags,
        summary: "List the organization's webhook endpoints",
        params: OrgParams,
        errors: [...ADMIN_ERRORS],
        response: { 200: WebhookList },
      },
    },
    async (request) => {
      const { org } = requireAdmin(request, request.params.orgId);
      return { webhooks: await webhooks.list(org.id) };
    },
  );

  r.patch(
    "/api/v1/orgs/:orgId/webhooks/:webhookId",
    {
      schema: {
        tags,
        summary: "Change an endpoint: URL, event types, format, names, enabled (extension)",
        description:
          "Only the fields given change; the signing secret and the delivery log stay. A paused " +
          "endpoint (enabled: false) is queued nothing until enabled again; deliveries already " +
          "queued still go. The URL is checked as at creation.",
        params: EndpointParams,
        body: UpdateWebhookBody,
        errors: [...ADMIN_ERRORS, "webhook_not_found", "invalid_webhook_url"],
        response: { 200: Webhook },
      },
    },
    async (request) => {
      const { org } = requireAdmin(request, request.params.orgId);
      return webhooks.update(request, org.id, request.params.webhookId, request.body);
    },
  );

  r.delete(
    "/api/v1/orgs/:orgId/webhooks/:webhookId",
    {
      schema: {
        tags,
        summary: "Remove a webhook endpoint and its delivery log",
        params: EndpointParams,
        errors: [...ADMIN_ERRORS, "webhook_not_found"],
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const { org } = requireAdmin(request, request.params.orgId);
      await webhooks.remove(request, org.id, request.params.webhookId);
      return reply.status(204).send(null);
    },
  );

  r.post(
    "/api/v1/orgs/:orgId/webhooks/:webhookId/test",
    {
      schema: {
        tags,
        summary: "Send a test delivery (type webhook.test) to the endpoint",
        params: EndpointParams,
        errors: [...ADMIN_ERRORS, "webhook_not_found"],
        response: { 202: QueuedWebhookTest },
      },
    },
    async (request, reply) => {
      const { org } = requireAdmin(request, request.params.orgId);
      const queued = await webhooks.test(org.id, request.params.webhookId, callerOf(request).actor);
      return reply.status(202).send(queued);
    },
  );

  r.get(
    "/api/v1/orgs/:orgId/webhooks/:webhookId/deliveries",
    {
      schema: {
        tags,
        summary: "The endpoint's delivery log, newest first (last 100, 30 days)",
        params: EndpointParams,
        errors: [...ADMIN_ERRORS, "webhook_not_found"],
        response: { 200: WebhookDeliveryList },
      },
    },
    async (request) => {
      const { org } = requireAdmin(request, request.params.orgId);
      return { deliveries: await webhooks.deliveries(org.id, request.params.webhookId) };
    },
  );
}
