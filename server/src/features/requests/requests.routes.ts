import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";

import {
  createRequestBody,
  CreateRequestResponse,
  OpenRequestBody,
  orgListQuery,
  OpenRequestResponse,
  RequestEvents,
  RequestList,
  RequestMetadata,
  RequestParams,
  RevealRequestBody,
  RevealRequestResponse,
  submitRequestBody,
  SubmitRequestResponse,
} from "@hushlink/protocol";

import type { Config } from "../../config.js";
import { rateLimitFor } from "../../plugins/rate-limit.js";
import {
  MEMBER_ERRORS,
  refuseStaleSession,
  STALE_SESSION_NOTE,
  requireCaller,
  requireMember,
  requireVerified,
  USER_ERRORS,
} from "../auth/auth.context.js";
import type { AuditedRequests } from "../audit/audit.wiring.js";
import { listPageAndFilters } from "../../lib/list-query.js";
import { valueTooLarge } from "./requests.service.js";

export function registerRequestRoutes(
  app: FastifyInstance,
  deps: { config: Config; requests: AuditedRequests },
) {
  const { config, requests } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ["requests"];
  const maxBytes = config.limits.maxSecretBytes;

  // The protocol's schema bounds the value in characters; the limit is in UTF-8 bytes.
  const submitBody = submitRequestBody(config.limits).refine(
    (body) => !("value" in body) || Buffer.byteLength(body.value, "utf8") <= maxBytes,
    { path: ["value"], message: valueTooLarge(maxBytes) },
  );

  r.post(
    "/api/v1/requests",
    {
      config: rateLimitFor(config, "create"),
      schema: {
        tags,
        summary: "Ask for a secret: create a request whose link someone else answers once",
        description:
          "With publicKey, encryptedPrivateKey, keyIv and readToken (all four, SPEC §3.2) the " +
          "request is end-to-end: only the holder of the reading secret can open the answer. " +
          "Such a request may be made without an account (unless ANONYMOUS_REQUESTS=off); its " +
          "answer then carries a manageToken that deletes it. " +
          STALE_SESSION_NOTE,
        body: createRequestBody(config.limits),
        errors: [...MEMBER_ERRORS, "email_not_verified", "invalid_public_key", "policy_violation"],
        response: { 201: CreateRequestResponse },
      },
    },
    async (request, reply) => {
      const { publicKey, encryptedPrivateKey, keyIv, readToken, ...rest } = request.body;
      const keys =
        publicKey && encryptedPrivateKey && keyIv && readToken
          ? { publicKey, encryptedPrivateKey, keyIv, readToken }
          : undefined;
      // Without an account only an end-to-end request makes sense: nobody else could read it.
      const anonymous = !request.auth && keys !== undefined && config.anonymousRequests;
      let creator: { userId: string | null; orgId: string | null; ip: string };
      if (anonymous) {
        refuseStaleSession(request, reply);
        creator = { userId: null, orgId: null, ip: request.ip };
      } else {
        requireVerified(request); // Organization content, and its answer mails the requester.
        const { auth, org } = requireMember(request, rest.orgId);
        creator = { userId: auth.user.id, orgId: org.id, ip: request.ip };
      }
      const created = await requests.create(request, { ...rest, keys }, creator);
      return reply.status(201).header("location", `/api/v1/requests/${created.id}`).send(created);
    },
  );

  r.get(
    "/api/v1/requests",
    {
      schema: {
        tags,
        summary:
          "Open and fulfilled requests, newest first: the caller's own, or an admin's organization's",
        description:
          "A request's id answers it, so a plain member lists only their own requests (mine: " +
          "true); an organization admin lists every member's. Filters (extension): status " +
          '(open, fulfilled), creator ("me" or a user id; a member naming someone else gets an ' +
          "empty list), q (part of the name, any case).",
        querystring: orgListQuery(z.enum(["open", "fulfilled"])),
        errors: [...MEMBER_ERRORS, "invalid_cursor"],
        response: { 200: RequestList },
      },
    },
    (request) => {
      const { auth, org } = requireMember(request, request.query.orgId);
      const { page, filters } = listPageAndFilters(request.query, auth.user.id);
      return requests.list(
        org.id,
        { id: auth.user.id, admin: org.role === "admin" },
        page,
        filters,
      );
    },
  );

  r.get(
    "/api/v1/requests/:id",
    {
      config: rateLimitFor(config, "reveal"),
      schema: {
        tags,
        summary: "What the request link's page shows; consumes nothing",
        description:
          "An organization-only request answers 401 login_required (signed out) or 403 " +
          "not_allowed (another organization); a branded organization's answers carry its " +
          "public branding in error.branding, so the page can wear it.",
        params: RequestParams,
        errors: ["request_not_found", "login_required", "not_allowed"],
        response: { 200: RequestMetadata },
      },
    },
    (request) =>
      requests.metadata(request.params.id, {
        userId: request.auth?.user.id ?? null,
        orgIds: request.auth?.orgs.map((o) => o.id) ?? [],
      }),
  );

  r.post(
    "/api/v1/requests/:id/submit",
    {
      config: rateLimitFor(config, "submit"),
      // Worst-case JSON escaping (\u00XX) is six bytes per byte of value.
      bodyLimit: maxBytes * 6 + 4096,
      schema: {
        tags,
        summary: "Answer a request with the secret; the first submission wins",
        description:
          "An end-to-end answer may declare blobs (SPEC §3.1): it then answers 200 with the " +
          "uploadToken its chunks are sent with (PUT /api/v1/requests/{id}/blobs/{blob}/{n}); " +
          "the request takes no other answer, and opens with the files once they are all in. " +
          "An upload unfinished 24 hours after the submit is let go and the request is open again.",
        params: RequestParams,
        body: submitBody,
        errors: [
          "request_not_found",
          "login_required",
          "not_allowed",
          "request_fulfilled",
          "invalid_public_key",
          "answer_kind_mismatch",
          "too_large",
          "policy_violation",
        ],
        response: {
          200: SubmitRequestResponse,
          204: z.null(),
        },
      },
    },
    async (request, reply) => {
      const { body } = request;
      const files = await requests.submit(
        request,
        request.params.id,
        "value" in body ? body.value : body,
        {
          userId: request.auth?.user.id ?? null,
          orgIds: request.auth?.orgs.map((o) => o.id) ?? [],
          ip: request.ip,
        },
      );
      if (files) return reply.status(200).send(files);
      return reply.status(204).send(null);
    },
  );

  r.post(
    "/api/v1/requests/:id/reveal",
    {
      config: rateLimitFor(config, "reveal"),
      schema: {
        tags,
        summary: "The submitted secret, for the requester; every reveal is recorded",
        params: RequestParams,
        body: RevealRequestBody.nullish(),
        errors: [
          ...USER_ERRORS,
          "request_not_found",
          "request_not_fulfilled",
          "answer_kind_mismatch",
          "root_key_missing",
          "value_unreadable",
        ],
        response: { 200: RevealRequestResponse },
      },
    },
    (request) => {
      return requests.reveal(request, request.params.id, requireCaller(request), request.ip);
    },
  );

  r.post(
    "/api/v1/requests/:id/open",
    {
      config: rateLimitFor(config, "reveal"),
      schema: {
        tags,
        summary:
          "An end-to-end request's wrapped key and answer, for the holder of the reading secret",
        description:
          "readToken is derived from the reading link (SPEC §3.2); a wrong one answers 404 like " +
          "an unknown id. Every open that hands out an answer is recorded.",
        params: RequestParams,
        body: OpenRequestBody,
        errors: ["request_not_found"],
        response: { 200: OpenRequestResponse },
      },
    },
    (request) => requests.open(request, request.params.id, request.body.readToken, request.ip),
  );

  r.delete(
    "/api/v1/requests/:id",
    {
      config: rateLimitFor(config, "reveal"),
      schema: {
        tags,
        summary:
          "Delete a request and anything submitted to it (requester or org admin, or header X-Manage-Token for a request made without an account)",
        params: RequestParams,
        headers: z.object({ "x-manage-token": z.string().max(200).optional() }),
        errors: [...USER_ERRORS, "request_not_found"],
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const manageToken = request.headers["x-manage-token"];
      if (manageToken !== undefined) {
        await requests.removeWithManageToken(request.params.id, manageToken, request.ip);
        return reply.status(204).send(null);
      }
      await requests.remove(request, request.params.id, requireCaller(request), request.ip);
      return reply.status(204).send(null);
    },
  );

  r.get(
    "/api/v1/requests/:id/events",
    {
      schema: {
        tags,
        summary: "Audit trail of a request (its requester or an org admin)",
        params: RequestParams,
        errors: [...USER_ERRORS, "request_not_found"],
        response: { 200: RequestEvents },
      },
    },
    (request) => requests.events(request.params.id, requireCaller(request)),
  );
}
