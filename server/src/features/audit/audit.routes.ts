/** The audit log's export (SPEC F18): NDJSON, one entry a line, in chain order. */
import { Readable } from "node:stream";

import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";

import {
  AuditEntriesQuery,
  AuditEntry,
  AuditEntryPage,
  AuditExportQuery,
  AuditHead,
  canonicalJson,
} from "@hushlink/protocol";

import { OrgParams } from "../../lib/org-params.js";
import { BadRequestError } from "../../errors.js";
import { ADMIN_ERRORS, requireAdmin } from "../auth/auth.context.js";
import type { AuditService } from "./audit.service.js";

const msOf = (iso: string | undefined) => {
  if (iso === undefined) return null;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms))
    throw new BadRequestError("invalid_request", "since and until are ISO dates.");
  return ms;
};

/** since (inclusive) and until (exclusive) in ms; 400 invalid_audit_range when empty. */
function rangeOf(query: { since?: string | undefined; until?: string | undefined }) {
  const since = msOf(query.since);
  const until = msOf(query.until);
  if (since !== null && until !== null && until <= since)
    throw new BadRequestError("invalid_audit_range", "until must be after since.");
  return { since, until };
}

export function registerAuditRoutes(app: FastifyInstance, deps: { audit: AuditService }) {
  const { audit } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    "/api/v1/orgs/:orgId/audit",
    {
      schema: {
        tags: ["audit"],
        summary: "Export the organization's audit log as NDJSON (admins)",
        description:
          "One AuditEntry per line in chain order (seq ascending), entries with since <= at < " +
          "until. Each entry's prev is the SHA-256 of the previous entry's canonical JSON " +
          "(docs/SPEC.md, Audit log); `hushlink audit verify` checks an export.",
        params: OrgParams,
        querystring: AuditExportQuery,
        errors: [...ADMIN_ERRORS, "invalid_audit_range"],
        response: {
          200: {
            description: "NDJSON: one AuditEntry a line",
            content: { "application/x-ndjson": { schema: AuditEntry } },
          },
        },
      },
    },
    async (request, reply) => {
      const { org } = requireAdmin(request, request.params.orgId);
      const { since, until } = rangeOf(request.query);
      const lines = Readable.from(
        (async function* () {
          for await (const entry of audit.entries(org.id, { since, until }))
            yield `${canonicalJson(entry)}\n`;
        })(),
      );
      // The schema describes each line; the body is a stream of them, which Fastify sends as is
      // (the serializer leaves streams alone), hence the cast.
      await reply
        .type("application/x-ndjson")
        .header("cache-control", "no-store")
        .send(lines as never);
    },
  );

  r.get(
    "/api/v1/orgs/:orgId/audit/entries",
    {
      schema: {
        tags: ["audit"],
        summary: "Pages of the audit log as JSON, newest first, filtered (admins; extension)",
        description:
          "For reading (the Audit tab): type, actor (a user id), since (inclusive) and until " +
          "(exclusive). A filtered page cannot be verified as a chain: export for that.",
        params: OrgParams,
        querystring: AuditEntriesQuery,
        errors: [...ADMIN_ERRORS, "invalid_audit_range", "invalid_cursor"],
        response: { 200: AuditEntryPage },
      },
    },
    async (request, reply) => {
      const { org } = requireAdmin(request, request.params.orgId);
      const { type, actor, cursor, limit } = request.query;
      const { since, until } = rangeOf(request.query);
      const page = await audit.page(org.id, { type, actorId: actor, since, until, cursor, limit });
      return reply.header("cache-control", "no-store").send(page);
    },
  );

  r.get(
    "/api/v1/orgs/:orgId/audit/head",
    {
      schema: {
        tags: ["audit"],
        summary: "The audit chain's newest entry and retention cut (admins), to pin the head",
        params: OrgParams,
        errors: [...ADMIN_ERRORS],
        response: { 200: AuditHead },
      },
    },
    async (request, reply) => {
      const { org } = requireAdmin(request, request.params.orgId);
      return reply.header("cache-control", "no-store").send(await audit.head(org.id));
    },
  );
}
