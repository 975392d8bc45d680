/**
 * The rules of files (SPEC F12, §3.1): declared at create, uploaded chunk by chunk with the upload
 * token, listed for resumption, granted for download by a reveal, streamed with ranges. Never sees
 * Fastify. Every refusal is decided before a byte is stored; the chunk row and the share's count
 * change together in one transaction, guarded by one conditional UPDATE of the share.
 */
import type { BlobDeclaration } from "@hushlink/protocol";

import type { Clock } from "../../clock.js";
import type { Config } from "../../config.js";
import { writeTransaction, type DatabaseHandle } from "../../db/database.js";
import { ConflictError, GoneError, NotFoundError } from "../../errors.js";
import { hashToken, newToken, safeEqual } from "../../lib/tokens.js";
import { goneError, notFoundError } from "../shares/shares.errors.js";
import * as repo from "./blobs.repository.js";
import type { BlobMetrics } from "./blobs.metrics.js";
import { blobStream, checkChunk, declareBlobs } from "./blobs.rules.js";
import type { BlobStore } from "./store/index.js";

export interface BlobsDeps {
  database: Pick<DatabaseHandle, "db" | "dialect">;
  clock: Clock;
  files: Config["files"];
  store: BlobStore;
  metrics: BlobMetrics;
}

function uploadIncomplete() {
  return new ConflictError(
    "upload_incomplete",
    "The files of this secret are still being uploaded. Try again in a moment.",
  );
}

