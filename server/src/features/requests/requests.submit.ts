/**
 * Answering a secret request (SPEC F6): the value is sealed under a fresh data key, then one
 * conditional UPDATE fulfils the request; the requester's notification is queued in the same
 * transaction. Only when that UPDATE matched nothing does it find out why. Takes its repository
 * and people lookups as dependencies, so unit tests run it on in-memory fakes.
 */
import type { Kysely } from "kysely";
import type { Logger } from "pino";

import type { Clock } from "../../clock.js";
import type { Config } from "../../config.js";
import type { Transact } from "../../db/database.js";
import type { Database } from "../../db/schema.js";
import { BadRequestError, ConflictError, type AppError } from "../../errors.js";
import { sealValue } from "../../lib/data-keys.js";
import { oneLine, type MailQueue } from "../../lib/mail-queue.js";
import type { People } from "../../lib/people.js";
import { requestNotFound } from "./requests.errors.js";
import type * as requestsRepository from "./requests.repository.js";
import type { AnswerFileColumns } from "./requests.repository.js";

export interface Submitter {
  userId: string | null;
  /** The organizations the submitter belongs to (signed in), for the access rule. */
  orgIds: string[];
  ip: string | null;
}

/** Where a request's sealed value and data key are bound (see lib/data-keys.ts). */
export const sealContext = (id: string) => `hushlink/requests/${id}`;

export const valueTooLarge = (maxBytes: number) => `must be at most ${maxBytes} bytes of UTF-8`;

export type SubmitRepository = Pick<
  typeof requestsRepository,
  "fulfil" | "fulfilEncrypted" | "addEvents" | "findRequest" | "deleteIfExpired"
>;

/** The answer to an end-to-end request (§3.2): only the requester's client can open it. */
export interface EncryptedAnswer {
  ephemeralPublicKey: string;
  ciphertext: string;
  iv: string;
  /** Files of the answer (§3.1), uploaded after the submit. */
  blobs?: { id: string; size: number }[] | undefined;
}

/** What an answer's files add to its submit (prepared by the blobs feature, checked first). */
export interface PreparedFiles {
  uploadToken: string;
  columns: AnswerFileColumns;
  insert: (trx: Kysely<Database>, requestId: string) => Promise<void>;
}

export interface SubmitDeps {
  transact: Transact;
  repo: SubmitRepository;
  people: Pick<People, "managerEmailOf">;
  clock: Clock;
  limits: Pick<Config["limits"], "maxSecretBytes">;
  /** The root key that seals new values. */
  currentKey: Buffer;
  publicUrl: string;
  mail?: MailQueue | undefined;
  logger?: Pick<Logger, "warn"> | undefined;
  onDestroyed?: (() => void) | undefined;
  /** 401 or 403 for someone outside an organization-only request's organization. */
  accessError: (userId: string | null, orgId: string | null) => Promise<AppError>;
}

/**
 * Queues the requester's "your request was answered" in the transaction that answers it (the
 * submit, or for an answer with files the chunk that completes them); false if none.
 */
export async function queueAnswered(
  deps: Pick<SubmitDeps, "mail" | "people" | "publicUrl" | "logger">,
  trx: Kysely<Database>,
  fulfilled: { requester_id: string | null; name: string | null; org_id: string | null },
): Promise<boolean> {
  // A request made without an account has nobody to tell (its requester holds the link).
  if (!deps.mail || fulfilled.requester_id === null) return false;
  // A requester removed from the request's organization reads no answer: nor is told of one.
  const to = await deps.people.managerEmailOf(trx, fulfilled.requester_id, fulfilled.org_id);
  if (!to) return false;
  const requestName = oneLine(fulfilled.name ?? "") || undefined;
  try {
    await deps.mail.enqueue(trx, {
      kind: "request_fulfilled",
      to,
      // Never the value, nor for an end-to-end request any link that opens it: the requester
      // reads it in the dashboard, or in the browser that keeps the reading secret.
      data: {
        ...(requestName ? { requestName } : {}),
        dashboardUrl: `${deps.publicUrl}/app/requests`,
      },
    });
    return true;
  } catch (error) {
    // enqueue validates before it writes, so the transaction is intact: a message that cannot
    // be queued must not make the request impossible to fulfil.
    if (error instanceof BadRequestError) {
      deps.logger?.warn({ errorCode: error.code }, "request_fulfilled mail not queued");
      return false;
    }
    throw error;
  }
}

