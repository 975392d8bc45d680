/**
 * Routes of files (SPEC §3.1): chunk upload, upload status, download. The chunk route alone reads
 * a raw body, and no more than one encrypted chunk of it; every other route keeps its small limit
 * and JSON only (plugins/limits.ts).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";

import {
  BlobParams,
  ChunkParams,
  ENCRYPTED_CHUNK_BYTES,
  errorAnswer,
  type ErrorCode,
  RequestBlobParams,
  RequestChunkParams,
  RequestParams,
  UploadStatus,
  ShareParams,
} from "@hushlink/protocol";

import type { Config } from "../../config.js";
import { UnsupportedMediaTypeError } from "../../errors.js";
import { rateLimitFor } from "../../plugins/rate-limit.js";
import type { blobStream } from "./blobs.rules.js";
import type { BlobsService } from "./blobs.service.js";
import { createSlabPool, slabBodyParser, slabsPerRequest, type SlabPool } from "./chunk-body.js";
import type { RequestFiles } from "./request-files.service.js";

const token = (name: string) => z.object({ [name]: z.string().max(200).optional() });

/** Bytes, streamed as they are: the serializer never sees them. */
const EncryptedBytes = z.unknown().meta({ type: "string", format: "binary" });

export async function registerBlobRoutes(
  app: FastifyInstance,
  deps: {
    config: Config;
    blobs: BlobsService;
    requestFiles: RequestFiles;
    /** The store's own pool (the chunk file's, which takes the slabs over); else one here. */
    slabs?: SlabPool | undefined;
  },
) {
  const { config, blobs, requestFiles } = deps;
  const tags = ["files"];
  const requestTags = ["files", "requests"];

  // Its own scope, so the raw-body parser exists for the chunk route only. The bodies go into a
  // few reused slabs, given back once each chunk is stored or refused (chunk-body.ts).
  const slabs = deps.slabs ?? createSlabPool(ENCRYPTED_CHUNK_BYTES);
  const perRequest = slabsPerRequest(slabs);
  await app.register((scope, _options, done) => {
    scope.addHook("onRequest", perRequest.onRequest);
    // A chunk labelled JSON is refused for its type (415), as any other type is, before its
    // bytes are read: the app's JSON parser would otherwise try them and answer invalid_json.
    scope.removeContentTypeParser("application/json");
    scope.addContentTypeParser(
      "application/octet-stream",
      { bodyLimit: ENCRYPTED_CHUNK_BYTES },
      slabBodyParser(slabs, ENCRYPTED_CHUNK_BYTES, perRequest.watchOf),
    );
    const putChunk = chunkRoute(scope, config, slabs, perRequest.claim);
    putChunk({
      url: "/api/v1/shares/:id/blobs/:blob/:n",
      tags,
      summary:
        "Upload encrypted chunk n of a blob (raw body, application/octet-stream; header X-Upload-Token)",
      params: ChunkParams,
      errors: ["share_not_found", "share_gone"],
      service: blobs,
    });
    // The files of an answer to an end-to-end request (SPEC F13 with §3.1), the same way.
    putChunk({
      url: "/api/v1/requests/:id/blobs/:blob/:n",
      tags: requestTags,
      summary:
        "Upload encrypted chunk n of a blob of a request's answer (raw body, application/octet-stream; header X-Upload-Token from the submit)",
      params: RequestChunkParams,
      errors: ["request_not_found"],
      service: requestFiles,
    });
    done();
  });

  const readRoutes = fileReadRoutes(app, config);
  readRoutes({
    url: "/api/v1/shares/:id",
    tags,
    statusSummary:
      "What has arrived of a share's files, to resume an upload (header X-Upload-Token)",
    downloadSummary:
      "Download an encrypted blob (header X-Download-Token from the reveal; Range supported)",
    params: ShareParams,
    blobParams: BlobParams,
    errors: ["share_not_found", "share_gone"],
    service: blobs,
  });
  readRoutes({
    url: "/api/v1/requests/:id",
    tags: requestTags,
    statusSummary:
      "What has arrived of the files of a request's answer, to resume an upload (header X-Upload-Token)",
    downloadSummary:
      "Download an encrypted blob of a request's answer (header X-Download-Token from the open; Range supported)",
    params: RequestParams,
    blobParams: RequestBlobParams,
    errors: ["request_not_found"],
    service: requestFiles,
  });
}

/**
 * Declares an owner's two reading routes, `GET {url}/upload` (what has arrived, for resuming) and
 * `GET {url}/blobs/:blob` (the download), which differ between a share and an answer only in
 * their path, words, params and the refusals of their own that come before the common ones.
 */
