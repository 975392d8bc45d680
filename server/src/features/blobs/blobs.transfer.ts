/**
 * The one flow of files (SPEC F12, F13 with §3.1), for a share's and for an answer's alike:
 * declared with a new upload token, uploaded chunk by chunk, listed for resumption, granted for
 * download, streamed with ranges. Never sees Fastify. Every refusal is decided before a byte is
 * stored; the chunk row and the owner's count change together in one transaction, guarded by one
 * conditional UPDATE of the owner's row.
 *
 * What differs between owners is passed in as `FileRules`: their tables (blobs.owner.ts), how
 * their row is read and counted, and what they answer when it is gone. blobs.service.ts (shares)
 * and request-files.service.ts (answers) each give theirs.
 */
import type { BlobDeclaration } from "@hushlink/protocol";
import type { Kysely } from "kysely";

import type { Clock } from "../../clock.js";
import type { Config } from "../../config.js";
import { writeTransaction, type DatabaseHandle } from "../../db/database.js";
import type { Database } from "../../db/schema.js";
import { ConflictError, GoneError, NotFoundError } from "../../errors.js";
import { hashToken, newToken, safeEqual } from "../../lib/tokens.js";
import type { BlobMetrics } from "./blobs.metrics.js";
import type { FileOwner } from "./blobs.owner.js";
import * as repo from "./blobs.repository.js";
import { blobStream, checkChunk, declareBlobs } from "./blobs.rules.js";
import type { BlobStore } from "./store/index.js";

export interface FileDeps {
  database: Pick<DatabaseHandle, "db" | "dialect">;
  clock: Clock;
  files: Config["files"];
  store: BlobStore;
  metrics: BlobMetrics;
}

/** The counts of an owner's row, before or after a chunk. */
interface Counts {
  chunks_stored: number;
  chunks_total: number;
}

export interface FileRules {
  files: FileOwner;
  /** What the refusals call the owner: "secret" or "answer". */
  noun: string;
  /** The owner's upload state if `token` is its upload token; throws the owner's refusal otherwise. */
  uploading(
    id: string,
    token: string | undefined,
  ): Promise<Counts & { upload_token_hash: string | null }>;
  /**
   * In the chunk's transaction: counts it on the owner's row (one conditional UPDATE on the token
   * and the row still taking chunks), with whatever goes with that. Undefined when refused.
   */
  count(
    trx: Kysely<Database>,
    args: { id: string; tokenHash: string; now: number; added: boolean },
  ): Promise<Counts | undefined>;
  /**
   * After a refused count, read afresh: null when the owner still takes this upload (so the count
   * was refused because every chunk is in), otherwise what to answer.
   */
  refusal(id: string, seen: { now: number; tokenHash: string }): Promise<Error | null>;
  /** A download's answer to a token that is not the owner's, or to an owner unknown. */
  notFound(): Error;
  /** With a download grant still open: the id whose blobs to read; throws if the owner went. */
  readable(id: string, now: number): Promise<string>;
}

class ChunkRefused extends Error {}

/** Whether `row` is there and `token` is the upload token it keeps the hash of. */
export function holdsUploadToken<R extends { upload_token_hash: string | null }>(
  row: R | undefined,
  token: string | undefined,
): row is R {
  return (
    row !== undefined && token !== undefined && safeEqual(row.upload_token_hash, hashToken(token))
  );
}

