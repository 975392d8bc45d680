/**
 * Files in answers to end-to-end requests (SPEC F13 with §3.1): the same rules as a share's files
 * (blobs.rules.ts, the same store), on the request's row and tables. Declared at submit, uploaded
 * chunk by chunk with the upload token the submit answered, listed for resumption, granted for
 * download by each open with the reading secret, streamed with ranges. Never sees Fastify.
 *
 * The submit reserves the request (first submission wins); the answer counts as given once its
 * last chunk is stored, and `onReady` runs in that chunk's transaction. An upload still unfinished
 * UNFINISHED_UPLOAD_MS after the submit is let go by the sweeper and the request is open again.
 */
import type { BlobDeclaration } from "@hushlink/protocol";
import type { Kysely } from "kysely";

import type { Clock } from "../../clock.js";
import type { Config } from "../../config.js";
import { writeTransaction, type DatabaseHandle } from "../../db/database.js";
import type { Database } from "../../db/schema.js";
import { ConflictError, GoneError, NotFoundError } from "../../errors.js";
import { hashToken, newToken, safeEqual } from "../../lib/tokens.js";
import { requestNotFound } from "../requests/requests.errors.js";
import type { BlobMetrics } from "./blobs.metrics.js";
import { blobStream, checkChunk, declareBlobs } from "./blobs.rules.js";
import * as repo from "./request-files.repository.js";
import type { BlobStore } from "./store/index.js";

export interface RequestFilesDeps {
  database: Pick<DatabaseHandle, "db" | "dialect">;
  clock: Clock;
  files: Config["files"];
  store: BlobStore;
  metrics: BlobMetrics;
}

class ChunkRefused extends Error {}

function uploadComplete() {
  return new ConflictError("upload_complete", "Every file of this answer is already uploaded.");
}

