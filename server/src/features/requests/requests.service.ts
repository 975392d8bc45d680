/**
 * Secret requests (SPEC F6, §3): a member asks for a secret through a link; the first submission
 * fulfils the request, and only the requester can read what was submitted. Never sees Fastify.
 *
 * - Submitted values are encrypted at rest under a per-value data key wrapped by the root key
 *   (lib/data-keys.ts), so a copy of the database alone reads nothing.
 * - Fulfilment is one conditional UPDATE (requests.repository.ts `fulfil`); the requester's
 *   notification is queued in the same transaction, so it exists exactly when the value does.
 * - Expiry destroys the request and its value: reads answer 404 by time even before the sweeper
 *   runs, and delete what they find expired.
 * - Everything the requester's side answers for a request it may not see is 404, like a request
 *   that does not exist, so ids of other organizations' requests cannot be probed.
 */
import { randomBytes } from "node:crypto";

import type { Kysely } from "kysely";
import type { Logger } from "pino";

import type { Clock } from "../../clock.js";
import type { Config } from "../../config.js";
import { transactionsOn, type DatabaseHandle } from "../../db/database.js";
import type { Database, RequestAccess } from "../../db/schema.js";
import {
  AppError,
  BadRequestError,
  ConflictError,
  ForbiddenError,
  UnauthorizedError,
} from "../../errors.js";
import type { BrandingService } from "../branding/branding.service.js";
import { presentAccessLog } from "../../lib/access-log.js";
import { decodeCursor, encodeCursor } from "../../lib/cursor.js";
import { openValue, rewrapKey, sealValue } from "../../lib/data-keys.js";
import { oneLine, type MailQueue } from "../../lib/mail-queue.js";
import type { Member } from "../../lib/people.js";
import { emailOf } from "../../lib/people.js";
import { SealError } from "../../lib/sealing.js";
import { requestNotFound } from "./requests.errors.js";
import * as repo from "./requests.repository.js";
import type { RequestRow } from "./requests.repository.js";

/** 16 random bytes: 128 bits, 22 base64url characters (RequestId's minimum). */
const ID_BYTES = 16;

export interface RequestsDeps {
  database: Pick<DatabaseHandle, "db" | "dialect">;
  clock: Clock;
  limits: Pick<Config["limits"], "maxSecretBytes" | "maxExpiresIn">;
  publicUrl: string;
  /** The current root key first, then retired ones that may still open older values. */
  rootKeys: readonly Buffer[];
  /** The requester's "request fulfilled" message; absent in setups that send none. */
  mail?: MailQueue;
  logger?: Pick<Logger, "warn">;
  /** Called after a transaction destroyed a value, so SQLite can checkpoint the WAL soon. */
  onDestroyed?: () => void;
  /** The organization's look for the sender's page (SPEC F7). */
  branding?: Pick<BrandingService, "forPublic">;
}

export interface Submitter {
  userId: string | null;
  /** The organizations the submitter belongs to (signed in), for the access rule. */
  orgIds: string[];
  ip: string | null;
}

/** Where a request's sealed value and data key are bound (see lib/data-keys.ts). */
export const sealContext = (id: string) => `hushlink/requests/${id}`;

export const valueTooLarge = (maxBytes: number) => `must be at most ${maxBytes} bytes of UTF-8`;

const iso = (ms: number) => new Date(ms).toISOString();

