/**
 * The read of an organization's own settings or lists under /api/v1/orgs/{orgId}/… (its members,
 * pending invitations, branding, policy, SSO settings, second-factor rule): one set-up, so each
 * checks the caller's role in that organization alike (a member's, or an admin's with a confirmed
 * address; an organization of someone else answers 404) and hands its service only the id.
 */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { z } from "zod";

import { OrgParams } from "../../lib/org-params.js";
import { ADMIN_ERRORS, MEMBER_ERRORS, requireAdmin, requireMember } from "./auth.context.js";

export function getOrgResource<Answer extends z.ZodType>(
  app: FastifyInstance,
  path: `/api/v1/orgs/:orgId/${string}`,
  route: {
    tags: string[];
    summary: string;
    description?: string;
    /** Who may read it: any member of the organization, or its admins only. */
    role: "member" | "admin";
    response: Answer;
  },
  read: (orgId: string) => Promise<z.output<Answer>>,
): void {
  const { tags, summary, description, role, response } = route;
  const require = role === "admin" ? requireAdmin : requireMember;
  app.withTypeProvider<ZodTypeProvider>().get(
    path,
    {
      schema: {
        tags,
        summary,
        ...(description === undefined ? {} : { description }),
        params: OrgParams,
        errors: role === "admin" ? [...ADMIN_ERRORS] : [...MEMBER_ERRORS],
        response: { 200: response },
      },
    },
    // The answer's type is checked at `read`: Fastify cannot resolve it from a generic schema.
    (request) => read(require(request, request.params.orgId).org.id) as never,
  );
}