function answerKindMismatch(): AppError {
  return new BadRequestError(
    "answer_kind_mismatch",
    "This request takes the other kind of answer: an end-to-end request takes {ephemeralPublicKey, ciphertext, iv}, any other {value}.",
  );
}

/** The last chunk of an answer's files arrived (in its transaction): tell the requester. */
export function answerReadyWith(deps: SubmitDeps) {
  return async (trx: Kysely<Database>, id: string): Promise<void> => {
    const row = await deps.repo.findRequest(trx, id);
    if (row) await queueAnswered(deps, trx, row);
  };
}

export function createSubmit(deps: SubmitDeps) {
  const { transact, repo, clock, currentKey, accessError } = deps;

  /**
   * Fulfils the request with `value`: sealed first (a fresh data key), then one conditional
   * UPDATE. An end-to-end request takes an `EncryptedAnswer` instead, stored as it came. Only
   * when the UPDATE matched nothing does it find out why: 404, 401/403 (branded, like the
   * metadata's), 400 for the wrong kind of answer, or 409. An answer with files (`files`,
   * prepared and checked by the caller) reserves the request the same way and notifies nobody
   * yet: the chunk that completes its files does (request-files.service.ts `onReady`).
   */
  return async function submit(
    id: string,
    value: string | EncryptedAnswer,
    submitter: Submitter,
    files?: PreparedFiles | null,
  ): Promise<void> {
    const encrypted = typeof value !== "string";
    // The route's schema checks this too; here for callers that do not come through HTTP.
    if (!encrypted && Buffer.byteLength(value, "utf8") > deps.limits.maxSecretBytes) {
      const message = valueTooLarge(deps.limits.maxSecretBytes);
      throw new BadRequestError("invalid_request", `body.value: ${message}`, {
        issues: [{ path: "body.value", message }],
      });
    }
    const now = clock.now();
    const sealed = encrypted ? null : sealValue(currentKey, value, sealContext(id));
    let notify = false;
    let expiredNow = false;
    // `outsiderOf`: the submitter is not in the request's organization (the error, with its
    // branding, is made after the transaction).
    const outcome = await transact(
      async (trx): Promise<AppError | { outsiderOf: string | null } | null> => {
        const fulfilled = sealed
          ? await repo.fulfil(trx, {
              id,
              now,
              viewerId: submitter.userId,
              valueSealed: sealed.value,
              wrappedKey: sealed.wrappedKey,
              keyId: sealed.keyId,
            })
          : await repo.fulfilEncrypted(trx, {
              id,
              now,
              viewerId: submitter.userId,
              answer: value as EncryptedAnswer,
              files: files?.columns,
            });
        if (fulfilled) {
          await repo.addEvents(trx, [
            {
              requestId: id,
              type: "submitted",
              at: now,
              ip: submitter.ip,
              userId: submitter.userId,
            },
          ]);
          if (files) await files.insert(trx, id);
          else notify = await queueAnswered(deps, trx, fulfilled);
          return null;
        }
        const row = await repo.findRequest(trx, id);
        if (!row) return requestNotFound();
        if (row.expires_at <= now) {
          if (await repo.deleteIfExpired(trx, id, now)) {
            await repo.addEvents(trx, [
              { requestId: id, type: "expired", at: row.expires_at, ip: null },
            ]);
            expiredNow = true;
          }
          return requestNotFound();
        }
        if (
          row.access === "organization" &&
          (row.org_id === null || !submitter.orgIds.includes(row.org_id))
        ) {
          return { outsiderOf: row.org_id };
        }
        if ((row.public_key !== null) !== encrypted) return answerKindMismatch();
        return new ConflictError(
          "request_fulfilled",
          "A secret was already submitted to this request. It accepts one submission only.",
        );
      },
    );
    if (expiredNow) deps.onDestroyed?.();
    if (outcome && "outsiderOf" in outcome) {
      throw await accessError(submitter.userId, outcome.outsiderOf);
    }
    if (outcome) throw outcome;
    if (notify) deps.mail?.kick?.();
  };
}