function fileReadRoutes(app: FastifyInstance, config: Config) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  return (owner: {
    url: string;
    tags: string[];
    statusSummary: string;
    downloadSummary: string;
    params: typeof ShareParams | typeof RequestParams;
    blobParams: typeof BlobParams | typeof RequestBlobParams;
    errors: ErrorCode[];
    service: Pick<BlobsService, "uploadStatus" | "download">;
  }) => {
    r.get(
      `${owner.url}/upload`,
      {
        config: rateLimitFor(config, "upload"),
        schema: {
          tags: owner.tags,
          summary: owner.statusSummary,
          params: owner.params,
          headers: token("x-upload-token"),
          errors: owner.errors,
          response: { 200: UploadStatus },
        },
      },
      (request) => owner.service.uploadStatus(request.params.id, request.headers["x-upload-token"]),
    );
    // HEAD answers as GET does (status, Content-Length, Content-Range) without reading a chunk:
    // Fastify's own HEAD route would run GET's and read the whole blob from the store to discard it.
    for (const method of ["GET", "HEAD"] as const) {
      r.route({
        method,
        url: `${owner.url}/blobs/:blob`,
        config: rateLimitFor(config, "download"),
        exposeHeadRoute: false,
        schema: {
          ...(method === "HEAD" ? { hide: true } : {}),
          tags: owner.tags,
          summary: owner.downloadSummary,
          params: owner.blobParams,
          headers: token("x-download-token").extend({
            range: z.string().max(200).optional(),
            "if-range": z.string().max(200).optional(),
          }),
          errors: [...owner.errors, "download_expired", "blob_not_found", "range_not_satisfiable"],
          response: downloadResponses,
        },
        handler: async (request, reply) =>
          sendBlob(
            reply,
            await owner.service.download({
              id: request.params.id,
              blobId: request.params.blob,
              token: request.headers["x-download-token"],
              // A download answers no validator (ETag, Last-Modified), so no If-Range can match
              // it: the whole blob, as RFC 9110 §13.1.5 asks, never a piece of something else.
              range: request.headers["if-range"] === undefined ? request.headers.range : undefined,
            }),
            method === "HEAD",
          ),
      });
    }
  };
}

/**
 * Declares a chunk upload route (`PUT …/blobs/:blob/:n`) in the scope that parses raw bodies: one
 * encrypted chunk at most, the upload rate limit, 204 once it is stored. The owner's routes differ
 * only in their path, words, params and the refusals of their own that come before the common ones.
 */
function chunkRoute(
  scope: FastifyInstance,
  config: Config,
  slabs: SlabPool,
  claim: (request: FastifyRequest) => void,
) {
  return (route: {
    url: string;
    tags: string[];
    summary: string;
    params: typeof ChunkParams | typeof RequestChunkParams;
    errors: ErrorCode[];
    service: Pick<BlobsService, "putChunk">;
  }) =>
    scope.withTypeProvider<ZodTypeProvider>().put(
      route.url,
      {
        bodyLimit: ENCRYPTED_CHUNK_BYTES,
        config: {
          ...rateLimitFor(config, "upload"),
          rawBody: { "application/octet-stream": { description: "One encrypted chunk" } },
        },
        schema: {
          tags: route.tags,
          summary: route.summary,
          params: route.params,
          headers: token("x-upload-token"),
          errors: [
            ...route.errors,
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
        const { id, blob, n } = request.params;
        const body = rawChunk(request.body);
        claim(request);
        try {
          await route.service.putChunk(
            { id, blobId: blob, n, token: request.headers["x-upload-token"] },
            body,
          );
        } finally {
          // Stored (or refused) with the store done with it: the slab takes the next chunk.
          slabs.release(body);
        }
        return reply.status(204).send(null);
      },
    );
}

function rawChunk(body: unknown): Buffer {
  if (Buffer.isBuffer(body)) return body;
  throw new UnsupportedMediaTypeError(
    "unsupported_media_type",
    "Send the encrypted chunk as application/octet-stream.",
  );
}

const downloadResponses = {
  200: {
    description: "The encrypted blob",
    content: { "application/octet-stream": { schema: EncryptedBytes } },
  },
  206: {
    description: "The requested range of the encrypted blob",
    content: { "application/octet-stream": { schema: EncryptedBytes } },
  },
  416: errorAnswer(["range_not_satisfiable"]),
};

/** A download's answer: the whole blob (200) or a range (206), never cached, never shown inline. */
function sendBlob(reply: FastifyReply, answer: ReturnType<typeof blobStream>, headOnly = false) {
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
  void reply
    .type("application/octet-stream")
    .header("content-length", answer.end - answer.start + 1);
  if (headOnly) {
    // The stream reads lazily: destroyed unread, no chunk leaves the store.
    answer.stream.destroy();
    return reply.send();
  }
  return reply.send(answer.stream);
}
