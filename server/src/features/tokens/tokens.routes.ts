/** Personal API tokens (SPEC F8): shown once, stored hashed, prefixed hl_ for secret scanners. */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";

import {
  ApiTokenList,
  CreateApiTokenBody,
  CreateApiTokenResponse,
  ErrorBody,
} from "@hushlink/protocol";

import { requireUser, requireVerified } from "../auth/auth.context.js";
import type { TokensService } from "./tokens.service.js";

export function registerTokenRoutes(app: FastifyInstance, deps: { tokens: TokensService }) {
  const { tokens } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ["tokens"];
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

  r.post(
    "/api/v1/tokens",
    {
      schema: {
        tags,
        summary: "Create a personal API token (shown once)",
        body: CreateApiTokenBody,
        response: { 201: CreateApiTokenResponse, ...errors },
      },
    },
    async (request, reply) => {
      // A token outlives password resets unless revoked: only a proven address may hold one.
      const { user } = requireVerified(request);
      const { id, token } = await tokens.create(user.id, request.body.name);
      return reply.status(201).header("location", `/api/v1/tokens/${id}`).send({ id, token });
    },
  );

  r.get(
    "/api/v1/tokens",
    {
      schema: { tags, summary: "List your API tokens", response: { 200: ApiTokenList, ...errors } },
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
        params: z.object({ id: z.string().max(64) }),
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      const { user } = requireUser(request);
      await tokens.revoke(user.id, request.params.id);
      return reply.status(204).send(null);
    },
  );
}
