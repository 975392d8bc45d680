/**
 * End-to-end secret requests (SPEC F13, §3.2): what the server does beyond F6 for a request
 * that carries a key. It checks the key is a P-256 point, keeps SHA-256 of the read token, and
 * hands the wrapped key and the answer to whoever proves the reading secret. It never holds
 * anything that opens the answer. Never sees Fastify.
 */
import { isRequestPublicKey, type BlobDeclaration } from "@hushlink/protocol";
import type { Kysely } from "kysely";

import type { Clock } from "../../clock.js";
import type { DatabaseHandle, Transact } from "../../db/database.js";
import type { Database } from "../../db/schema.js";
import { BadRequestError } from "../../errors.js";
import { hashToken, safeEqual } from "../../lib/tokens.js";
import { requestNotFound } from "./requests.errors.js";
import * as repo from "./requests.repository.js";
import type { RequestRow } from "./requests.repository.js";
import type { PreparedFiles } from "./requests.submit.js";

/** What the blobs feature does for an answer's files (features/blobs/request-files.service.ts). */
export interface AnswerFiles {
  prepareAnswer(blobs: BlobDeclaration[], owner: { anonymous: boolean }): PreparedFiles;
  grantDownload(
    trx: Kysely<Database>,
    request: { id: string; expiresAt: number },
  ): Promise<{
    blobs: { id: string; size: number }[];
    downloadToken: string;
    downloadExpiresAt: string;
  }>;
}

/** The four fields of `POST /api/v1/requests` that make a request end-to-end. */
export interface RequestKeyInput {
  publicKey: string;
  encryptedPrivateKey: string;
  keyIv: string;
  readToken: string;
}

/** 400 invalid_public_key unless `value` is an uncompressed point on P-256. */
export async function checkPublicKey(value: string, field: string): Promise<void> {
  if (await isRequestPublicKey(value)) return;
  throw new BadRequestError(
    "invalid_public_key",
    `${field}: is not an uncompressed point on P-256`,
    { issues: [{ path: `body.${field}`, message: "is not an uncompressed point on P-256" }] },
  );
}

const iso = (ms: number) => new Date(ms).toISOString();

type AnswerProgress = { submitted_at: number | null; chunks_stored: number; chunks_total: number };

/** Answered (the request takes no other answer) but its files are still arriving (§3.1). */
export const stillUploading = (r: AnswerProgress) =>
  r.submitted_at !== null && r.chunks_stored < r.chunks_total;

/** Open until answered; an answer whose files are still arriving is not there yet. */
export function answerState(r: AnswerProgress) {
  if (r.submitted_at === null) return { status: "open" as const };
  if (stillUploading(r)) return { status: "open" as const, uploading: true };
  return { status: "fulfilled" as const };
}

export function createEndToEnd(deps: {
  database: Pick<DatabaseHandle, "db">;
  transact: Transact;
  /** A write that destroys (the disk reserve's room on a full disk), and what must go first. */
  destroy: Transact;
  eraseFilesFirst: (id: string) => Promise<unknown>;
  clock: Clock;
  /** The request if it exists and has not expired (an expired one is destroyed on the spot). */
  findLive: (id: string) => Promise<RequestRow>;
  onDestroyed?: (() => void) | undefined;
  files?: AnswerFiles | undefined;
  /** 403 policy_violation when the organization's policy forbids these files (SPEC F16). */
  checkFiles?: ((orgId: string, fileBytes: number) => Promise<void>) | undefined;
}) {
  const { transact, clock, findLive } = deps;

  /** The request if `token` matches the stored hash in `column`; else 404, like an unknown id. */
  async function withToken(
    id: string,
    column: "read_token_hash" | "manage_token_hash",
    token: string,
  ): Promise<RequestRow> {
    const row = await findLive(id);
    if (!safeEqual(row[column], hashToken(token))) throw requestNotFound();
    return row;
  }

  return {
    /**
     * `POST /api/v1/requests/{id}/open`: the wrapped key and, once answered, the answer. Every
     * open that hands out an answer is recorded (as a reveal) before it leaves.
     */
    async open(id: string, readToken: string, ip: string | null) {
      const row = await withToken(id, "read_token_hash", readToken);
      const { public_key, encrypted_private_key, key_iv } = row;
      if (public_key === null || encrypted_private_key === null || key_iv === null) {
        throw requestNotFound();
      }
      const { submitted_at, ephemeral_public_key, answer_ciphertext, answer_iv } = row;
      const submitted =
        submitted_at !== null &&
        ephemeral_public_key !== null &&
        answer_ciphertext !== null &&
        answer_iv !== null;
      // An answer with files is there once its last chunk is; until then it is on its way.
      const uploading = submitted && stillUploading(row);
      const answered = submitted && !uploading;
      const files = answered
        ? await transact(async (trx) => {
            await repo.addEvents(trx, [{ requestId: id, type: "revealed", at: clock.now(), ip }]);
            return row.blob_count > 0 && deps.files
              ? deps.files.grantDownload(trx, { id, expiresAt: row.expires_at })
              : null;
          })
        : null;
      return {
        publicKey: public_key,
        encryptedPrivateKey: encrypted_private_key,
        keyIv: key_iv,
        status: answered ? ("fulfilled" as const) : ("open" as const),
        expiresAt: iso(row.expires_at),
        ...(uploading ? { uploading: true } : {}),
        ...(answered
          ? {
              answer: {
                ephemeralPublicKey: ephemeral_public_key,
                ciphertext: answer_ciphertext,
                iv: answer_iv,
              },
              submittedAt: iso(submitted_at),
              ...(files ?? {}),
            }
          : {}),
      };
    },

    /**
     * Before a submit with `blobs`: checks them against the limits (a request made without an
     * account: ANONYMOUS_MAX_FILE_BYTES) and the policy of the request's organization. Null when
     * the request cannot take them anyway (old-style, answered): the submit then says why.
     */
    async prepareFiles(id: string, blobs: BlobDeclaration[]): Promise<PreparedFiles | null> {
      const row = await findLive(id);
      if (row.public_key === null || row.submitted_at !== null) return null;
      if (!deps.files) {
        throw new BadRequestError("invalid_request", "blobs: this server takes no files here.");
      }
      if (row.org_id !== null) {
        await deps.checkFiles?.(
          row.org_id,
          blobs.reduce((n, b) => n + b.size, 0),
        );
      }
      return deps.files.prepareAnswer(blobs, {
        anonymous: row.org_id === null && row.requester_id === null,
      });
    },

    /** Deletes a request made without an account, with its manage token (`X-Manage-Token`). */
    async removeWithManageToken(id: string, manageToken: string, ip: string | null) {
      await withToken(id, "manage_token_hash", manageToken);
      await deps.eraseFilesFirst(id);
      const now = clock.now();
      const deleted = await deps.destroy(async (trx) => {
        if (!(await repo.deleteRequest(trx, id))) return false;
        await repo.addEvents(trx, [{ requestId: id, type: "deleted", at: now, ip }]);
        return true;
      });
      if (!deleted) throw requestNotFound();
      deps.onDestroyed?.();
    },
  };
}
