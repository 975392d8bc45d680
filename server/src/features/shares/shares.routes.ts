import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";

import {
  createShareBody,
  CreateShareResponse,
  DeletedCount,
  EmailCode,
  EmailCodeBody,
  EmailCodeSent,
  orgListQuery,
  RecipientParams,
  ResendBody,
  RevealBody,
  RevealResponse,
  RowId,
  ShareEvents,
  ShareList,
  ShareManageStatus,
  ShareMetadata,
  ShareParams,
  ShareStatusFilter,
  Verifier,
  ViewToken,
} from "@hushlink/protocol";

import type { Config } from "../../config.js";
import type { DeclaredError } from "../../plugins/contract.js";
import { rateLimitFor } from "../../plugins/rate-limit.js";
import { UnauthorizedError } from "../../errors.js";
import {
  MEMBER_ERRORS,
  refuseStaleSession,
  STALE_SESSION_NOTE,
  requireCaller,
  requireMember,
  requireVerified,
  USER_ERRORS,
} from "../auth/auth.context.js";
import type { AuditedShares } from "../audit/audit.wiring.js";
import { listPageAndFilters } from "../../lib/list-query.js";

/**
 * What opening a link may be refused with: by a reveal, and by a link holder's delete, which must
 * show it may open the share (the contract lists them in the catalogue's order either way).
 */
const OPENING_ERRORS = [
  "share_not_found",
  "share_gone",
  "login_required",
  "not_allowed",
  ["password_required", 403],
  "wrong_password",
  "email_code_required",
  "wrong_email_code",
  "email_code_expired",
] as const satisfies readonly DeclaredError[];