export function createFileTransfer(deps: FileDeps, rules: FileRules) {
  const { database, clock, files, store, metrics } = deps;
  const uploadComplete = () =>
    new ConflictError("upload_complete", `Every file of this ${rules.noun} is already uploaded.`);
  const blobNotFound = () =>
    new NotFoundError("blob_not_found", `This ${rules.noun} has no such file.`);

  /**
   * Checks declared blobs against the limits (on the declared sizes) and prepares what the
   * owner's row gets (its file columns, the upload token's hash) and its transaction adds.
   */
  function declare(blobs: BlobDeclaration[], owner: Parameters<typeof declareBlobs>[2]) {
    const { declared, columns } = declareBlobs(files, blobs, owner);
    const uploadToken = newToken();
    return {
      uploadToken,
      columns: { ...columns, upload_token_hash: hashToken(uploadToken) },
      insert: (trx: Kysely<Database>, ownerId: string) =>
        repo.insertBlobs(trx, rules.files, ownerId, declared),
    };
  }

  /** `PUT …/blobs/{B}/{n}`: checks everything, stores the chunk durably, counts it. */
  async function putChunk(
    args: { id: string; blobId: string; n: number; token: string | undefined },
    body: Buffer,
  ): Promise<{ ready: boolean }> {
    const owner = await rules.uploading(args.id, args.token);
    if (owner.chunks_stored >= owner.chunks_total) throw uploadComplete();
    const blob = await repo.findBlob(database.db, rules.files, args.id, args.blobId);
    if (!blob) throw blobNotFound();
    checkChunk(blob, args.n, body);
    const key = rules.files.key(args.id, args.blobId, args.n);
    const size = body.length;
    // The bytes durable first (in the row itself, the bucket or the chunk file), then the row.
    const data = await store.put(key, body).catch((error: unknown) => {
      store.settled?.(key);
      throw error;
    });
    const now = clock.now();
    const tokenHash = owner.upload_token_hash ?? "";
    const counted = await writeTransaction(database, async (trx) => {
      const added = await repo.storeChunk(trx, rules.files, {
        ownerId: args.id,
        blobId: args.blobId,
        n: args.n,
        size,
        data,
        at: now,
      });
      const after = await rules.count(trx, { id: args.id, tokenHash, now, added });
      // The owner went, expired or completed meanwhile: undo the chunk row with everything else.
      if (!after) throw new ChunkRefused();
      return after;
    })
      .catch(async (error: unknown) => {
        if (!(error instanceof ChunkRefused)) throw error;
        const refusal = await rules.refusal(args.id, { now, tokenHash });
        if (!refusal) throw uploadComplete();
        // Nothing of a refused chunk may stay behind in the bucket or the chunk file either.
        if (data === null || data.length === 0) await store.remove([key]).catch(() => undefined);
        throw refusal;
      })
      .finally(() => store.settled?.(key));
    metrics.bytesUploaded.inc(size);
    return { ready: counted.chunks_stored >= counted.chunks_total };
  }

  /** `GET …/upload`: what has arrived, for resuming. */
  async function uploadStatus(id: string, token: string | undefined) {
    const owner = await rules.uploading(id, token);
    const [blobs, received] = await Promise.all([
      repo.listBlobs(database.db, rules.files, id),
      repo.listReceived(database.db, rules.files, id),
    ]);
    const byBlob = new Map<string, number[]>();
    for (const r of received) byBlob.set(r.blob_id, [...(byBlob.get(r.blob_id) ?? []), r.n]);
    return {
      ready: owner.chunks_stored >= owner.chunks_total,
      blobs: blobs.map((b) => ({
        id: b.id,
        size: b.size,
        chunks: b.chunks,
        received: byBlob.get(b.id) ?? [],
      })),
    };
  }

  /**
   * Inside a reveal's or an open's transaction: a download window on `id` until `expiresAt`
   * (the owner decides how long), over the blobs of `filesOf` (a recipient's link reads its
   * share's, F14).
   */
  async function grant(
    trx: Kysely<Database>,
    args: { id: string; filesOf: string; expiresAt: number },
  ) {
    const downloadToken = newToken();
    await repo.insertGrant(trx, rules.files, {
      tokenHash: hashToken(downloadToken),
      ownerId: args.id,
      expiresAt: args.expiresAt,
    });
    const blobs = await repo.listBlobs(trx, rules.files, args.filesOf);
    return {
      blobs: blobs.map((b) => ({ id: b.id, size: b.size })),
      downloadToken,
      downloadExpiresAt: new Date(args.expiresAt).toISOString(),
    };
  }

  /** `GET …/blobs/{B}`: the encrypted blob (or a range of it) as a stream, read chunk by chunk. */
  async function download(args: {
    id: string;
    blobId: string;
    token: string | undefined;
    range: string | undefined;
  }) {
    const grant = args.token
      ? await repo.findGrant(database.db, rules.files, hashToken(args.token))
      : null;
    if (!grant || grant.owner_id !== args.id) throw rules.notFound();
    const now = clock.now();
    if (grant.expires_at <= now) {
      throw new GoneError("download_expired", "The time to download these files has ended.", {
        at: new Date(grant.expires_at).toISOString(),
      });
    }
    const filesOf = await rules.readable(args.id, now);
    const blob = await repo.findBlob(database.db, rules.files, filesOf, args.blobId);
    if (!blob) throw blobNotFound();
    const db = database.db;
    return blobStream({
      size: blob.size,
      range: args.range,
      read: (n) => store.get(db, rules.files.key(filesOf, args.blobId, n)),
      count: (bytes) => metrics.bytesDownloaded.inc(bytes),
    });
  }

  return { declare, putChunk, uploadStatus, grant, download };
}
