/**
 * The rules of sharing (SPEC F1, F2, F4, §3). Never sees Fastify: routes pass in plain values.
 * State changes happen inside a write transaction, each as one conditional statement; errors are
 * decided inside the transaction but thrown after it commits, so a refused attempt that changed
 * something (a password attempt, an expiry found on read) is recorded. The reveal, and the rule
 * it shares with a link holder's delete, live in shares.reveal.ts; answers in shares.presenter.ts.
 */
import type { Kysely } from "kysely";

import type { CreateShareBody } from "@hushlink/protocol";

import type { Clock } from "../../clock.js";
import type { Config } from "../../config.js";
import { transactionsOn, writeStatement, type DatabaseHandle } from "../../db/database.js";
import type { Database } from "../../db/schema.js";
import {
  AppError,
  BadRequestError,
  ConflictError,
  GoneError,
  UnauthorizedError,
} from "../../errors.js";
import { presentAccessLog } from "../../lib/access-log.js";
import { decodeCursor, encodeCursor } from "../../lib/cursor.js";
import { oneLine, type MailQueue } from "../../lib/mail-queue.js";
import { takeMailQuota, type MailLimits } from "../../lib/mail-quota.js";
import * as people from "../../lib/people.js";
import type { Member } from "../../lib/people.js";
import { hashBase64UrlBytes, hashToken, newToken, safeEqual } from "../../lib/tokens.js";
import type { Metrics } from "../../plugins/metrics.js";
import type { BlobsService } from "../blobs/blobs.service.js";
import type { BrandingService } from "../branding/branding.service.js";
import * as recipientsRepo from "./recipients.repository.js";
import {
  checkMembers,
  checkRecipients,
  deliveryListener,
  queueDeliveries,
} from "./recipients.rules.js";
import { goneError, notFoundError } from "./shares.errors.js";
import { presentListItem, presentManageStatus, presentMetadata } from "./shares.presenter.js";
import * as repo from "./shares.repository.js";
import type { GoneStatus, ShareRow } from "./shares.repository.js";
import { createReveal, linkHolderRequest, type LinkTokens, type Viewer } from "./shares.reveal.js";

export type { Viewer } from "./shares.reveal.js";

export interface SharesDeps {
  database: Pick<DatabaseHandle, "db" | "dialect">;
  clock: Clock;
  limits: Config["limits"];
  metrics: Pick<Metrics, "sharesCreated" | "sharesRevealed" | "sharesDestroyed" | "wrongPasswords">;
  /** Base of the links e-mailed to recipients. */
  publicUrl?: string;
  /** Organization branding for public metadata. */
  branding?: Pick<BrandingService, "forPublic">;
  /** Mail for recipients and notifyOnView; absent in setups that send none. */
  mail?: MailQueue;
  /** Deliveries an account may send, and an address receive, per hour (lib/mail-quota.ts). */
  mailLimits?: MailLimits;
  /** Called after a transaction destroyed content, so SQLite can checkpoint the WAL soon. */
  onDestroyed?: () => void;
  /** Files (SPEC F12): declared at create, granted for download by a reveal. */
  files?: Pick<BlobsService, "prepareCreate" | "grantDownload" | "uploadIncomplete">;
}

/** The create body after schema validation (defaults applied). */
export type CreateShareInput = Omit<
  CreateShareBody,
  "maxViews" | "access" | "allowExternalRecipients" | "notifyOnView" | "showSender"
> & {
  maxViews: number | null;
  access: "anyone" | "organization";
  allowExternalRecipients: boolean;
  notifyOnView: boolean;
  showSender?: boolean;
};