export function createBlobsService(deps: BlobsDeps) {
  const { database, clock, files, store, metrics } = deps;

  /** The share's upload state if `token` is its upload token; 404 as for an unknown share otherwise. */
  async function uploadingShare(id: string, token: string | undefined) {
    const share = await repo.findFileShare(database.db, id);
    if (
      !share ||
      token === undefined ||
      share.upload_token_hash === null ||
      !safeEqual(share.upload_token_hash, hashToken(token))
    ) {
      throw notFoundError();
    }
    if (share.status !== "active") throw goneError(share.status, share.gone_at);
    if (share.expires_at <= clock.now()) throw goneError("expired", share.expires_at);
    return share;
  }

  return {
    /**
     * Checks the blobs of a create against the limits (on the declared sizes) and prepares what
     * the share row and its transaction add. Null for a share without files.
     */
    prepareCreate(blobs: BlobDeclaration[] | undefined, creator: { userId: string | null }) {
      if (!blobs || blobs.length === 0) return null;
      const { declared, columns } = declareBlobs(files, blobs, {
        anonymous: creator.userId === null,
        whenAnonymousOff: "login_required",
      });
      const uploadToken = newToken();
      return {
        uploadToken,
        columns: { ...columns, upload_token_hash: hashToken(uploadToken) },
        insert: (trx: Parameters<typeof repo.insertBlobs>[0], shareId: string) =>
          repo.insertBlobs(trx, shareId, declared),
      };
    },

    /** `PUT …/blobs/{B}/{n}`: checks everything, stores the chunk durably, counts it. */
    async putChunk(
      args: { id: string; blobId: string; n: number; token: string | undefined },
      body: Buffer,
    ): Promise<{ ready: boolean }> {
      const share = await uploadingShare(args.id, args.token);
      if (share.chunks_stored >= share.chunks_total) {
        throw new ConflictError(
          "upload_complete",
          "Every file of this secret is already uploaded.",
        );
      }
      const blob = await repo.findBlob(database.db, args.id, args.blobId);
      if (!blob) throw new NotFoundError("blob_not_found", "This secret has no such file.");
      checkChunk(blob, args.n, body);
      const key = { shareId: args.id, blobId: args.blobId, n: args.n };
      const data = await store.put(key, body);
      const now = clock.now();
      const tokenHash = share.upload_token_hash ?? "";
      const counted = await writeTransaction(database, async (trx) => {
        const chunk = { ...key, size: body.length, data, at: now };
        const added = await repo.insertChunk(trx, chunk);
        if (!added) await repo.replaceChunk(trx, chunk);
        const after = await repo.countChunk(trx, {
          shareId: args.id,
          tokenHash,
          now,
          added: added ? 1 : 0,
        });
        // The share went, expired or completed meanwhile: undo the chunk row with everything else.
        if (!after) throw new ChunkRefused();
        // Its recipients' links count the same chunks, so each opens once every one is in (F14).
        if (added) await repo.countChunkForLinks(trx, { parentId: args.id, added: 1 });
        return after;
      }).catch(async (error: unknown) => {
        if (!(error instanceof ChunkRefused)) throw error;
        const latest = await repo.findFileShare(database.db, args.id);
        if (latest && latest.status === "active" && latest.expires_at > now) {
          throw new ConflictError(
            "upload_complete",
            "Every file of this secret is already uploaded.",
          );
        }
        // Nothing of a refused chunk may stay behind in the bucket either.
        if (store.kind === "s3") await store.remove([key]).catch(() => undefined);
        throw latest && latest.status !== "active"
          ? goneError(latest.status, latest.gone_at)
          : goneError("expired", latest?.expires_at ?? now);
      });
      metrics.bytesUploaded.inc(body.length);
      return { ready: counted.chunks_stored >= counted.chunks_total };
    },

    /** `GET …/upload`: what has arrived, for resuming. */
    async uploadStatus(id: string, token: string | undefined) {
      const share = await uploadingShare(id, token);
      const [blobs, received] = await Promise.all([
        repo.listBlobs(database.db, id),
        repo.listReceived(database.db, id),
      ]);
      const byBlob = new Map<string, number[]>();
      for (const r of received) {
        const list = byBlob.get(r.blob_id) ?? [];
        list.push(r.n);
        byBlob.set(r.blob_id, list);
      }
      return {
        ready: share.chunks_stored >= share.chunks_total,
        blobs: blobs.map((b) => ({
          id: b.id,
          size: b.size,
          chunks: b.chunks,
          received: byBlob.get(b.id) ?? [],
        })),
      };
    },

    /**
     * Inside a reveal's transaction, after its view was consumed: grants a download window. The
     * window ends DOWNLOAD_WINDOW after the reveal, and never after the share's expiry unless this
     * was its last view (an expired share's files go at once).
     */
    async grantDownload(
      trx: Parameters<typeof repo.insertGrant>[0],
      share: { id: string; filesOf?: string; expiresAt: number; lastView: boolean },
    ) {
      const now = clock.now();
      const windowEnd = now + files.downloadWindowMs;
      // A recipient's link shares its files with the other links: they go with the share at its
      // expiry, whatever view this was, so the window ends there too.
      const shared = share.filesOf !== undefined && share.filesOf !== share.id;
      const expiresAt =
        share.lastView && !shared ? windowEnd : Math.min(windowEnd, share.expiresAt);
      const downloadToken = newToken();
      await repo.insertGrant(trx, {
        tokenHash: hashToken(downloadToken),
        shareId: share.id,
        expiresAt,
      });
      const blobs = await repo.listBlobs(trx, share.filesOf ?? share.id);
      return {
        blobs: blobs.map((b) => ({ id: b.id, size: b.size })),
        downloadToken,
        downloadExpiresAt: new Date(expiresAt).toISOString(),
      };
    },

    uploadIncomplete,

    /** `GET …/blobs/{B}`: the encrypted blob (or a range of it) as a stream, read chunk by chunk. */
    async download(args: {
      id: string;
      blobId: string;
      token: string | undefined;
      range: string | undefined;
    }) {
      const grant = args.token ? await repo.findGrant(database.db, hashToken(args.token)) : null;
      if (!grant || grant.share_id !== args.id) throw notFoundError();
      const now = clock.now();
      if (grant.expires_at <= now) {
        throw new GoneError("download_expired", "The time to download these files has ended.", {
          at: new Date(grant.expires_at).toISOString(),
        });
      }
      const share = await repo.findFileShare(database.db, args.id);
      if (!share) throw notFoundError();
      if (share.status !== "active" && share.status !== "viewed") {
        throw goneError(share.status, share.gone_at);
      }
      if (share.status === "active" && share.expires_at <= now) {
        throw goneError("expired", share.expires_at);
      }
      // A recipient's own link reads the files of its share (F14).
      const owner = share.parent_id ?? args.id;
      const blob = await repo.findBlob(database.db, owner, args.blobId);
      if (!blob) throw new NotFoundError("blob_not_found", "This secret has no such file.");
      const db = database.db;
      return blobStream({
        size: blob.size,
        range: args.range,
        read: (n) => store.get(db, { shareId: owner, blobId: args.blobId, n }),
        count: (bytes) => metrics.bytesDownloaded.inc(bytes),
      });
    },
  };
}

class ChunkRefused extends Error {}

export type BlobsService = ReturnType<typeof createBlobsService>;
