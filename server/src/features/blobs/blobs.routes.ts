/**
 * Routes of files (SPEC §3.1): chunk upload, upload status, download. The chunk route alone reads
 * a raw body, and no more than one encrypted chunk of it; every other route keeps its small limit
 * and JSON only (plugins/limits.ts).
 */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";

import {
  BlobParams,
  ChunkParams,
  ENCRYPTED_CHUNK_BYTES,
  errorAnswer,
  ShareParams,
  UploadStatus,
} from "@hushlink/protocol";

import type { Config } from "../../config.js";
import { UnsupportedMediaTypeError } from "../../errors.js";
import { rateLimitFor } from "../../plugins/rate-limit.js";
import type { BlobsService } from "./blobs.service.js";
const token = (name: string) => z.object({ [name]: z.string().max(200).optional() });

/** Bytes, streamed as they are: the serializer never sees them. */
const EncryptedBytes = z.unknown().meta({ type: "string", format: "binary" });

export async function registerBlobRoutes(
  app: FastifyInstance,
  deps: { config: Config; blobs: BlobsService },
) {
  const { config, blobs } = deps;
  const tags = ["files"];

  // Its own scope, so the raw-body parser exists for the chunk route only.
  await app.register((scope, _options, done) => {
    scope.addContentTypeParser(
      "application/octet-stream",
      { parseAs: "buffer", bodyLimit: ENCRYPTED_CHUNK_BYTES },
      (_request, body, parsed) => parsed(null, body),
    );
    scope.withTypeProvider<ZodTypeProvider>().put(
      "/api/v1/shares/:id/blobs/:blob/:n",
      {
        bodyLimit: ENCRYPTED_CHUNK_BYTES,
        config: {
          ...rateLimitFor(config, "upload"),
          rawBody: { "application/octet-stream": { description: "One encrypted chunk" } },
        },
        schema: {
          tags,
          summary:
            "Upload encrypted chunk n of a blob (raw body, application/octet-stream; header X-Upload-Token)",
          params: ChunkParams,
          headers: token("x-upload-token"),
          errors: [
            "share_not_found",
            "share_gone",
            "blob_not_found",
            "chunk_length_mismatch",
            "chunk_out_of_range",
            "upload_complete",
            "unsupported_media_type",
          ],
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        if (!Buffer.isBuffer(request.body)) {
          throw new UnsupportedMediaTypeError(
            "unsupported_media_type",
            "Send the encrypted chunk as application/octet-stream.",
          );
        }
        const { id, blob, n } = request.params;
        await blobs.putChunk(
          { id, blobId: blob, n, token: request.headers["x-upload-token"] },
          request.body,
        );
        return reply.status(204).send(null);
      },
    );
    done();
  });

  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    "/api/v1/shares/:id/upload",
    {
      config: rateLimitFor(config, "upload"),
      schema: {
        tags,
        summary: "What has arrived of a share's files, to resume an upload (header X-Upload-Token)",
        params: ShareParams,
        headers: token("x-upload-token"),
        errors: ["share_not_found", "share_gone"],
        response: { 200: UploadStatus },
      },
    },
    (request) => blobs.uploadStatus(request.params.id, request.headers["x-upload-token"]),
  );

  r.get(
    "/api/v1/shares/:id/blobs/:blob",
    {
      config: rateLimitFor(config, "download"),
      exposeHeadRoute: false,
      schema: {
        tags,
        summary:
          "Download an encrypted blob (header X-Download-Token from the reveal; Range supported)",
        params: BlobParams,
        headers: token("x-download-token").extend({ range: z.string().max(200).optional() }),
        errors: [
          "share_not_found",
          "share_gone",
          "download_expired",
          "blob_not_found",
          "range_not_satisfiable",
        ],
        response: {
          200: {
            description: "The encrypted blob",
            content: { "application/octet-stream": { schema: EncryptedBytes } },
          },
          206: {
            description: "The requested range of the encrypted blob",
            content: { "application/octet-stream": { schema: EncryptedBytes } },
          },
          416: errorAnswer(["range_not_satisfiable"]),
        },
      },
    },
    async (request, reply) => {
      const answer = await blobs.download({
        id: request.params.id,
        blobId: request.params.blob,
        token: request.headers["x-download-token"],
        range: request.headers.range,
      });
      void reply
        .header("cache-control", "no-store")
        .header("accept-ranges", "bytes")
        // Names stay in the ciphertext: the browser saves what the page decrypts, never this.
        .header("content-disposition", "attachment");
      if (answer.unsatisfiable) {
        return reply
          .status(416)
          .header("content-range", `bytes */${answer.size}`)
          .send({
            error: {
              code: "range_not_satisfiable",
              message: `This file has ${answer.size} bytes.`,
            },
          });
      }
      if (answer.partial) {
        void reply
          .status(206)
          .header("content-range", `bytes ${answer.start}-${answer.end}/${answer.size}`);
      }
      return reply
        .type("application/octet-stream")
        .header("content-length", answer.end - answer.start + 1)
        .send(answer.stream);
    },
  );
}
