import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";

import { OrgPolicy, SharingPolicy } from "@hushlink/protocol";

import { OrgParams } from "../../lib/org-params.js";
import { ADMIN_ERRORS, requireAdmin } from "../auth/auth.context.js";
import { getOrgResource } from "../auth/org-read.js";
import type { AuditedPolicies } from "../audit/audit.wiring.js";

export function registerPolicyRoutes(
  app: FastifyInstance,
  deps: { policies: Pick<AuditedPolicies, "get" | "put"> },
) {
  const { policies } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ["policies"];

  getOrgResource(
    app,
    "/api/v1/orgs/:orgId/policy",
    {
      tags,
      summary: "The organization's sharing policy (members: the share form shows what it allows)",
      role: "member",
      response: OrgPolicy,
    },
    (orgId) => policies.get(orgId),
  );

  r.put(
    "/api/v1/orgs/:orgId/policy",
    {
      schema: {
        tags,
        summary:
          "Set the sharing policy (admins): the whole policy, omitted rules at their default; applies to shares created from now on",
        params: OrgParams,
        body: SharingPolicy,
        errors: [...ADMIN_ERRORS],
        response: { 200: OrgPolicy },
      },
    },
    (request) => {
      const { auth, org } = requireAdmin(request, request.params.orgId);
      return policies.put(request, org.id, request.body, { userId: auth.user.id });
    },
  );
}
