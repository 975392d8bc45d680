/**
 * The rules of sharing (SPEC F1, F2, F4, §3). Never sees Fastify: routes pass in plain values.
 * State changes happen inside writeTransaction, each as one conditional statement; errors are
 * decided inside the transaction but thrown after it commits, so a refused attempt that changed
 * something (a password attempt, an expiry found on read) is recorded.
 */
import type { Kysely } from "kysely";

import type { CreateShareBody } from "@hushlink/protocol";

import type { Clock } from "../../clock.js";
import type { Config } from "../../config.js";
import { writeStatement, writeTransaction, type DatabaseHandle } from "../../db/database.js";
import type { Database } from "../../db/schema.js";
import {
  AppError,
  BadRequestError,
  ConflictError,
  ForbiddenError,
  GoneError,
  NotFoundError,
  UnauthorizedError,
} from "../../errors.js";
import { decodeCursor, encodeCursor } from "../../lib/cursor.js";
import { oneLine, type MailQueue } from "../../lib/mail-queue.js";
import type { BrandingService } from "../branding/branding.service.js";
import {
  checkMembers,
  checkRecipients,
  isRecipient,
  queueDeliveries,
  recipientsOf,
} from "./recipients.js";
import {
  hashBase64UrlBytes,
  hashToken,
  newTimeOrderedId,
  newToken,
  safeEqual,
} from "../../lib/tokens.js";
import type { Metrics } from "../../plugins/metrics.js";
import * as repo from "./shares.repository.js";
import type { GoneStatus, ShareRow } from "./shares.repository.js";

export const TOMBSTONE_KEEP_MS = 30 * 24 * 3600 * 1000;

export interface SharesDeps {
  database: Pick<DatabaseHandle, "db" | "dialect">;
  clock: Clock;
  limits: Config["limits"];
  metrics: Pick<Metrics, "sharesCreated" | "sharesRevealed" | "sharesDestroyed" | "wrongPasswords">;
  /** Base of the links e-mailed to recipients. */
  publicUrl?: string;
  /** Organization branding for public metadata. */
  branding?: Pick<BrandingService, "forPublic">;
  /** Mail for notifyOnView; absent in setups that send none. */
  mail?: MailQueue;
  /** Called after a transaction destroyed content, so SQLite can checkpoint the WAL soon. */
  onDestroyed?: () => void;
}

/** The create body after schema validation (defaults applied). */
export type CreateShareInput = Omit<
  CreateShareBody,
  "maxViews" | "access" | "allowExternalRecipients" | "notifyOnView"
> & {
  maxViews: number | null;
  access: "anyone" | "organization";
  allowExternalRecipients: boolean;
  notifyOnView: boolean;
};

export interface Viewer {
  ip: string | null;
  userId: string | null;
}

const GONE_MESSAGES: Record<GoneStatus, string> = {
  viewed: "This secret was already viewed. If that was not you, tell the sender.",
  expired: "This secret expired before it was viewed.",
  deleted: "This secret was deleted.",
  locked: "This secret was destroyed after too many wrong passwords.",
};

export function goneError(reason: GoneStatus, at: number | null): GoneError {
  return new GoneError("share_gone", GONE_MESSAGES[reason], {
    reason,
    at: new Date(at ?? 0).toISOString(),
  });
}

export function notFoundError(): NotFoundError {
  return new NotFoundError(
    "share_not_found",
    "This link does not exist. Check that it was copied completely.",
  );
}

function viewsRemaining(row: { max_views: number | null; view_count: number }): number | null {
  return row.max_views === null ? null : Math.max(0, row.max_views - row.view_count);
}

