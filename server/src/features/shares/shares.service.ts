/**
 * The rules of sharing (SPEC F1, F2, F4, §3). Never sees Fastify: routes pass in plain values.
 * State changes happen inside a write transaction, each as one conditional statement; errors are
 * decided inside the transaction but thrown after it commits, so a refused attempt that changed
 * something (a password attempt, an expiry found on read) is recorded. The reveal, and the rule
 * it shares with a link holder's delete, live in shares.reveal.ts; the create in shares.create.ts;
 * answers in shares.presenter.ts.
 */
import type { Kysely } from "kysely";

import type { Clock } from "../../clock.js";
import type { Config } from "../../config.js";
import { transactionsOn, writeStatement, type DatabaseHandle } from "../../db/database.js";
import type { Database } from "../../db/schema.js";
import { presentAccessLog } from "../../lib/access-log.js";
import { decodeCursor, encodeCursor } from "../../lib/cursor.js";
import type { MailQueue } from "../../lib/mail-queue.js";
import type { MailLimits } from "../../lib/mail-quota.js";
import * as peopleRepository from "../../lib/people.js";
import type { Member, People } from "../../lib/people.js";
import { hashToken, safeEqual } from "../../lib/tokens.js";
import type { Metrics } from "../../plugins/metrics.js";
import type { BlobsService } from "../blobs/blobs.service.js";
import type { BrandingService } from "../branding/branding.service.js";
import { createEmailCodes } from "./email-codes.js";
import type { PolicyCheck } from "../policies/policies.service.js";
import { createRecipientLinks } from "./recipient-links.service.js";
import * as recipientsRepo from "./recipients.repository.js";
import { deliveryListener } from "./recipients.rules.js";
import { goneError, notFoundError } from "./shares.errors.js";
import { createMetadata } from "./shares.metadata.js";
import { presentListItem, presentManageStatus } from "./shares.presenter.js";
import { createCreate } from "./shares.create.js";
import * as listRepo from "./shares.list.repository.js";
import * as repo from "./shares.repository.js";
import type { GoneStatus, ShareRow } from "./shares.repository.js";
import { lockWithFiles } from "./shares.lock.js";
import { linkHolderRequest, type LinkTokens, type Viewer } from "./shares.link-holder.js";
import { createReveal } from "./shares.reveal.js";

export type { Viewer } from "./shares.link-holder.js";
export type { CreateShareInput } from "./shares.create.js";

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
  /**
   * Called after a transaction destroyed content, so SQLite can checkpoint the WAL soon and the
   * files of a deleted, expired or locked share leave the store; with the reason when known.
   */
  onDestroyed?: (reason?: GoneStatus) => void;
  /** Files (SPEC F12): declared at create, granted for download by a reveal. */
  files?: Pick<
    BlobsService,
    "prepareCreate" | "grantDownload" | "uploadIncomplete" | "eraseStored"
  >;
  /** Who is a member, and their names and addresses; the SQL of lib/people.ts unless replaced. */
  people?: People;
  /** The organization's sharing policy, checked before a member's create (SPEC F16). */
  policies?: Pick<PolicyCheck, "checkShare">;
}