export function createSharesService(deps: SharesDeps) {
  const { database, clock, limits, metrics } = deps;
  const transact = transactionsOn(database);

  function destroyed(reason: GoneStatus) {
    metrics.sharesDestroyed.inc({ reason });
    deps.onDestroyed?.();
  }

  const reveal = createReveal({
    database,
    transact,
    repo,
    people,
    recipients: recipientsRepo,
    clock,
    metrics,
    mail: deps.mail,
    files: deps.files,
    destroyed,
  });

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
    const done = await transact((trx) =>
      repo.destroyShare(trx, { id: row.id, reason: "expired", at: row.expires_at }),
    );
    if (done) destroyed("expired");
  }

  /** What goes with every delete: queued mail of the share, and the access-log entry. */
  async function afterDelete(trx: Kysely<Database>, id: string, at: number, viewer: Viewer) {
    // Messages not yet sent would carry a dead link, and the link secret: drop them.
    await deps.mail?.cancelForShare?.(trx, id);
    await repo.addEvent(trx, {
      shareId: id,
      type: "deleted",
      at,
      ip: viewer.ip,
      userId: viewer.userId,
    });
  }

  /** Destroys a live share on request, with its access-log entry; 410 if it went meanwhile. */
  async function deleteNow(id: string, viewer: Viewer): Promise<void> {
    const now = clock.now();
    const done = await transact(async (trx) => {
      if (!(await repo.destroyShare(trx, { id, reason: "deleted", at: now }))) return false;
      await afterDelete(trx, id, now, viewer);
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

  /**
   * A link holder's delete (X-View-Token) under the reveal's rule: one conditional statement
   * destroys the share only for someone who could open it now; otherwise the refusal is explained
   * exactly as a reveal's, and a wrong verifier takes a password attempt.
   */
  async function deleteAsLinkHolder(id: string, tokens: LinkTokens, viewer: Viewer) {
    const req = linkHolderRequest(id, tokens, viewer, clock.now());
    const outcome = await transact(async (trx) => {
      if (await repo.destroyForLinkHolder(trx, { ...req, viewerId: viewer.userId })) {
        await afterDelete(trx, id, req.now, viewer);
        return { ok: true as const };
      }
      return reveal.explainRefusal(trx, req);
    });
    if (!outcome.ok) reveal.refused(outcome);
    destroyed("deleted");
  }

  /**
   * The share if `user` may manage it (read its access log, delete it); else 404. A share of an
   * organization: its creator or an admin, each only while a member (issue 15, item 5: someone
   * removed keeps neither the viewers' addresses nor the delete). A share of no organization
   * (signed-in shares always have one today; older rows may not) has no membership to lose and
   * stays its creator's alone.
   */
  const managedBy = async (id: string, user: Member) => {
    const row = await repo.findShare(database.db, id);
    if (!row) throw notFoundError();
    const membership = user.orgs.find((o) => o.id === row.org_id);
    const allowed =
      row.org_id === null
        ? row.creator_id !== null && row.creator_id === user.id
        : membership !== undefined && (row.creator_id === user.id || membership.role === "admin");
    if (!allowed) throw notFoundError();
    return row;
  };

  /** The recipients' deliveries, queued in the transaction that inserts the share. */
  async function queueForRecipients(
    trx: Kysely<Database>,
    input: CreateShareInput,
    args: { userId: string; orgId: string; emails: string[]; expiresAt: number; now: number },
  ) {
    if (!deps.mail || !input.delivery) return;
    if (!input.allowExternalRecipients) await checkMembers(trx, people, args.orgId, args.emails);
    if (deps.mailLimits) {
      const { userId: senderId, emails: recipients, now } = args;
      await takeMailQuota(trx, deps.mailLimits, { senderId, recipients, now });
    }
    const sender = await people.senderOf(trx, { userId: args.userId, orgId: args.orgId });
    await queueDeliveries(trx, deps.mail, {
      shareId: input.id,
      emails: args.emails,
      linkSecret: input.delivery.linkSecret,
      publicUrl: deps.publicUrl ?? "",
      orgName: sender?.orgName ? oneLine(sender.orgName) : undefined,
      senderName: oneLine(sender?.name ?? sender?.email ?? "") || undefined,
      expiresAt: args.expiresAt,
      maxViews: input.maxViews,
      now: args.now,
    });
  }

  const deliveries = deliveryListener(database, clock);

  return {
    deliveries,

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
      const files = deps.files?.prepareCreate(input.blobs, creator) ?? null;
      if (!files && input.blobs && input.blobs.length > 0) {
        throw new BadRequestError("invalid_request", "This server does not take files.");
      }
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
        // Only a member can be named: an anonymous creator has no name to show.
        show_sender: input.showSender && creator.userId !== null && creator.orgId !== null ? 1 : 0,
        created_at: now,
        created_ip: creator.ip,
        expires_at: expiresAt,
        ...files?.columns,
      };
      const { userId, orgId } = creator;
      // Without recipients or files a create is one INSERT: atomic by itself, one round trip on
      // PostgreSQL. With them, the deliveries and blobs are stored with the share, or nothing is.
      const inserted =
        recipients.length === 0 && !files
          ? await writeStatement(database, (db) => repo.insertShare(db, share))
          : await transact(async (trx) => {
              if (!(await repo.insertShare(trx, share))) return false;
              await files?.insert(trx, input.id);
              if (userId !== null && orgId !== null) {
                await queueForRecipients(trx, input, {
                  userId,
                  orgId,
                  emails: recipients,
                  expiresAt,
                  now,
                });
              }
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
        ...(files ? { uploadToken: files.uploadToken } : {}),
      };
    },

    /** `viewerUserId`: the signed-in caller, told whether they may reveal a restricted share. */
    async metadata(id: string, viewerUserId: string | null = null) {
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
          ? await people.orgName(database.db, row.org_id)
          : undefined;
      const sender =
        row.show_sender && row.creator_id !== null && row.org_id !== null
          ? await people.senderOf(database.db, { userId: row.creator_id, orgId: row.org_id })
          : undefined;
      // The same rules as the reveal's, answered before it, so the page can say who may open it.
      const restricted = row.access === "organization" || row.restrict_to_recipients;
      const viewerAllowed =
        !restricted || viewerUserId === null
          ? false
          : (row.access !== "organization" ||
              (await people.isMember(database.db, row.org_id, viewerUserId))) &&
            (!row.restrict_to_recipients ||
              (await recipientsRepo.isRecipient(database.db, row.id, viewerUserId)));
      return {
        ...presentMetadata(row, { branding, orgName }),
        // A creator who has left the organization is no longer named on its behalf.
        ...(sender
          ? { sender: { name: sender.name?.trim() || sender.email, orgName: sender.orgName } }
          : {}),
        ...(restricted ? { viewerAllowed } : {}),
      };
    },

    reveal: reveal.reveal,

    /** The organization's shares for its members, newest first, with a status as people read it. */
    async list(
      orgId: string,
      page: { cursor?: string | undefined; limit: number },
      filters: Omit<repo.ShareFilters, "now"> = {},
    ) {
      const after = page.cursor ? decodeCursor(page.cursor) : null;
      const rows = await repo.listOrgShares(database.db, {
        orgId,
        limit: page.limit,
        after,
        filters: { ...filters, now: clock.now() },
      });
      const shown = rows.slice(0, page.limit);
      const recipients = await recipientsRepo.recipientsOf(
        database.db,
        shown.map((r) => r.id),
      );
      const now = clock.now();
      const items = shown.map((r) => presentListItem(r, recipients.get(r.id) ?? [], now));
      const last = rows.length > page.limit ? rows[page.limit - 1] : undefined;
      return { items, nextCursor: last ? encodeCursor(last.created_at, last.id) : null };
    },

    /** "Delete all expired" of an organization: an admin's removes all, a member's their own. */
    async deleteExpired(orgId: string, member: { userId: string; admin: boolean }) {
      const deleted = await writeStatement(database, (db) =>
        repo.deleteExpired(db, {
          orgId,
          creatorId: member.admin ? null : member.userId,
          now: clock.now(),
        }),
      );
      if (deleted > 0) deps.onDestroyed?.();
      return { deleted };
    },

    async events(id: string, user: Member) {
      const share = await managedBy(id, user);
      return presentAccessLog(await repo.listEvents(database.db, share, clock.now()));
    },

    async deleteAsMember(id: string, user: Member, ip: string | null) {
      const row = await managedBy(id, user);
      if (row.status !== "active") throw goneError(row.status, row.gone_at);
      await deleteNow(id, { ip, userId: user.id });
    },

    /**
     * Deletes with the manage token (anonymous creator), or with the view token of a link holder
     * who may open the share (and, for a password share, the verifier of its password).
     */
    async deleteWithToken(
      id: string,
      tokens: {
        manageToken?: string | undefined;
        viewToken?: string | undefined;
        verifier?: string | undefined;
      },
      viewer: Viewer,
    ) {
      const { manageToken, viewToken, verifier } = tokens;
      if (manageToken !== undefined) {
        const row = await repo.findShare(database.db, id);
        if (row && safeEqual(row.manage_token_hash, hashToken(manageToken))) {
          if (row.status !== "active") throw goneError(row.status, row.gone_at);
          return deleteNow(id, viewer);
        }
      }
      if (viewToken !== undefined) return deleteAsLinkHolder(id, { viewToken, verifier }, viewer);
      const row = await repo.findShare(database.db, id);
      throw !row || row.status === "active" ? notFoundError() : goneError(row.status, row.gone_at);
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
      return presentManageStatus(row, expired);
    },
  };
}

export type SharesService = ReturnType<typeof createSharesService>;