export function createRequestsService(deps: RequestsDeps) {
  const { database, clock, rootKeys } = deps;
  const currentKey = rootKeys[0];
  if (!currentKey) throw new Error("createRequestsService needs a root key");
  const tx = transactionsOn(database);

  /** Deletes a request found past its expiry, so the value goes even before the sweeper runs. */
  async function destroyExpired(id: string, now: number): Promise<void> {
    const gone = await tx(async (trx) => {
      const deleted = await repo.deleteIfExpired(trx, id, now);
      if (deleted) {
        await repo.addEvents(trx, [
          { requestId: id, type: "expired", at: deleted.expires_at, ip: null },
        ]);
      }
      return deleted !== undefined;
    });
    if (gone) deps.onDestroyed?.();
  }

  /** The request if it exists and has not expired; an expired one is destroyed on the spot. */
  async function findLive(id: string): Promise<RequestRow> {
    const row = await repo.findRequest(database.db, id);
    if (!row) throw requestNotFound();
    const now = clock.now();
    if (row.expires_at <= now) {
      await destroyExpired(id, now);
      throw requestNotFound();
    }
    return row;
  }

  /** The request if `member` may act on it: its requester, or with "requester_or_admin" an org admin. */
  async function managed(id: string, member: Member, who: "requester" | "requester_or_admin") {
    const row = await findLive(id);
    const membership = member.orgs.find((o) => o.id === row.org_id);
    // Leaving the organization ends access to its requests, even one's own.
    const allowed =
      membership !== undefined &&
      (row.requester_id === member.id ||
        (who === "requester_or_admin" && membership.role === "admin"));
    if (!allowed) throw requestNotFound();
    return row;
  }

  /**
   * 401 or 403 for someone outside an organization-only request's organization. A branded
   * organization's page wears its look on these answers too (SPEC F7), so they carry its public
   * branding: what any of its share links shows anyone, and nothing of the request itself.
   */
  async function accessError(userId: string | null, orgId: string): Promise<AppError> {
    const error =
      userId === null
        ? new UnauthorizedError(
            "login_required",
            "Sign in with your organization account to answer this request.",
          )
        : new ForbiddenError(
            "not_allowed",
            "Only members of the requester's organization can answer this request.",
          );
    const branding = await deps.branding?.forPublic(orgId);
    if (branding) error.details.branding = branding;
    return error;
  }

  return {
    async create(
      input: { name?: string | undefined; expiresIn: number; access: RequestAccess },
      creator: { userId: string; orgId: string; ip: string | null },
    ) {
      if (input.expiresIn > deps.limits.maxExpiresIn) {
        throw new BadRequestError(
          "invalid_request",
          `expiresIn: must be at most ${deps.limits.maxExpiresIn}`,
        );
      }
      const id = randomBytes(ID_BYTES).toString("base64url");
      const now = clock.now();
      const expiresAt = now + input.expiresIn * 1000;
      const name = input.name?.trim() ? input.name : null;
      await tx(async (trx) => {
        await repo.insertRequest(trx, {
          id,
          org_id: creator.orgId,
          requester_id: creator.userId,
          name,
          access: input.access,
          created_at: now,
          expires_at: expiresAt,
          submitted_at: null,
          value_sealed: null,
          wrapped_key: null,
          key_id: null,
        });
        await repo.addEvents(trx, [
          { requestId: id, type: "created", at: now, ip: creator.ip, userId: creator.userId },
        ]);
      });
      return { id, url: `${deps.publicUrl}/r/${id}`, expiresAt: iso(expiresAt) };
    },

    /** What the sender's page shows. Consumes nothing. */
    async metadata(id: string, viewer: { userId: string | null; orgIds: string[] }) {
      const row = await repo.findWithOrg(database.db, id);
      if (!row) throw requestNotFound();
      const now = clock.now();
      if (row.expires_at <= now) {
        await destroyExpired(id, now);
        throw requestNotFound();
      }
      if (row.access === "organization" && !viewer.orgIds.includes(row.org_id)) {
        throw await accessError(viewer.userId, row.org_id);
      }
      const branding = await deps.branding?.forPublic(row.org_id);
      return {
        id: row.id,
        ...(row.name !== null ? { name: row.name } : {}),
        orgName: row.org_name,
        status: row.submitted_at === null ? ("open" as const) : ("fulfilled" as const),
        expiresAt: iso(row.expires_at),
        ...(branding ? { branding } : {}),
      };
    },

    /**
     * Fulfils the request with `value`: sealed first (a fresh data key), then one conditional
     * UPDATE. Only when that matched nothing does it find out why: 404, 401/403 (branded, like the
     * metadata's) or 409.
     */
    async submit(id: string, value: string, submitter: Submitter): Promise<void> {
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
      const outcome = await tx(async (trx): Promise<AppError | { outsiderOf: string } | null> => {
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
      });
      if (expiredNow) deps.onDestroyed?.();
      if (outcome && "outsiderOf" in outcome) {
        throw await accessError(submitter.userId, outcome.outsiderOf);
      }
      if (outcome) throw outcome;
      if (notify) deps.mail?.kick?.();
    },

    /** The organization's unexpired requests, newest first. */
    async list(
      orgId: string,
      viewerId: string,
      page: { cursor?: string | undefined; limit: number },
      filters: Parameters<typeof repo.listOrgRequests>[1]["filters"] = {},
    ) {
      const after = page.cursor ? decodeCursor(page.cursor) : null;
      const rows = await repo.listOrgRequests(database.db, {
        orgId,
        now: clock.now(),
        limit: page.limit,
        after,
        filters,
      });
      const items = rows.slice(0, page.limit).map((r) => ({
        id: r.id,
        name: r.name,
        access: r.access,
        status: r.submitted_at === null ? ("open" as const) : ("fulfilled" as const),
        createdAt: iso(r.created_at),
        expiresAt: iso(r.expires_at),
        ...(r.submitted_at !== null ? { submittedAt: iso(r.submitted_at) } : {}),
        // Only the requester can reveal: the dashboard offers Reveal where this is true.
        mine: r.requester_id === viewerId,
      }));
      const last = rows.length > page.limit ? rows[page.limit - 1] : undefined;
      return { items, nextCursor: last ? encodeCursor(last.created_at, last.id) : null };
    },

    /**
     * The submitted value, for the requester only. Each reveal is recorded before the value
     * leaves. A value still wrapped by a retired root key is re-wrapped by the current one.
     */
    async reveal(id: string, member: Member, ip: string | null) {
      const row = await managed(id, member, "requester");
      if (row.submitted_at === null || row.value_sealed === null || row.wrapped_key === null) {
        throw new ConflictError(
          "request_not_fulfilled",
          "Nothing has been submitted to this request yet.",
        );
      }
      let value: string;
      try {
        value = openValue(
          rootKeys,
          { value: row.value_sealed, wrappedKey: row.wrapped_key },
          sealContext(id),
        );
      } catch (error) {
        if (error instanceof SealError) {
          throw new AppError(
            500,
            error.code === "sealed_unknown_key" ? "root_key_missing" : "value_unreadable",
            error.code === "sealed_unknown_key"
              ? `This value was encrypted under root key ${row.key_id ?? "?"}, which this server is not configured with. Ask the operator to add it to HUSHLINK_PREVIOUS_ROOT_KEYS.`
              : "This value cannot be decrypted: it was changed in the database.",
          );
        }
        throw error;
      }
      const now = clock.now();
      await tx(async (trx) => {
        await repo.addEvents(trx, [
          { requestId: id, type: "revealed", at: now, ip, userId: member.id },
        ]);
        const rewrapped = rewrapKey(rootKeys, row.wrapped_key ?? "", sealContext(id));
        if (rewrapped) {
          await repo.replaceWrappedKey(trx, {
            id,
            from: row.wrapped_key ?? "",
            to: rewrapped.wrappedKey,
            keyId: rewrapped.keyId,
          });
        }
      });
      return { value, submittedAt: iso(row.submitted_at) };
    },

    /** Deletes the request and its value: the requester or an admin of its organization. */
    async remove(id: string, member: Member, ip: string | null): Promise<void> {
      await managed(id, member, "requester_or_admin");
      const now = clock.now();
      const deleted = await tx(async (trx) => {
        if (!(await repo.deleteRequest(trx, id))) return false;
        await repo.addEvents(trx, [
          { requestId: id, type: "deleted", at: now, ip, userId: member.id },
        ]);
        return true;
      });
      if (!deleted) throw requestNotFound();
      deps.onDestroyed?.();
    },

    /** The request's audit trail: its requester or an admin of its organization. */
    async events(id: string, member: Member) {
      await managed(id, member, "requester_or_admin");
      return presentAccessLog(await repo.listEvents(database.db, id));
    },
  };

  /** Queues the requester's notification in the fulfilling transaction; false if none. */
  async function queueNotification(
    trx: Kysely<Database>,
    fulfilled: { requester_id: string; name: string | null },
  ): Promise<boolean> {
    if (!deps.mail) return false;
    const to = await emailOf(trx, fulfilled.requester_id);
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
}

export type RequestsService = ReturnType<typeof createRequestsService>;