export function createSharesService(deps: SharesDeps) {
  const { database, clock, metrics } = deps;
  const people = deps.people ?? peopleRepository;
  const transact = transactionsOn(database);
  // Writes that destroy or consume content: on SQLite they may use the disk reserve's room when
  // the disk is full (db/disk-reserve.ts), where a create answers 503.
  const destroying = transactionsOn(database, { destroys: true });
  // SQLite: a share's files in the database go one chunk per write before the share's own
  // destruction, so each write fits the disk reserve (blobs/share-chunks.erase.ts).
  const eraseFilesFirst = database.dialect === "sqlite" ? deps.files?.eraseStored : undefined;

  function destroyed(reason: GoneStatus) {
    metrics.sharesDestroyed.inc({ reason });
    deps.onDestroyed?.(reason);
  }

  const reveal = createReveal({
    database,
    transact: destroying,
    repo,
    people,
    recipients: recipientsRepo,
    clock,
    metrics,
    mail: deps.mail,
    files: deps.files,
    destroyed,
    lockAfter: eraseFilesFirst && ((lock) => lockWithFiles(lock, { destroying, eraseFilesFirst })),
  });

  async function expireNow(row: ShareRow): Promise<void> {
    if (row.chunks_stored > 0) await eraseFilesFirst?.(row.id);
    const done = await destroying((trx) =>
      repo.destroyShare(trx, { id: row.id, reason: "expired", at: row.expires_at }),
    );
    if (done) destroyed("expired");
  }

  /** Messages not yet sent would carry a dead link, and the link secret: drop them. */
  async function dropQueuedMail(trx: Kysely<Database>, shareIds: string[]) {
    for (const shareId of shareIds) await deps.mail?.cancelForShare?.(trx, shareId);
  }

  /** What goes with every delete: its recipients' links, queued mail, the access-log entry. */
  async function afterDelete(
    trx: Kysely<Database>,
    id: string,
    at: number,
    viewer: Viewer,
    type: "deleted" | "revoked" = "deleted",
  ) {
    const links = await repo.destroyLinksOf(trx, { parentId: id, reason: "deleted", at });
    await dropQueuedMail(trx, [id, ...links]);
    await repo.addEvent(trx, {
      shareId: id,
      type,
      at,
      ip: viewer.ip,
      userId: viewer.userId,
    });
  }

  /**
   * Destroys a live share (or one recipient's link: `revoked`) on request, with its access-log
   * entry; 410 if it went meanwhile.
   */
  async function deleteNow(
    id: string,
    viewer: Viewer,
    reason: "deleted" | "revoked" = "deleted",
  ): Promise<void> {
    await eraseFilesFirst?.(id);
    const now = clock.now();
    const done = await destroying(async (trx) => {
      if (!(await repo.destroyShare(trx, { id, reason, at: now }))) return false;
      await afterDelete(trx, id, now, viewer, reason);
      return true;
    });
    if (!done) {
      const after = await repo.findShare(database.db, id);
      throw goneError(
        after && after.status !== "active" ? after.status : "deleted",
        after?.gone_at ?? now,
      );
    }
    destroyed(reason);
  }

  /**
   * A link holder's delete (X-View-Token) under the reveal's rule: one conditional statement
   * destroys the share only for someone who could open it now; otherwise the refusal is explained
   * exactly as a reveal's, and a wrong verifier takes a password attempt.
   */
  async function deleteAsLinkHolder(id: string, tokens: LinkTokens, viewer: Viewer) {
    const req = { ...linkHolderRequest(id, tokens, viewer, clock.now()), forDelete: true };
    // Files first (see eraseFilesFirst), once the same rule says this holder may destroy it now.
    if (
      eraseFilesFirst &&
      (await repo.linkHolderMayDestroyFiles(database.db, { ...req, viewerId: viewer.userId }))
    ) {
      return deleteNow(id, viewer);
    }
    const outcome = await destroying(async (trx) => {
      if (await repo.destroyForLinkHolder(trx, { ...req, viewerId: viewer.userId })) {
        await afterDelete(trx, id, req.now, viewer);
        return { ok: true as const };
      }
      return reveal.explainRefusal(trx, req);
    });
    if (!outcome.ok) return reveal.refused(outcome);
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

  const recipientLinks = createRecipientLinks({
    database,
    managedBy,
    deleteNow,
    transact,
    clock,
    people,
    mail: deps.mail,
    mailLimits: deps.mailLimits,
    publicUrl: deps.publicUrl,
  });
  const emailCodes = createEmailCodes({
    database,
    transact,
    clock,
    mail: deps.mail,
    destroyed,
  });
  const deliveries = deliveryListener(database, clock);
  const create = createCreate({ ...deps, people, transact });

  return {
    deliveries,

    create,

    /** Public metadata (shares.metadata.ts): the answer, or its promise. */
    metadata: createMetadata({
      database,
      clock,
      branding: deps.branding,
      people,
      expireNow: (row) => expireNow(row),
    }),

    reveal: reveal.reveal,

    /** E-mails a code to the address of a recipient's link that needs one (issue 19). */
    sendEmailCode: (id: string, viewToken: string) => emailCodes.send(id, viewToken),

    /** The organization's shares for its members, newest first, with a status as people read it. */
    async list(
      orgId: string,
      page: { cursor?: string | undefined; limit: number },
      filters: Omit<listRepo.ShareFilters, "now"> = {},
    ) {
      const after = page.cursor ? decodeCursor(page.cursor) : null;
      const rows = await listRepo.listOrgShares(database.db, {
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
      const linkIds = [...recipients.values()]
        .flat()
        .flatMap((rc) => (rc.link ? [rc.link.id] : []));
      const lastViews = await recipientsRepo.lastViewsOf(database.db, linkIds);
      const now = clock.now();
      const items = shown.map((r) =>
        presentListItem(r, recipients.get(r.id) ?? [], now, lastViews),
      );
      const last = rows.length > page.limit ? rows[page.limit - 1] : undefined;
      return { items, nextCursor: last ? encodeCursor(last.created_at, last.id) : null };
    },

    /**
     * "Delete all expired" of an organization: an admin's removes all, a member's their own.
     * Answers the ids too, for the audit log (the route answers only the count).
     */
    async deleteExpired(orgId: string, member: { userId: string; admin: boolean }) {
      const scope = { orgId, creatorId: member.admin ? null : member.userId, now: clock.now() };
      if (eraseFilesFirst) {
        for (const id of await listRepo.expiredWithChunks(database.db, scope))
          await eraseFilesFirst(id);
      }
      const ids = await writeStatement(database, (db) => listRepo.deleteExpired(db, scope), {
        destroys: true,
      });
      if (ids.length > 0) deps.onDestroyed?.();
      return { deleted: ids.length, ids };
    },

    async events(id: string, user: Member) {
      const share = await managedBy(id, user);
      return presentAccessLog(await listRepo.listEvents(database.db, share, clock.now()));
    },

    revokeRecipient: recipientLinks.revoke,
    resendToRecipient: recipientLinks.resend,

    /**
     * Inside an organization's or an account's deletion (issue 25): destroys every live share of
     * it, recipients' links included, and drops their queued mail as a single delete does.
     */
    async destroyAllOf(
      trx: Kysely<Database>,
      args: ({ orgId: string } | { creatorId: string }) & { at: number },
    ) {
      const ids = await repo.destroyAllOf(trx, args);
      await dropQueuedMail(trx, ids);
      return ids.length;
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
        emailCode?: string | undefined;
      },
      viewer: Viewer,
    ) {
      const { manageToken, viewToken, verifier, emailCode } = tokens;
      if (manageToken !== undefined) {
        const row = await repo.findShare(database.db, id);
        if (row && safeEqual(row.manage_token_hash, hashToken(manageToken))) {
          if (row.status !== "active") throw goneError(row.status, row.gone_at);
          return deleteNow(id, viewer);
        }
      }
      if (viewToken !== undefined) {
        return deleteAsLinkHolder(id, { viewToken, verifier, emailCode }, viewer);
      }
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