export function createRequestFiles(deps: RequestFilesDeps) {
  const { database, clock, files, store, metrics } = deps;
  /** Set by app.ts: the requests feature's "answered" step (its notification), in the chunk's transaction. */
  let onReady: ((trx: Kysely<Database>, requestId: string) => Promise<void>) | null = null;

  /** The request's upload state if `token` is its upload token; 404 as for an unknown request. */
  async function uploading(id: string, token: string | undefined) {
    const row = await repo.findRequestFiles(database.db, id);
    if (
      !row ||
      token === undefined ||
      row.upload_token_hash === null ||
      !safeEqual(row.upload_token_hash, hashToken(token)) ||
      row.expires_at <= clock.now()
    ) {
      throw requestNotFound();
    }
    return row;
  }

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
      const { declared, columns } = declareBlobs(files, blobs, {
        anonymous: owner.anonymous,
        whenAnonymousOff: "too_large",
      });
      const uploadToken = newToken();
      return {
        uploadToken,
        columns: { ...columns, upload_token_hash: hashToken(uploadToken) },
        insert: (trx: Kysely<Database>, requestId: string) =>
          repo.insertBlobs(trx, requestId, declared),
      };
    },

    /** `PUT /api/v1/requests/{id}/blobs/{B}/{n}`: checks everything, stores the chunk, counts it. */
    async putChunk(
      args: { id: string; blobId: string; n: number; token: string | undefined },
      body: Buffer,
    ): Promise<{ ready: boolean }> {
      const request = await uploading(args.id, args.token);
      if (request.chunks_stored >= request.chunks_total) throw uploadComplete();
      const blob = await repo.findBlob(database.db, args.id, args.blobId);
      if (!blob) throw new NotFoundError("blob_not_found", "This answer has no such file.");
      checkChunk(blob, args.n, body);
      const key = { requestId: args.id, blobId: args.blobId, n: args.n };
      const data = await store.put(key, body);
      const now = clock.now();
      const tokenHash = request.upload_token_hash ?? "";
      const counted = await writeTransaction(database, async (trx) => {
        const chunk = { ...key, size: body.length, data, at: now };
        const added = await repo.insertChunk(trx, chunk);
        if (!added) await repo.replaceChunk(trx, chunk);
        const after = await repo.countChunk(trx, {
          requestId: args.id,
          tokenHash,
          now,
          added: added ? 1 : 0,
        });
        // Deleted, expired, let go or completed meanwhile: undo the chunk row with the rest.
        if (!after) throw new ChunkRefused();
        if (added && after.chunks_stored === after.chunks_total) await onReady?.(trx, args.id);
        return after;
      }).catch(async (error: unknown) => {
        if (!(error instanceof ChunkRefused)) throw error;
        const latest = await repo.findRequestFiles(database.db, args.id);
        if (latest && latest.expires_at > now && latest.upload_token_hash === tokenHash) {
          throw uploadComplete();
        }
        // Nothing of a refused chunk may stay behind in the bucket either.
        if (store.kind === "s3") await store.remove([key]).catch(() => undefined);
        throw requestNotFound();
      });
      metrics.bytesUploaded.inc(body.length);
      return { ready: counted.chunks_stored >= counted.chunks_total };
    },

    /** `GET /api/v1/requests/{id}/upload`: what has arrived, for resuming. */
    async uploadStatus(id: string, token: string | undefined) {
      const request = await uploading(id, token);
      const [blobs, received] = await Promise.all([
        repo.listBlobs(database.db, id),
        repo.listReceived(database.db, id),
      ]);
      const byBlob = new Map<string, number[]>();
      for (const r of received) byBlob.set(r.blob_id, [...(byBlob.get(r.blob_id) ?? []), r.n]);
      return {
        ready: request.chunks_stored >= request.chunks_total,
        blobs: blobs.map((b) => ({
          id: b.id,
          size: b.size,
          chunks: b.chunks,
          received: byBlob.get(b.id) ?? [],
        })),
      };
    },

    /**
     * Inside an open's transaction, once the answer is there: a download window of
     * DOWNLOAD_WINDOW, never past the request's expiry (its files go with it). Each open grants
     * its own; the files stay until the request is deleted or expires.
     */
    async grantDownload(trx: Kysely<Database>, request: { id: string; expiresAt: number }) {
      const expiresAt = Math.min(clock.now() + files.downloadWindowMs, request.expiresAt);
      const downloadToken = newToken();
      await repo.insertGrant(trx, {
        tokenHash: hashToken(downloadToken),
        requestId: request.id,
        expiresAt,
      });
      const blobs = await repo.listBlobs(trx, request.id);
      return {
        blobs: blobs.map((b) => ({ id: b.id, size: b.size })),
        downloadToken,
        downloadExpiresAt: new Date(expiresAt).toISOString(),
      };
    },

    /** `GET /api/v1/requests/{id}/blobs/{B}`: the encrypted blob (or a range) as a stream. */
    async download(args: {
      id: string;
      blobId: string;
      token: string | undefined;
      range: string | undefined;
    }) {
      const grant = args.token ? await repo.findGrant(database.db, hashToken(args.token)) : null;
      if (!grant || grant.request_id !== args.id) throw requestNotFound();
      const now = clock.now();
      if (grant.expires_at <= now) {
        throw new GoneError("download_expired", "The time to download these files has ended.", {
          at: new Date(grant.expires_at).toISOString(),
        });
      }
      const request = await repo.findRequestFiles(database.db, args.id);
      if (!request || request.expires_at <= now) throw requestNotFound();
      const blob = await repo.findBlob(database.db, args.id, args.blobId);
      if (!blob) throw new NotFoundError("blob_not_found", "This answer has no such file.");
      const db = database.db;
      return blobStream({
        size: blob.size,
        range: args.range,
        read: (n) => store.get(db, { requestId: args.id, blobId: args.blobId, n }),
        count: (bytes) => metrics.bytesDownloaded.inc(bytes),
      });
    },
  };
}

export type RequestFiles = ReturnType<typeof createRequestFiles>;
