/**
 * Files in answers to end-to-end requests (SPEC F13 with §3.1): the flow of a share's files
 * (blobs.transfer.ts, the same store) on the request's row and tables. Declared at submit,
 * uploaded chunk by chunk with the upload token the submit answered, listed for resumption,
 * granted for download by each open with the reading secret, streamed with ranges. Never sees
 * Fastify.
 *
 * The submit reserves the request (first submission wins); the answer counts as given once its
 * last chunk is stored, and `onReady` runs in that chunk's transaction. An upload still unfinished
 * UNFINISHED_UPLOAD_MS after the submit is let go by the sweeper and the request is open again.
 */
import type { BlobDeclaration } from "@hushlink/protocol";
import type { Kysely } from "kysely";

import type { Database } from "../../db/schema.js";
import { requestNotFound } from "../requests/requests.errors.js";
import { answerFiles } from "./blobs.owner.js";
import { createFileTransfer, holdsUploadToken, type FileDeps } from "./blobs.transfer.js";
import * as repo from "./request-files.repository.js";

export type RequestFilesDeps = FileDeps;

export function createRequestFiles(deps: RequestFilesDeps) {
  const { database, clock, files } = deps;
  /** Set by app.ts: the requests feature's "answered" step (its notification), in the chunk's transaction. */
  let onReady: ((trx: Kysely<Database>, requestId: string) => Promise<void>) | null = null;

  const transfer = createFileTransfer(deps, {
    files: answerFiles,
    noun: "answer",

    /** The request's upload state if `token` is its upload token; 404 as for an unknown request. */
    async uploading(id, token) {
      const row = await repo.findRequestFiles(database.db, id);
      if (!holdsUploadToken(row, token) || row.expires_at <= clock.now()) throw requestNotFound();
      return row;
    },

    async count(trx, args) {
      const after = await repo.countChunk(trx, args);
      if (after && args.added && after.chunks_stored === after.chunks_total) {
        await onReady?.(trx, args.id);
      }
      return after;
    },

    // Deleted, expired or let go meanwhile: as for an unknown request. Still this upload: complete.
    async refusal(id, seen) {
      const latest = await repo.findRequestFiles(database.db, id);
      if (latest && latest.expires_at > seen.now && latest.upload_token_hash === seen.tokenHash) {
        return null;
      }
      return requestNotFound();
    },

    notFound: requestNotFound,

    async readable(id, now) {
      const request = await repo.findRequestFiles(database.db, id);
      if (!request || request.expires_at <= now) throw requestNotFound();
      return id;
    },
  });

  return {
    onReady(listener: (trx: Kysely<Database>, requestId: string) => Promise<void>) {
      onReady = listener;
    },

    /**
     * Checks an answer's blobs against the limits (anonymous: the request was made without an
     * account, so ANONYMOUS_MAX_FILE_BYTES) and prepares what the submit's UPDATE sets and its
     * transaction adds.
     */
    prepareAnswer(blobs: BlobDeclaration[], owner: { anonymous: boolean }) {
      return transfer.declare(blobs, { anonymous: owner.anonymous, whenAnonymousOff: "too_large" });
    },

    /** `PUT /api/v1/requests/{id}/blobs/{B}/{n}`. */
    putChunk: transfer.putChunk,
    /** `GET /api/v1/requests/{id}/upload`. */
    uploadStatus: transfer.uploadStatus,

    /**
     * Inside an open's transaction, once the answer is there: a download window of
     * DOWNLOAD_WINDOW, never past the request's expiry (its files go with it). Each open grants
     * its own; the files stay until the request is deleted or expires.
     */
    grantDownload(trx: Kysely<Database>, request: { id: string; expiresAt: number }) {
      const expiresAt = Math.min(clock.now() + files.downloadWindowMs, request.expiresAt);
      return transfer.grant(trx, { id: request.id, filesOf: request.id, expiresAt });
    },

    /** `GET /api/v1/requests/{id}/blobs/{B}`. */
    download: transfer.download,
  };
}

export type RequestFiles = ReturnType<typeof createRequestFiles>;
