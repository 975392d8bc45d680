import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";

import {
  AcceptedInvitation,
  CreatedInvitation,
  DeleteOrgBody,
  InvitationBody,
  InvitationInfo,
  MemberList,
  OrgSummary,
  PendingInvitationList,
  RenameOrgBody,
  RoleBody,
  RowId,
} from "@hushlink/protocol";

import { MemberParams, OrgParams } from "../../lib/org-params.js";
import {
  ADMIN_ERRORS,
  adminProof,
  requireAdmin,
  requireMember,
  requireVerified,
  VERIFIED_ERRORS,
} from "../auth/auth.context.js";
import { getOrgResource } from "../auth/org-read.js";
import { RECENT_PROOF_ERRORS, type RecentProof } from "../auth/recent-proof.js";
import type { OrgDeletion } from "./org-deletion.js";
import type { AuditedOrgs } from "../audit/audit.wiring.js";

const InvitationParams = OrgParams.extend({ invitationId: RowId });
const TokenParams = z.object({ token: z.string().min(1).max(200) });

export function registerOrgRoutes(
  app: FastifyInstance,
  deps: {
    orgs: AuditedOrgs;
    deletion: OrgDeletion;
    proof: Pick<RecentProof, "requireRecentProof">;
  },
) {
  const { orgs, deletion, proof } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ["organizations"];

  r.patch(
    "/api/v1/orgs/:orgId",
    {
      schema: {
        tags,
        summary: "Rename the organization (admins)",
        description:
          "Branded pages, the request page and e-mails sent from now on use the new name. " +
          "Names refuse control characters (400 invalid_request).",
        params: OrgParams,
        body: RenameOrgBody,
        errors: [...ADMIN_ERRORS],
        response: { 200: OrgSummary },
      },
    },
    (request) => {
      const { org } = requireAdmin(request, request.params.orgId);
      return orgs.rename(org.id, request.body.name);
    },
  );

  r.delete(
    "/api/v1/orgs/:orgId",
    {
      schema: {
        tags,
        summary: "Delete the organization (admins)",
        description:
          "In one transaction: every live share of the organization is destroyed (its links " +
          "answer 410 deleted), its requests, branding, invitations and memberships are deleted. " +
          "Members keep their accounts. `name` must be the organization's name " +
          "(400 confirmation_mismatch). Needs a session signed in within the last 15 minutes " +
          "or the account's `password` in the body (extension), as making someone admin does: " +
          "else 403 recent_sign_in_required; a wrong password is 403 wrong_current_password, " +
          "counted by the sign-in back-off. Nothing is deleted then.",
        params: OrgParams,
        body: DeleteOrgBody,
        errors: [...ADMIN_ERRORS, "confirmation_mismatch", ...RECENT_PROOF_ERRORS],
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const admin = requireAdmin(request, request.params.orgId);
      await proof.requireRecentProof(adminProof(request, admin, request.body.password));
      await deletion.deleteOrg(admin.org.id, request.body.name);
      return reply.status(204).send(null);
    },
  );

  getOrgResource(
    app,
    "/api/v1/orgs/:orgId/members",
    { tags, summary: "Members of an organization", role: "member", response: MemberList },
    (orgId) => orgs.members(orgId),
  );

  r.delete(
    "/api/v1/orgs/:orgId/members/:userId",
    {
      schema: {
        tags,
        summary: "Remove a member (admins), or leave (yourself)",
        params: MemberParams,
        errors: [...ADMIN_ERRORS, "member_not_found", "last_admin"],
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const { auth, org } = requireMember(request, request.params.orgId);
      if (request.params.userId !== auth.user.id) requireAdmin(request, org.id);
      await orgs.removeMember(request, org.id, request.params.userId);
      return reply.status(204).send(null);
    },
  );

  r.put(
    "/api/v1/orgs/:orgId/members/:userId",
    {
      schema: {
        tags,
        summary: "Change a member's role (admins)",
        description:
          "Making someone admin needs a session signed in within the last 15 minutes or the " +
          "account's `password` in the body: else 403 recent_sign_in_required (nothing " +
          "changes); a wrong password is 403 wrong_current_password, counted by the sign-in " +
          "back-off. Making someone a member needs neither.",
        params: MemberParams,
        body: RoleBody,
        errors: [...ADMIN_ERRORS, "member_not_found", "last_admin", ...RECENT_PROOF_ERRORS],
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const admin = requireAdmin(request, request.params.orgId);
      const { role, password } = request.body;
      const caller = adminProof(request, admin, password);
      await orgs.setRole(request, admin.org.id, request.params.userId, role, caller);
      return reply.status(204).send(null);
    },
  );

  r.post(
    "/api/v1/orgs/:orgId/invitations",
    {
      schema: {
        tags,
        summary: "Invite someone by e-mail (admins)",
        description:
          "Inviting someone as admin (`role: admin`) needs a session signed in within the last " +
          "15 minutes or the account's `password` in the body, as making a member admin does: " +
          "else 403 recent_sign_in_required (nothing is sent). Member invitations need neither. " +
          "An address spelled other than plainly answers 400 invalid_request at `body.email` " +
          "(extension): a dot at its end or two in a row in its domain, full-width or other " +
          "compatibility characters, which a mail system delivers as the plain spelling.",
        params: OrgParams,
        body: InvitationBody,
        errors: [
          ...ADMIN_ERRORS,
          "already_member",
          "mail_limit",
          "confusable_domain",
          ...RECENT_PROOF_ERRORS,
        ],
        response: {
          201: CreatedInvitation,
        },
      },
    },
    async (request, reply) => {
      const admin = requireAdmin(request, request.params.orgId);
      const { auth, org } = admin;
      const created = await orgs.invite(request, {
        orgId: org.id,
        orgName: org.name,
        email: request.body.email,
        role: request.body.role,
        invitedBy: { id: auth.user.id, name: auth.user.name },
        caller: adminProof(request, admin, request.body.password),
      });
      return reply
        .status(201)
        .header("location", `/api/v1/orgs/${org.id}/invitations/${created.id}`)
        .send(created);
    },
  );

  getOrgResource(
    app,
    "/api/v1/orgs/:orgId/invitations",
    {
      tags,
      summary: "Pending invitations: not accepted, not expired (admins)",
      description:
        "Newest first. Each invitation's link token is never shown again after it was mailed.",
      role: "admin",
      response: PendingInvitationList,
    },
    (orgId) => orgs.pendingInvitations(orgId),
  );

  r.delete(
    "/api/v1/orgs/:orgId/invitations/:invitationId",
    {
      schema: {
        tags,
        summary: "Cancel a pending invitation (admins)",
        description:
          "Its link stops working at once: accepting it answers 404 invitation_not_found, like " +
          "an unknown invitation. An invitation that is not pending (accepted, expired, " +
          "cancelled, or of another organization) answers 404.",
        params: InvitationParams,
        errors: [...ADMIN_ERRORS, "invitation_not_found"],
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const { org } = requireAdmin(request, request.params.orgId);
      await orgs.cancelInvitation(org.id, request.params.invitationId);
      return reply.status(204).send(null);
    },
  );

  r.post(
    "/api/v1/orgs/:orgId/invitations/:invitationId/resend",
    {
      schema: {
        tags,
        summary: "Mail a pending invitation again (admins)",
        description:
          "The invitation gets a new link and expires a week from now; the link mailed before " +
          "stops working. Counts toward the mail limits (429 mail_limit). 404 when the " +
          "invitation is not pending (accepted, expired, cancelled) or of another organization.",
        params: InvitationParams,
        errors: [...ADMIN_ERRORS, "invitation_not_found", "mail_limit"],
        response: { 200: CreatedInvitation },
      },
    },
    (request) => {
      const { auth, org } = requireAdmin(request, request.params.orgId);
      return orgs.resendInvitation({
        orgId: org.id,
        orgName: org.name,
        invitationId: request.params.invitationId,
        invitedBy: { id: auth.user.id, name: auth.user.name },
      });
    },
  );

  r.get(
    "/api/v1/invitations/:token",
    {
      schema: {
        tags,
        summary: "What an invitation is for",
        params: TokenParams,
        errors: ["invitation_not_found"],
        response: {
          200: InvitationInfo,
        },
      },
    },
    (request) => orgs.invitation(request.params.token),
  );

  r.post(
    "/api/v1/invitations/:token/accept",
    {
      schema: {
        tags,
        summary: "Accept an invitation (signed in as the invited address)",
        params: TokenParams,
        errors: [...VERIFIED_ERRORS, "invitation_not_found", "invitation_email_mismatch"],
        response: { 200: AcceptedInvitation },
      },
    },
    (request) => {
      const { user } = requireVerified(request);
      return orgs.accept(request, request.params.token, user);
    },
  );
}
