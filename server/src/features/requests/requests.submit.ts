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
  "fulfil" | "addEvents" | "findRequest" | "deleteIfExpired"
>;

export interface SubmitDeps {
  transact: Transact;
  repo: SubmitRepository;
  people: Pick<People, "emailOf">;
  clock: Clock;
  limits: Pick<Config["limits"], "maxSecretBytes">;
  /** The root key that seals new values. */
  currentKey: Buffer;
  publicUrl: string;
  mail?: MailQueue | undefined;
  logger?: Pick<Logger, "warn"> | undefined;
  onDestroyed?: (() => void) | undefined;
  /** 401 or 403 for someone outside an organization-only request's organization. */
  accessError: (userId: string | null, orgId: string) => Promise<AppError>;
}

export function createSubmit(deps: SubmitDeps) {
  const { transact, repo, people, clock, currentKey, accessError } = deps;

  /** Queues the requester's notification in the fulfilling transaction; false if none. */
  async function queueNotification(
    trx: Kysely<Database>,
    fulfilled: { requester_id: string; name: string | null },
  ): Promise<boolean> {
    if (!deps.mail) return false;
    const to = await people.emailOf(trx, fulfilled.requester_id);
    if (!to) return false;
    const requestName = oneLine(fulfilled.name ?? "") || undefined;
    try {
      await deps.mail.enqueue(trx, {
        kind: "request_fulfilled",
        to,
        // Never the value: the requester reads it in the dashboard.
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

  /**
   * Fulfils the request with `value`: sealed first (a fresh data key), then one conditional
   * UPDATE. Only when that matched nothing does it find out why: 404, 401/403 (branded, like the
   * metadata's) or 409.
   */
  return async function submit(id: string, value: string, submitter: Submitter): Promise<void> {
    // The route's schema checks this too; here for callers that do not come through HTTP.
    if (Buffer.byteLength(value, "utf8") > deps.limits.maxSecretBytes) {
      const message = valueTooLarge(deps.limits.maxSecretBytes);
      throw new BadRequestError("invalid_request", `body.value: ${message}`, {
        issues: [{ path: "body.value", message }],
      });
    }
    const now = clock.now();
    const sealed = sealValue(currentKey, value, sealContext(id));
    let notify = false;
    let expiredNow = false;
    // `outsiderOf`: the submitter is not in the request's organization (the error, with its
    // branding, is made after the transaction).
    const outcome = await transact(
      async (trx): Promise<AppError | { outsiderOf: string } | null> => {
        const fulfilled = await repo.fulfil(trx, {
          id,
          now,
          viewerId: submitter.userId,
          valueSealed: sealed.value,
          wrappedKey: sealed.wrappedKey,
          keyId: sealed.keyId,
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
          notify = await queueNotification(trx, fulfilled);
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
        if (row.access === "organization" && !submitter.orgIds.includes(row.org_id)) {
          return { outsiderOf: row.org_id };
        }
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
