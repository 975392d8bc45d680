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

import type { Clock } from "../../clock.js";
import type { DatabaseHandle } from "../../db/database.js";
import { NotFoundError } from "../../errors.js";
import { hashToken, newId, newToken } from "../../lib/tokens.js";
import { requireUser, requireVerified } from "../auth/auth.context.js";

export const API_TOKEN_PREFIX = "hl_";

export function registerTokenRoutes(
  app: FastifyInstance,
  deps: { database: Pick<DatabaseHandle, "db">; clock: Clock },
) {
  const { database, clock } = deps;
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
      const id = newId();
      const token = `${API_TOKEN_PREFIX}${newToken()}`;
      await database.db
        .insertInto("api_tokens")
        .values({
          id,
          user_id: user.id,
          name: request.body.name,
          token_hash: hashToken(token),
          created_at: clock.now(),
          last_used_at: null,
        })
        .execute();
      return reply.status(201).header("location", `/api/v1/tokens/${id}`).send({ id, token });
    },
  );

  r.get(
    "/api/v1/tokens",
    {
      schema: { tags, summary: "List your API tokens", response: { 200: ApiTokenList, ...errors } },
    },
    async (request) => {
      const { user } = requireUser(request);
      const rows = await database.db
        .selectFrom("api_tokens")
        .select(["id", "name", "created_at", "last_used_at"])
        .where("user_id", "=", user.id)
        .orderBy("created_at", "desc")
        .execute();
      return {
        items: rows.map((t) => ({
          id: t.id,
          name: t.name,
          createdAt: new Date(t.created_at).toISOString(),
          lastUsedAt: t.last_used_at === null ? null : new Date(t.last_used_at).toISOString(),
        })),
      };
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
      const result = await database.db
        .deleteFrom("api_tokens")
        .where("id", "=", request.params.id)
        .where("user_id", "=", user.id)
        .executeTakeFirst();
      if (Number(result.numDeletedRows) === 0)
        throw new NotFoundError("token_not_found", "No such API token.");
      return reply.status(204).send(null);
    },
  );
}