export function registerShareRoutes(
  app: FastifyInstance,
  deps: { config: Config; shares: AuditedShares },
) {
  const { config, shares } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ["shares"];

  r.post(
    "/api/v1/shares",
    {
      config: rateLimitFor(config, "create"),
      schema: {
        tags,
        summary: "Create a share from a client-encrypted secret",
        description: STALE_SESSION_NOTE,
        body: createShareBody(config.limits),
        errors: [
          ...MEMBER_ERRORS,
          "email_not_verified",
          "email_not_configured",
          "confusable_domain",
          "invalid_link_secret",
          "link_secret_required",
          ["password_required", 400],
          "recipient_not_member",
          "share_exists",
          "too_large",
          "mail_limit",
          "policy_violation",
        ],
        response: { 201: CreateShareResponse },
      },
    },
    async (request, reply) => {
      let creator: { userId: string | null; orgId: string | null } = { userId: null, orgId: null };
      if (request.auth) {
        const { auth, org } = requireMember(request, request.body.orgId);
        const { access, recipients, notifyOnView } = request.body;
        // Organization access, recipients and view notices reach other people (issue 15).
        if (access === "organization" || (recipients?.length ?? 0) > 0 || notifyOnView === true)
          requireVerified(request);
        creator = { userId: auth.user.id, orgId: org.id };
      } else {
        refuseStaleSession(request, reply); // Not quietly anonymous for someone who thinks they are in.
        if (request.body.orgId !== undefined || !config.anonymousSharing)
          throw new UnauthorizedError("login_required", "Sign in to create a share.");
      }
      const created = await shares.create(request, request.body, { ...creator, ip: request.ip });
      return reply.status(201).header("location", `/api/v1/shares/${created.id}`).send(created);
    },
  );

  r.get(
    "/api/v1/shares/:id",
    {
      config: rateLimitFor(config, "reveal"),
      schema: {
        tags,
        summary: "Read a share's metadata; consumes nothing",
        params: ShareParams,
        errors: ["share_not_found", "share_gone"],
        response: { 200: ShareMetadata },
      },
    },
    (request) => shares.metadata(request.params.id, request.auth?.user.id ?? null),
  );

  r.post(
    "/api/v1/shares/:id/reveal",
    {
      config: rateLimitFor(config, "reveal"),
      schema: {
        tags,
        summary: "Consume one view and receive the ciphertext",
        params: ShareParams,
        body: RevealBody,
        errors: [...OPENING_ERRORS, "upload_incomplete"],
        response: { 200: RevealResponse },
      },
    },
    (request) =>
      shares.reveal(request, request.params.id, request.body, {
        ip: request.ip,
        userId: request.auth?.user.id ?? null,
      }),
  );

  r.post(
    "/api/v1/shares/:id/email-code",
    {
      config: rateLimitFor(config, "reveal"),
      schema: {
        tags,
        summary:
          "E-mail a six-digit code to the address a recipient's link was made for (extension, issue 19)",
        description:
          "For a link that requires an e-mailed code (metadata `requiresEmailCode`): the code works " +
          "10 minutes, 5 tries and one reveal; a link gets one code a minute and five an hour.",
        params: ShareParams,
        body: EmailCodeBody,
        errors: [
          "share_not_found",
          "share_gone",
          "email_code_not_required",
          "email_not_configured",
          "email_code_limit",
        ],
        response: { 200: EmailCodeSent },
      },
    },
    (request) => shares.sendEmailCode(request.params.id, request.body.viewToken),
  );

  r.delete(
    "/api/v1/shares/:id",
    {
      config: rateLimitFor(config, "reveal"),
      schema: {
        tags,
        summary:
          "Destroy a share now: its creator or an org admin (signed in), the manage token, or a link holder who may open it (X-View-Token, and X-Verifier for a password)",
        params: ShareParams,
        headers: z.object({
          "x-manage-token": z.string().max(200).optional(),
          // The reveal's viewToken: one spelling (a second one named the same bytes, hashed alike).
          "x-view-token": ViewToken.optional(),
          "x-verifier": Verifier.optional(),
          "x-email-code": EmailCode.optional(),
        }),
        errors: OPENING_ERRORS,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const {
        "x-manage-token": manageToken,
        "x-view-token": viewToken,
        "x-verifier": verifier,
        "x-email-code": emailCode,
      } = request.headers;
      if (manageToken === undefined && viewToken === undefined && request.auth) {
        const member = requireCaller(request);
        await shares.deleteAsMember(request, request.params.id, member, request.ip);
        return reply.status(204).send(null);
      }
      await shares.deleteWithToken(
        request,
        request.params.id,
        { manageToken, viewToken, verifier, emailCode },
        { ip: request.ip, userId: request.auth?.user.id ?? null },
      );
      return reply.status(204).send(null);
    },
  );

  r.get(
    "/api/v1/shares/:id/manage",
    {
      config: rateLimitFor(config, "reveal"),
      schema: {
        tags,
        summary: "Status of a share for its anonymous creator (header X-Manage-Token)",
        params: ShareParams,
        headers: z.object({ "x-manage-token": z.string().max(200).optional() }),
        errors: ["share_not_found"],
        response: { 200: ShareManageStatus },
      },
    },
    (request) => shares.manageStatus(request.params.id, request.headers["x-manage-token"]),
  );

  r.get(
    "/api/v1/shares",
    {
      schema: {
        tags,
        summary: "The organization's shares, newest first",
        description:
          'Filters (extension): status, creator ("me" or a user id), q (part of the name, ' +
          "any case).",
        querystring: orgListQuery(ShareStatusFilter),
        errors: [...MEMBER_ERRORS, "invalid_cursor"],
        response: { 200: ShareList },
      },
    },
    (request) => {
      const { auth, org } = requireMember(request, request.query.orgId);
      const { page, filters } = listPageAndFilters(request.query, auth.user.id);
      return shares.list(org.id, page, filters);
    },
  );

  r.delete(
    "/api/v1/shares/expired",
    {
      schema: {
        tags,
        summary: "Delete all expired shares (extension)",
        description:
          "Removes the organization's expired shares: an admin's call all of them, a member's " +
          "their own. Their links then answer 404 share_not_found instead of 410 expired.",
        querystring: z.object({ orgId: RowId.optional() }).strict(),
        errors: [...MEMBER_ERRORS],
        response: { 200: DeletedCount },
      },
    },
    (request) => {
      const { auth, org } = requireMember(request, request.query.orgId);
      return shares
        .deleteExpired(request, org.id, { userId: auth.user.id, admin: org.role === "admin" })
        .then(({ deleted }) => ({ deleted }));
    },
  );

  r.post(
    "/api/v1/shares/:id/recipients/:recipientId/revoke",
    {
      schema: {
        tags,
        summary: "Revoke one recipient's own link (extension, F14); the other links keep working",
        params: RecipientParams,
        errors: [...USER_ERRORS, "share_not_found", "recipient_not_found", "share_gone"],
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const { id, recipientId } = request.params;
      await shares.revokeRecipient(request, id, recipientId, requireCaller(request), request.ip);
      return reply.status(204).send(null);
    },
  );

  r.post(
    "/api/v1/shares/:id/recipients/:recipientId/resend",
    {
      schema: {
        tags,
        summary:
          "Resend a recipient's e-mail or retry a failed one (extension, F14 / issue 25), with that recipient's link secret",
        params: RecipientParams,
        body: ResendBody,
        errors: [
          ...USER_ERRORS,
          "share_not_found",
          "recipient_not_found",
          "share_gone",
          "email_not_configured",
          "invalid_link_secret",
          "mail_limit",
        ],
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const { id, recipientId } = request.params;
      const member = requireCaller(request);
      await shares.resendToRecipient(id, recipientId, request.body.linkSecret, member);
      return reply.status(204).send(null);
    },
  );

  r.get(
    "/api/v1/shares/:id/events",
    {
      schema: {
        tags,
        summary: "Access log of a share (its creator or an org admin)",
        params: ShareParams,
        errors: [...USER_ERRORS, "share_not_found"],
        response: { 200: ShareEvents },
      },
    },
    (request) => shares.events(request.params.id, requireCaller(request)),
  );
}
