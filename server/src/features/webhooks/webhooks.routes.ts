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

import { OrgParams } from "../../lib/org-params.js";
import { callerOf } from "../audit/audit.tap.js";
import { ADMIN_ERRORS, adminProof, requireAdmin } from "../auth/auth.context.js";
import { RECENT_PROOF_ERRORS } from "../auth/recent-proof.js";
import type { AuditedWebhooks } from "../audit/audit.wiring.js";

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
          "addresses, unless the server runs with WEBHOOK_ALLOW_PRIVATE=true. Needs a session " +
          "signed in within the last 15 minutes or the account's `password` in the body: else " +
          "403 recent_sign_in_required (nothing is added); a wrong password is 403 " +
          "wrong_current_password, counted by the sign-in back-off.",
        params: OrgParams,
        body: CreateWebhookBody,
        errors: [...ADMIN_ERRORS, "invalid_webhook_url", ...RECENT_PROOF_ERRORS],
        response: { 201: CreatedWebhook },
      },
    },
    async (request, reply) => {
      const admin = requireAdmin(request, request.params.orgId);
      const { password, ...body } = request.body;
      const caller = adminProof(request, admin, password);
      const created = await webhooks.create(request, admin.org.id, body, caller);
      return reply
        .status(201)
        .header("location", `/api/v1/orgs/${admin.org.id}/webhooks/${created.id}`)
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
          "queued still go. The URL is checked as at creation; a URL other than the stored one " +
          "needs a recent proof of identity as adding an endpoint does (403 " +
          "recent_sign_in_required, nothing changes). An endpoint whose owner (the admin who " +
          "added or last resumed it) left the organization or stopped being an admin is paused " +
          "with pausedReason creator_not_admin; enabling it needs the same proof and makes the " +
          "caller its owner.",
        params: EndpointParams,
        body: UpdateWebhookBody,
        errors: [
          ...ADMIN_ERRORS,
          "webhook_not_found",
          "invalid_webhook_url",
          ...RECENT_PROOF_ERRORS,
        ],
        response: { 200: Webhook },
      },
    },
    async (request) => {
      const admin = requireAdmin(request, request.params.orgId);
      const { password, ...body } = request.body;
      const caller = adminProof(request, admin, password);
      return webhooks.update(request, admin.org.id, request.params.webhookId, body, caller);
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
