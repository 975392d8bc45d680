/**
 * End-to-end secret requests (SPEC F13, §3.2): what the server does beyond F6 for a request
 * that carries a key. It checks the key is a P-256 point, keeps SHA-256 of the read token, and
 * hands the wrapped key and the answer to whoever proves the reading secret. It never holds
 * anything that opens the answer. Never sees Fastify.
 */
import { isRequestPublicKey } from "@hushlink/protocol";

import type { Clock } from "../../clock.js";
import type { DatabaseHandle, Transact } from "../../db/database.js";
import { BadRequestError } from "../../errors.js";
import { hashToken, safeEqual } from "../../lib/tokens.js";
import { requestNotFound } from "./requests.errors.js";
import * as repo from "./requests.repository.js";
import type { RequestRow } from "./requests.repository.js";

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

export function createEndToEnd(deps: {
  database: Pick<DatabaseHandle, "db">;
  transact: Transact;
  clock: Clock;
  /** The request if it exists and has not expired (an expired one is destroyed on the spot). */
  findLive: (id: string) => Promise<RequestRow>;
  onDestroyed?: (() => void) | undefined;
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
      const answered =
        submitted_at !== null &&
        ephemeral_public_key !== null &&
        answer_ciphertext !== null &&
        answer_iv !== null;
      if (answered) {
        await transact((trx) =>
          repo.addEvents(trx, [{ requestId: id, type: "revealed", at: clock.now(), ip }]),
        );
      }
      return {
        publicKey: public_key,
        encryptedPrivateKey: encrypted_private_key,
        keyIv: key_iv,
        status: answered ? ("fulfilled" as const) : ("open" as const),
        expiresAt: iso(row.expires_at),
        ...(answered
          ? {
              answer: {
                ephemeralPublicKey: ephemeral_public_key,
                ciphertext: answer_ciphertext,
                iv: answer_iv,
              },
              submittedAt: iso(submitted_at),
            }
          : {}),
      };
    },

    /** Deletes a request made without an account, with its manage token (`X-Manage-Token`). */
    async removeWithManageToken(id: string, manageToken: string, ip: string | null) {
      await withToken(id, "manage_token_hash", manageToken);
      const now = clock.now();
      const deleted = await transact(async (trx) => {
        if (!(await repo.deleteRequest(trx, id))) return false;
        await repo.addEvents(trx, [{ requestId: id, type: "deleted", at: now, ip }]);
        return true;
      });
      if (!deleted) throw requestNotFound();
      deps.onDestroyed?.();
    },
  };
}
