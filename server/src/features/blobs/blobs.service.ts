/**
 * The files of a share (SPEC F12, §3.1): declared at create, uploaded chunk by chunk with the
 * upload token, listed for resumption, granted for download by a reveal, streamed with ranges.
 * Never sees Fastify. The flow is blobs.transfer.ts's; this is what a share adds to it: its row's
 * states (gone, expired) and its recipients' links, which read and count its files (F14).
 */
import type { BlobDeclaration } from "@hushlink/protocol";
import type { Kysely } from "kysely";

import type { Database } from "../../db/schema.js";
import { ConflictError } from "../../errors.js";
import { goneError, notFoundError } from "../shares/shares.errors.js";
import { shareFiles } from "./blobs.owner.js";
import { createFileTransfer, holdsUploadToken, type FileDeps } from "./blobs.transfer.js";
import { eraseStoredChunks } from "./share-chunks.erase.js";
import * as repo from "./share-files.repository.js";

export type BlobsDeps = FileDeps;

function uploadIncomplete() {
  return new ConflictError(
    "upload_incomplete",
    "The files of this secret are still being uploaded. Try again in a moment.",
  );
}

export function createBlobsService(deps: BlobsDeps) {
  const { database, clock, files } = deps;

  const transfer = createFileTransfer(deps, {
    files: shareFiles,
    noun: "secret",

    /** 404 as for an unknown share unless `token` is its upload token; then 410 if it went. */
    async uploading(id, token) {
      const share = await repo.findFileShare(database.db, id);
      if (!holdsUploadToken(share, token)) throw notFoundError();
      if (share.status !== "active") throw goneError(share.status, share.gone_at);
      if (share.expires_at <= clock.now()) throw goneError("expired", share.expires_at);
      return share;
    },

    async count(trx, args) {
      const after = await repo.countChunk(trx, args);
      // Its recipients' links count the same chunks, so each opens once every one is in (F14).
      if (after && args.added) await repo.countChunkForLinks(trx, { parentId: args.id, added: 1 });
      return after;
    },

    async refusal(id, seen) {
      const latest = await repo.findFileShare(database.db, id);
      if (latest && latest.status === "active" && latest.expires_at > seen.now) return null;
      return latest && latest.status !== "active"
        ? goneError(latest.status, latest.gone_at)
        : goneError("expired", latest?.expires_at ?? seen.now);
    },

    notFound: notFoundError,

    async readable(id, now) {
      const share = await repo.findFileShare(database.db, id);
      if (!share) throw notFoundError();
      if (share.status !== "active" && share.status !== "viewed") {
        throw goneError(share.status, share.gone_at);
      }
      if (share.status === "active" && share.expires_at <= now) {
        throw goneError("expired", share.expires_at);
      }
      // Being destroyed (share-chunks.erase.ts): its chunks are going one by one, so it reads as
      // the delete it is (a share with a download token had every chunk in).
      if (share.chunks_stored < share.chunks_total) throw goneError("deleted", now);
      if (share.parent_id === null) return id;
      // A recipient's own link reads the files of its share (F14), which go with the share: a
      // link already viewed keeps its own state, so the share says why its files are gone.
      const parent = await repo.findFileShare(database.db, share.parent_id);
      if (!parent) throw notFoundError();
      if (parent.status !== "active") throw goneError(parent.status, parent.gone_at);
      return share.parent_id;
    },
  });

  return {
    /**
     * Checks the blobs of a create against the limits (on the declared sizes) and prepares what
     * the share row and its transaction add. Null for a share without files.
     */
    prepareCreate(blobs: BlobDeclaration[] | undefined, creator: { userId: string | null }) {
      if (!blobs || blobs.length === 0) return null;
      return transfer.declare(blobs, {
        anonymous: creator.userId === null,
        whenAnonymousOff: "login_required",
      });
    },

    putChunk: transfer.putChunk,
    uploadStatus: transfer.uploadStatus,

    /**
     * Inside a reveal's transaction, after its view was consumed: grants a download window. The
     * window ends DOWNLOAD_WINDOW after the reveal, and never after the share's expiry unless this
     * was its last view (an expired share's files go at once).
     */
    async grantDownload(
      trx: Kysely<Database>,
      share: { id: string; filesOf?: string; expiresAt: number; lastView: boolean },
    ) {
      const windowEnd = clock.now() + files.downloadWindowMs;
      // A recipient's link shares its files with the other links: they go with the share at its
      // expiry, whatever view this was, so the window ends there too.
      const shared = share.filesOf !== undefined && share.filesOf !== share.id;
      const expiresAt =
        share.lastView && !shared ? windowEnd : Math.min(windowEnd, share.expiresAt);
      return transfer.grant(trx, { id: share.id, filesOf: share.filesOf ?? share.id, expiresAt });
    },

    uploadIncomplete,

    /** SQLite: the share's chunks in the database erased before it is destroyed (that file). */
    eraseStored: (shareId: string) => eraseStoredChunks(database, shareId),

    download: transfer.download,
  };
}

export type BlobsService = ReturnType<typeof createBlobsService>;