export function createSharesService(deps: SharesDeps) {
  const { database, clock, limits, metrics } = deps;
  const tx = <T>(fn: (trx: Kysely<Database>) => Promise<T>) => writeTransaction(database, fn);

  function destroyed(reason: GoneStatus) {
    metrics.sharesDestroyed.inc({ reason });
    deps.onDestroyed?.();
  }

  /**
   * Reads a share for a public answer. A live share found past its expiry is destroyed on the
   * spot, so reads never depend on the sweeper having run.
   */
  async function loadLive(id: string): Promise<ShareRow> {
    const row = await repo.findShare(database.db, id);
    if (!row) throw notFoundError();
    if (row.status !== "active") throw goneError(row.status, row.gone_at);
    if (row.expires_at <= clock.now()) {
      await expireNow(row);
      throw goneError("expired", row.expires_at);
    }
    return row;
  }

  async function expireNow(row: ShareRow): Promise<void> {
    const done = await tx((trx) =>
      repo.destroyShare(trx, { id: row.id, reason: "expired", at: row.expires_at }),
    );
    if (done) destroyed("expired");
  }

  /** Destroys a live share on request, with its access-log entry; 410 if it went meanwhile. */
  async function deleteNow(id: string, viewer: Viewer): Promise<void> {
    const now = clock.now();
    const done = await tx(async (trx) => {
      if (!(await repo.destroyShare(trx, { id, reason: "deleted", at: now }))) return false;
      // Messages not yet sent would carry a dead link, and the link secret: drop them.
      await deps.mail?.cancelForShare?.(trx, id);
      await repo.addEvent(trx, {
        shareId: id,
        type: "deleted",
        at: now,
        ip: viewer.ip,
        userId: viewer.userId,
      });
      return true;
    });
    if (!done) {
      const after = await repo.findShare(database.db, id);
      throw goneError(
        after && after.status !== "active" ? after.status : "deleted",
        after?.gone_at ?? now,
      );
    }
    destroyed("deleted");
  }

  return {
    async create(
      input: CreateShareInput,
      creator: { userId: string | null; orgId: string | null; ip: string | null },
    ) {
      if (input.maxViews !== null && input.maxViews > limits.maxViews) {
        throw new AppError(400, "invalid_request", `maxViews: must be at most ${limits.maxViews}`);
      }
      if (creator.userId === null && (input.access === "organization" || input.notifyOnView)) {
        throw new UnauthorizedError(
          "login_required",
          "Sign in to limit a share to your organization or to be notified.",
        );
      }
      if (input.allowExternalRecipients && input.access === "organization") {
        throw new BadRequestError(
          "invalid_request",
          "External recipients cannot be combined with organization-only access.",
        );
      }
      const recipients = [...new Set(input.recipients ?? [])];
      if (recipients.length > 0 && creator.userId === null) {
        throw new UnauthorizedError("login_required", "Sign in to e-mail a share to recipients.");
      }
      await checkRecipients(
        {
          recipients,
          allowExternal: input.allowExternalRecipients,
          hasPassword: input.password !== undefined,
          linkSecret: input.delivery?.linkSecret,
          shareId: input.id,
        },
        deps.mail,
      );
      const now = clock.now();
      const anonymous = creator.userId === null;
      const manageToken = anonymous ? newToken() : null;
      const expiresAt = now + input.expiresIn * 1000;
      const share = {
        id: input.id,
        org_id: creator.orgId,
        creator_id: creator.userId,
        name: input.name ?? null,
        access: input.access,
        ciphertext: input.ciphertext,
        iv: input.iv,
        view_token_hash: hashBase64UrlBytes(input.viewToken),
        verifier_hash: input.password ? hashBase64UrlBytes(input.password.verifier) : null,
        kdf_m: input.password?.kdf.m ?? null,
        kdf_t: input.password?.kdf.t ?? null,
        kdf_p: input.password?.kdf.p ?? null,
        manage_token_hash: manageToken ? hashToken(manageToken) : null,
        max_views: input.maxViews,
        password_attempts_left: input.password ? limits.passwordAttempts : null,
        notify_on_view: input.notifyOnView ? 1 : 0,
        allow_external_recipients: input.allowExternalRecipients ? 1 : 0,
        restrict_to_recipients: recipients.length > 0 && !input.allowExternalRecipients ? 1 : 0,
        created_at: now,
        created_ip: creator.ip,
        expires_at: expiresAt,
      };
      // The recipients' deliveries are queued with the share, or neither happens.
      const queueForRecipients = async (trx: Kysely<Database>) => {
        if (!deps.mail || !creator.orgId || !input.delivery) return;
        if (!input.allowExternalRecipients) await checkMembers(trx, creator.orgId, recipients);
        const sender = await trx
          .selectFrom("users")
          .innerJoin("memberships", "memberships.user_id", "users.id")
          .innerJoin("orgs", "orgs.id", "memberships.org_id")
          .select(["users.name", "users.email", "orgs.name as orgName"])
          .where("users.id", "=", creator.userId)
          .where("orgs.id", "=", creator.orgId)
          .executeTakeFirst();
        await queueDeliveries(trx, deps.mail, {
          shareId: input.id,
          emails: recipients,
          linkSecret: input.delivery.linkSecret,
          publicUrl: deps.publicUrl ?? "",
          orgName: sender?.orgName ? oneLine(sender.orgName) : undefined,
          senderName: oneLine(sender?.name ?? sender?.email ?? "") || undefined,
          expiresAt,
          maxViews: input.maxViews,
          now,
        });
      };
      // Without recipients a create is one INSERT: atomic by itself, one round trip on PostgreSQL.
      const inserted =
        recipients.length === 0
          ? await writeStatement(database, (db) => repo.insertShare(db, share))
          : await tx(async (trx) => {
              if (!(await repo.insertShare(trx, share))) return false;
              await queueForRecipients(trx);
              return true;
            });
      if (!inserted) {
        throw new ConflictError(
          "share_exists",
          "A share with this id already exists. Create the share again with a new link.",
        );
      }
      metrics.sharesCreated.inc();
      if (recipients.length > 0) deps.mail?.kick?.();
      return {
        id: input.id,
        expiresAt: new Date(expiresAt).toISOString(),
        maxViews: input.maxViews,
        ...(manageToken ? { manageToken } : {}),
      };
    },

    async metadata(id: string) {
      let row: ShareRow;
      try {
        row = await loadLive(id);
      } catch (error) {
        // A branded organization's recipients see its look on the "gone" page too.
        if (error instanceof GoneError && deps.branding) {
          const orgId = (await repo.findShare(database.db, id))?.org_id ?? null;
          const branding = await deps.branding.forPublic(orgId);
          if (branding) error.details.branding = branding;
        }
        throw error;
      }
      const branding = (await deps.branding?.forPublic(row.org_id)) ?? null;
      // An organization-only link names the organization, so the page can say whose members may open it.
      const orgName =
        row.access === "organization" && row.org_id !== null
          ? await repo.orgName(database.db, row.org_id)
          : undefined;
      return {
        ...(branding ? { branding } : {}),
        ...(orgName ? { orgName } : {}),
        id: row.id,
        access: row.access,
        requiresPassword: row.verifier_hash !== null,
        ...(row.verifier_hash !== null &&
        row.kdf_m !== null &&
        row.kdf_t !== null &&
        row.kdf_p !== null
          ? { kdf: { alg: "argon2id" as const, m: row.kdf_m, t: row.kdf_t, p: row.kdf_p } }
          : {}),
        expiresAt: new Date(row.expires_at).toISOString(),
        viewsRemaining: viewsRemaining(row),
        ...(row.restrict_to_recipients ? { recipientsOnly: true } : {}),
      };
    },

    /**
     * Reveal (SPEC §3): consume first, in one statement; only when that matched nothing, find out
     * why. A wrong view token answers exactly as an unknown id. On PostgreSQL the common case
     * (consume, log, destroy after the last view) is a single statement and round trip.
     */
    async reveal(
      id: string,
      body: { viewToken: string; verifier?: string | undefined },
      viewer: Viewer,
    ) {
      const now = clock.now();
      const viewTokenHash = hashBase64UrlBytes(body.viewToken);
      const verifierHash = body.verifier ? hashBase64UrlBytes(body.verifier) : null;

      type Outcome =
        | {
            ok: true;
            ciphertext: string;
            iv: string;
            viewsRemaining: number | null;
            destroyed: GoneStatus | null;
          }
        | { ok: false; error: AppError; destroyed: GoneStatus | null; wrongPassword?: boolean };

      if (database.dialect === "postgres") {
        const revealed = await repo.revealInOneStatement(database.db, {
          id,
          viewTokenHash,
          verifierHash,
          now,
          viewerId: viewer.userId,
          ip: viewer.ip,
          eventId: newTimeOrderedId(),
        });
        if (revealed && revealed.ciphertext !== null && revealed.iv !== null) {
          const remaining = viewsRemaining(revealed);
          if (remaining === 0) destroyed("viewed");
          metrics.sharesRevealed.inc();
          return { ciphertext: revealed.ciphertext, iv: revealed.iv, viewsRemaining: remaining };
        }
        // Refused, or a share that notifies its creator: the transaction below decides and says why.
      }

      let notify = false;
      const outcome = await tx(async (trx): Promise<Outcome> => {
        const consumed = await repo.consumeView(trx, {
          id,
          viewTokenHash,
          verifierHash,
          now,
          viewerId: viewer.userId,
        });
        if (consumed && consumed.ciphertext !== null && consumed.iv !== null) {
          const remaining = viewsRemaining(consumed);
          await repo.addEvent(trx, {
            shareId: id,
            type: "revealed",
            at: now,
            ip: viewer.ip,
            userId: viewer.userId,
          });
          // The last permitted view destroys the content in the same transaction.
          if (remaining === 0) await repo.destroyShare(trx, { id, reason: "viewed", at: now });
          if (consumed.notify_on_view && consumed.creator_id && deps.mail) {
            const creator = await trx
              .selectFrom("users")
              .select("email")
              .where("id", "=", consumed.creator_id)
              .executeTakeFirst();
            if (creator) {
              await deps.mail.enqueue(trx, {
                kind: "share_viewed",
                to: creator.email,
                data: {
                  ...(consumed.name && oneLine(consumed.name)
                    ? { shareName: oneLine(consumed.name) }
                    : {}),
                  viewedAt: new Date(now).toISOString(),
                  ...(viewer.ip ? { ip: viewer.ip } : {}),
                },
              });
              notify = true;
            }
          }
          return {
            ok: true,
            ciphertext: consumed.ciphertext,
            iv: consumed.iv,
            viewsRemaining: remaining,
            destroyed: remaining === 0 ? "viewed" : null,
          };
        }

        const row = await repo.findShare(trx, id);
        if (!row) return { ok: false, error: notFoundError(), destroyed: null };
        if (row.status !== "active")
          return { ok: false, error: goneError(row.status, row.gone_at), destroyed: null };
        if (!safeEqual(row.view_token_hash, viewTokenHash))
          return { ok: false, error: notFoundError(), destroyed: null };
        if (row.expires_at <= now) {
          await repo.destroyShare(trx, { id, reason: "expired", at: row.expires_at });
          return { ok: false, error: goneError("expired", row.expires_at), destroyed: "expired" };
        }
        // Checked before the password, so an outsider cannot burn the attempt budget.
        if (row.access === "organization") {
          const member =
            viewer.userId !== null && (await repo.isMember(trx, row.org_id, viewer.userId));
          if (!member) {
            return {
              ok: false,
              error:
                viewer.userId === null
                  ? new UnauthorizedError(
                      "login_required",
                      "Sign in with your organization account to open this secret.",
                    )
                  : new ForbiddenError(
                      "not_allowed",
                      "Only members of the sender's organization can open this secret.",
                    ),
              destroyed: null,
            };
          }
        }
        if (row.restrict_to_recipients) {
          const listed = viewer.userId !== null && (await isRecipient(trx, id, viewer.userId));
          if (!listed) {
            return {
              ok: false,
              error:
                viewer.userId === null
                  ? new UnauthorizedError(
                      "login_required",
                      "Sign in with the address this secret was sent to.",
                    )
                  : new ForbiddenError("not_allowed", "This secret was sent to other people."),
              destroyed: null,
            };
          }
        }
        if (row.verifier_hash !== null && !safeEqual(row.verifier_hash, verifierHash)) {
          if (verifierHash === null) {
            return {
              ok: false,
              error: new ForbiddenError(
                "password_required",
                "This secret is protected by a password.",
                {
                  attemptsRemaining: row.password_attempts_left ?? 0,
                },
              ),
              destroyed: null,
            };
          }
          const left = await repo.takePasswordAttempt(trx, id, now);
          if (left === undefined) {
            // Another request used the last attempt a moment ago.
            await repo.destroyShare(trx, { id, reason: "locked", at: now });
            return { ok: false, error: goneError("locked", now), destroyed: null };
          }
          await repo.addEvent(trx, {
            shareId: id,
            type: "wrong_password",
            at: now,
            ip: viewer.ip,
            userId: viewer.userId,
          });
          let lockedNow: GoneStatus | null = null;
          if (left <= 0 && (await repo.destroyShare(trx, { id, reason: "locked", at: now }))) {
            await repo.addEvent(trx, {
              shareId: id,
              type: "locked",
              at: now,
              ip: viewer.ip,
              userId: viewer.userId,
            });
            lockedNow = "locked";
          }
          return {
            ok: false,
            wrongPassword: true,
            error: new ForbiddenError(
              "wrong_password",
              left > 0
                ? `Wrong password. ${left} attempt${left === 1 ? "" : "s"} left before the secret is destroyed.`
                : "Wrong password. The secret has been destroyed after too many attempts.",
              { attemptsRemaining: left },
            ),
            destroyed: lockedNow,
          };
        }
        // Token and password are right but no view is left: only reachable in a race with the last view.
        return { ok: false, error: goneError("viewed", row.gone_at ?? now), destroyed: null };
      });

      if (outcome.destroyed) destroyed(outcome.destroyed);
      if (notify) deps.mail?.kick?.();
      if (!outcome.ok) {
        if (outcome.wrongPassword) metrics.wrongPasswords.inc();
        throw outcome.error;
      }
      metrics.sharesRevealed.inc();
      return {
        ciphertext: outcome.ciphertext,
        iv: outcome.iv,
        viewsRemaining: outcome.viewsRemaining,
      };
    },

    /** The organization's shares for its members, newest first, with a status as people read it. */
    async list(orgId: string, page: { cursor?: string | undefined; limit: number }) {
      const after = page.cursor ? decodeCursor(page.cursor) : null;
      const rows = await repo.listOrgShares(database.db, { orgId, limit: page.limit, after });
      const recipients = await recipientsOf(
        database.db,
        rows.slice(0, page.limit).map((r) => r.id),
      );
      const now = clock.now();
      const items = rows.slice(0, page.limit).map((r) => ({
        id: r.id,
        name: r.name,
        access: r.access,
        createdAt: new Date(r.created_at).toISOString(),
        expiresAt: new Date(r.expires_at).toISOString(),
        maxViews: r.max_views,
        viewCount: r.view_count,
        // Past its expiry but not yet swept is expired all the same.
        status: r.status === "active" && r.expires_at <= now ? ("expired" as const) : r.status,
        recipients: recipients.get(r.id) ?? [],
        ...(r.restrict_to_recipients ? { recipientsOnly: true } : {}),
        // Admins see everyone's shares: say whose each one is.
        ...(r.creator_email ? { createdBy: r.creator_email } : {}),
      }));
      const last = rows.length > page.limit ? rows[page.limit - 1] : undefined;
      return { items, nextCursor: last ? encodeCursor(last.created_at, last.id) : null };
    },

    /** The share if `user` may manage it (its creator, or an admin of its organization); else 404. */
    async managedBy(id: string, user: { id: string; orgs: { id: string; role: string }[] }) {
      const row = await repo.findShare(database.db, id);
      const admin =
        row?.org_id != null && user.orgs.some((o) => o.id === row.org_id && o.role === "admin");
      if (!row || (row.creator_id !== user.id && !admin)) throw notFoundError();
      return row;
    },

    async events(id: string, user: { id: string; orgs: { id: string; role: string }[] }) {
      const share = await this.managedBy(id, user);
      const rows = await repo.listEvents(database.db, share, clock.now());
      return {
        items: rows.map((e) => ({
          type: e.type,
          at: new Date(e.at).toISOString(),
          ip: e.ip,
          ...(e.email ? { userEmail: e.email } : {}),
        })),
      };
    },

    async deleteAsMember(
      id: string,
      user: { id: string; orgs: { id: string; role: string }[] },
      ip: string | null,
    ) {
      const row = await this.managedBy(id, user);
      if (row.status !== "active") throw goneError(row.status, row.gone_at);
      await deleteNow(id, { ip, userId: user.id });
    },

    /** Deletes with the manage token (anonymous creator) or the view token (a link holder). */
    async deleteWithToken(
      id: string,
      tokens: { manageToken?: string | undefined; viewToken?: string | undefined },
      viewer: Viewer,
    ) {
      const row = await repo.findShare(database.db, id);
      if (!row) throw notFoundError();
      const authorised =
        (tokens.manageToken !== undefined &&
          safeEqual(row.manage_token_hash, hashToken(tokens.manageToken))) ||
        (tokens.viewToken !== undefined &&
          row.view_token_hash !== null &&
          safeEqual(row.view_token_hash, hashBase64UrlBytes(tokens.viewToken)));
      if (!authorised)
        throw row.status === "active" ? notFoundError() : goneError(row.status, row.gone_at);
      if (row.status !== "active") throw goneError(row.status, row.gone_at);
      await deleteNow(id, viewer);
    },

    /** What an anonymous creator sees on the manage page; tombstones included. */
    async manageStatus(id: string, manageToken: string | undefined) {
      const row = await repo.findShare(database.db, id);
      if (
        !row ||
        manageToken === undefined ||
        !safeEqual(row.manage_token_hash, hashToken(manageToken))
      ) {
        throw notFoundError();
      }
      const expired = row.status === "active" && row.expires_at <= clock.now();
      if (expired) await expireNow(row);
      return {
        id: row.id,
        name: row.name,
        status: expired ? ("expired" as const) : row.status,
        createdAt: new Date(row.created_at).toISOString(),
        expiresAt: new Date(row.expires_at).toISOString(),
        maxViews: row.max_views,
        viewCount: row.view_count,
        goneAt: expired
          ? new Date(row.expires_at).toISOString()
          : row.gone_at === null
            ? null
            : new Date(row.gone_at).toISOString(),
      };
    },
  };
}

export type SharesService = ReturnType<typeof createSharesService>;
