import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";

import {
  createShareBody,
  CreateShareResponse,
  ErrorBody,
  RevealBody,
  RevealResponse,
  ShareManageStatus,
  ShareMetadata,
  ShareParams,
} from "@hushlink/protocol";

import type { Config } from "../../config.js";
import { rateLimitFor } from "../../plugins/rate-limit.js";
import type { SharesService } from "./shares.service.js";

const errors = { 400: ErrorBody, 404: ErrorBody, 410: ErrorBody, 429: ErrorBody };

export function registerShareRoutes(
  app: FastifyInstance,
  deps: { config: Config; shares: SharesService },
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
        body: createShareBody(config.limits),
        response: { 201: CreateShareResponse, 409: ErrorBody, ...errors },
      },
    },
    async (request, reply) => {
      const created = await shares.create(request.body, {
        userId: null,
        orgId: null,
        ip: request.ip,
      });
      return reply.status(201).send(created);
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
        response: { 200: ShareMetadata, ...errors },
      },
    },
    (request) => shares.metadata(request.params.id),
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
        response: { 200: RevealResponse, 401: ErrorBody, 403: ErrorBody, ...errors },
      },
    },
    (request) => shares.reveal(request.params.id, request.body, { ip: request.ip, userId: null }),
  );

  r.delete(
    "/api/v1/shares/:id",
    {
      config: rateLimitFor(config, "reveal"),
      schema: {
        tags,
        summary: "Destroy a share now (manage token, or view token of a link holder)",
        params: ShareParams,
        headers: z.object({
          "x-manage-token": z.string().max(200).optional(),
          "x-view-token": z.string().max(200).optional(),
        }),
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      await shares.deleteWithToken(
        request.params.id,
        {
          manageToken: request.headers["x-manage-token"],
          viewToken: request.headers["x-view-token"],
        },
        { ip: request.ip, userId: null },
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
        response: { 200: ShareManageStatus, ...errors },
      },
    },
    (request) => shares.manageStatus(request.params.id, request.headers["x-manage-token"]),
  );
}
