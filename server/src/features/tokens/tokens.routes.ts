/** Personal API tokens (SPEC F8): shown once, stored hashed, prefixed hl_ for secret scanners. */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";

import {
  ApiTokenList,
  CreateApiTokenBody,
  CreateApiTokenResponse,
  RowId,
} from "@hushlink/protocol";

import {
  requireUser,
  requireVerified,
  USER_ERRORS,
  VERIFIED_ERRORS,
} from "../auth/auth.context.js";
import type { AuditedTokens } from "../audit/audit.wiring.js";
import { RECENT_PROOF_ERRORS } from "../auth/recent-proof.js";

export function registerTokenRoutes(app: FastifyInstance, deps: { tokens: AuditedTokens }) {
  const { tokens } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ["tokens"];

  r.post(
    "/api/v1/tokens",
    {
      schema: {
        tags,
        summary: "Create a personal API token (shown once)",
        body: CreateApiTokenBody,
        errors: [...VERIFIED_ERRORS, ...RECENT_PROOF_ERRORS],
        response: { 201: CreateApiTokenResponse },
        description:
          "`scope` (default `full`) limits what the token may call; `expiresIn` (seconds, an hour to a year) makes it expire, after which it answers 401 `invalid_token`. API tokens cannot call this (403 `token_scope`). " +
          "Needs a session signed in within the last 15 minutes or the account's `password` in " +
          "the body: else 403 recent_sign_in_required; a wrong password is 403 " +
          "wrong_current_password, counted by the sign-in back-off. The owner is mailed (the " +
          "name, scope and expiry, never the token).",
      },
    },
    async (request, reply) => {
      // A token outlives password resets unless revoked: only a proven address may hold one.
      const { user, signedInAt } = requireVerified(request);
      const { password, ...input } = request.body;
      const caller = { user, ip: request.ip, password, signedInAt };
      const created = await tokens.create(request, caller, input);
      return reply.status(201).header("location", `/api/v1/tokens/${created.id}`).send(created);
    },
  );

  r.get(
    "/api/v1/tokens",
    {
      schema: {
        tags,
        summary: "List your API tokens",
        errors: [...USER_ERRORS],
        response: { 200: ApiTokenList },
      },
    },
    (request) => {
      const { user } = requireUser(request);
      return tokens.list(user.id);
    },
  );

  r.delete(
    "/api/v1/tokens/:id",
    {
      schema: {
        tags,
        summary: "Revoke an API token",
        params: z.object({ id: RowId }),
        errors: [...USER_ERRORS, "token_not_found"],
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const { user } = requireUser(request);
      await tokens.revoke(request, user.id, request.params.id);
      return reply.status(204).send(null);
    },
  );
}
