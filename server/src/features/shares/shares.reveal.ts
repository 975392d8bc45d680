/**
 * The reveal (SPEC §3): consume first, in one conditional statement; only when that matched
 * nothing, find out why. A wrong view token answers exactly as an unknown id. On PostgreSQL the
 * common case (consume, log, destroy after the last view) is a single statement and round trip.
 *
 * The explanation of a refusal is shared with the link holder's delete (X-View-Token), which
 * follows the same rule: who may open a share may destroy it, and nobody else.
 */
import type { Kysely } from "kysely";

import type { Clock } from "../../clock.js";
import type { DatabaseHandle, Transact } from "../../db/database.js";
import type { Database } from "../../db/schema.js";
import { ForbiddenError, UnauthorizedError, type AppError } from "../../errors.js";
import { oneLine, type MailQueue } from "../../lib/mail-queue.js";
import { newTimeOrderedId, safeEqual } from "../../lib/tokens.js";
import type { Metrics } from "../../plugins/metrics.js";
import type { People } from "../../lib/people.js";
import type { BlobsService } from "../blobs/blobs.service.js";
import type * as recipientsRepository from "./recipients.repository.js";
import { goneError, notFoundError } from "./shares.errors.js";
import { hasLogReader } from "./shares.repository.js";
import type * as sharesRepository from "./shares.repository.js";
import type { GoneStatus } from "./shares.repository.js";
import {
  linkHolderRequest,
  type LinkHolderRequest,
  type LinkTokens,
  type Refusal,
  type Viewer,
} from "./shares.link-holder.js";
import type { LockAfter } from "./shares.lock.js";

type Db = Kysely<Database>;

/**
 * The organization of the share each reveal answer came from, read by the audit log without
 * another query on the hot path (the reveal statements return it) and without putting it in the
 * answer, which goes to the link holder as it is.
 */
const revealedIn = new WeakMap<object, string | null>();

/** The organization of the share a reveal answered for; undefined for any other object. */
export function orgOfRevealed(answer: object): string | null | undefined {
  return revealedIn.get(answer);
}

export type RevealRepository = Pick<
  typeof sharesRepository,
  | "consumeView"
  | "revealInOneStatement"
  | "findShare"
  | "destroyShare"
  | "takePasswordAttempt"
  | "takeEmailCodeTry"
  | "addEvent"
> &
  Partial<Pick<typeof sharesRepository, "consumeViewNow" | "addEventNow">>;

export interface RevealDeps {
  database: Pick<DatabaseHandle, "db" | "dialect">;
  transact: Transact;
  repo: RevealRepository;
  people: Pick<People, "isMember" | "managerEmailOf">;
  recipients: Pick<typeof recipientsRepository, "isRecipient" | "recipientOfLink">;
  clock: Clock;
  metrics: Pick<Metrics, "sharesRevealed" | "wrongPasswords">;
  mail?: MailQueue | undefined;
  /** Counts a destroyed share (and lets SQLite checkpoint soon). */
  destroyed(reason: GoneStatus): void;
  /** Files (SPEC §3.1): a reveal of a share with files grants a download window. */
  files?: Pick<BlobsService, "grantDownload" | "uploadIncomplete"> | undefined;
  /** SQLite: locks a share with stored chunks after the attempt's commit (shares.lock.ts). */
  lockAfter?: ((lock: LockAfter) => Promise<boolean>) | undefined;
}

export function viewsRemaining(row: { max_views: number | null; view_count: number }) {
  return row.max_views === null ? null : Math.max(0, row.max_views - row.view_count);
}

const noUsableCode = () =>
  new ForbiddenError(
    "email_code_expired",
    "There is no usable code for this link (it expired, was used, or had too many wrong tries): ask for a new one.",
  );

export function createReveal(deps: RevealDeps) {
  const { database, transact, repo, people, clock, metrics } = deps;

  /**
   * Why a link holder's request that matched nothing was refused, in the order the API promises:
   * unknown or gone, wrong token, expired (destroyed on the spot), organization, recipients,
   * e-mailed code, password. A wrong verifier takes one password attempt and may lock the share;
   * a wrong code takes one try of that code. The code comes before the password, so someone
   * without the recipient's mailbox cannot use up the password attempts.
   */
  async function explainRefusal(trx: Db, req: LinkHolderRequest): Promise<Refusal> {
    const { id, now, viewer } = req;
    const refuse = (error: AppError, destroyed: GoneStatus | null = null): Refusal => ({
      ok: false,
      error,
      destroyed,
    });
    const row = await repo.findShare(trx, id);
    if (!row) return refuse(notFoundError());
    if (row.status !== "active") return refuse(goneError(row.status, row.gone_at));
    if (!safeEqual(row.view_token_hash, req.viewTokenHash)) return refuse(notFoundError());
    if (row.expires_at <= now) {
      await repo.destroyShare(trx, { id, reason: "expired", at: row.expires_at });
      return refuse(goneError("expired", row.expires_at), "expired");
    }
    if (row.chunks_stored < row.chunks_total && deps.files) {
      return refuse(deps.files.uploadIncomplete());
    }
    // Signed out: sign in first (401). Signed in as someone else: not for you (403).
    const accessRefused = (signIn: string, otherPeople: string) =>
      refuse(
        viewer.userId === null
          ? new UnauthorizedError("login_required", signIn)
          : new ForbiddenError("not_allowed", otherPeople),
      );
    // Checked before the password, so an outsider cannot burn the attempt budget.
    if (
      row.access === "organization" &&
      !(viewer.userId !== null && (await people.isMember(trx, row.org_id, viewer.userId)))
    ) {
      return accessRefused(
        "Sign in with your organization account to open this secret.",
        "Only members of the sender's organization can open this secret.",
      );
    }
    if (
      row.restrict_to_recipients &&
      !(viewer.userId !== null && (await deps.recipients.isRecipient(trx, id, viewer.userId)))
    ) {
      return accessRefused(
        "Sign in with the address this secret was sent to.",
        "This secret was sent to other people.",
      );
    }
    // A code that opened a view opens no other, but still lets its holder delete the link.
    const spentCode = safeEqual(row.email_code_hash, req.spentCodeHash);
    if (row.email_code_required && spentCode && !req.forDelete) return refuse(noUsableCode());
    if (
      row.email_code_required &&
      !safeEqual(row.email_code_hash, req.emailCodeHash) &&
      !spentCode
    ) {
      return wrongEmailCode(trx, row, req);
    }
    if (
      row.email_code_required &&
      ((row.email_code_expires_at ?? 0) <= now || (row.email_code_tries_left ?? 0) <= 0)
    ) {
      return refuse(noUsableCode());
    }
    if (row.verifier_hash !== null && !safeEqual(row.verifier_hash, req.verifierHash)) {
      if (req.verifierHash === null) {
        return refuse(
          new ForbiddenError("password_required", "This secret is protected by a password.", {
            attemptsRemaining: row.password_attempts_left ?? 0,
          }),
        );
      }
      const left = await repo.takePasswordAttempt(trx, id, now);
      const event = { shareId: id, at: now, ip: viewer.ip, userId: viewer.userId };
      // Stored chunks go first, one per write, after this commit: a lock that erased them in its
      // statement would not fit the disk reserve on a full disk (shares.lock.ts).
      const later = deps.lockAfter && row.chunks_stored > 0 && (left ?? 0) <= 0;
      if (left === undefined) {
        // Another request used the last attempt a moment ago.
        if (later)
          return {
            ...refuse(goneError("locked", now)),
            lockAfter: { shareId: id, at: now, event: null },
          };
        await repo.destroyShare(trx, { id, reason: "locked", at: now });
        return refuse(goneError("locked", now));
      }
      await repo.addEvent(trx, { ...event, type: "wrong_password" });
      let lockedNow: GoneStatus | null = null;
      if (
        !later &&
        left <= 0 &&
        (await repo.destroyShare(trx, { id, reason: "locked", at: now }))
      ) {
        await repo.addEvent(trx, { ...event, type: "locked" });
        lockedNow = "locked";
      }
      return {
        ...(later ? { lockAfter: { shareId: id, at: now, event } } : {}),
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
    return refuse(goneError("viewed", row.gone_at ?? now));
  }

  /** A code missing, or not the link's live one; a wrong guess at a live code takes a try. */
  async function wrongEmailCode(
    trx: Db,
    row: { email_code_hash: string | null },
    req: LinkHolderRequest,
  ): Promise<Refusal> {
    const refuse = (error: AppError): Refusal => ({ ok: false, error, destroyed: null });
    if (req.emailCodeHash === null) {
      return refuse(
        new ForbiddenError(
          "email_code_required",
          "This link needs a code e-mailed to the address it was sent to.",
        ),
      );
    }
    if (row.email_code_hash === null) return refuse(noUsableCode());
    const { id, now, viewer } = req;
    const left = await repo.takeEmailCodeTry(trx, { id, codeHash: row.email_code_hash, now });
    if (left === undefined) return refuse(noUsableCode());
    await repo.addEvent(trx, {
      shareId: id,
      type: "wrong_email_code",
      at: now,
      ip: viewer.ip,
      userId: viewer.userId,
    });
    return refuse(
      new ForbiddenError(
        "wrong_email_code",
        left > 0
          ? `Wrong code. ${left} ${left === 1 ? "try" : "tries"} left for this code.`
          : "Wrong code. This code no longer works: ask for a new one.",
        { attemptsRemaining: left },
      ),
    );
  }

  /** Counts what a refusal did and throws its error. */
  async function refused(refusal: Refusal): Promise<never> {
    if (refusal.lockAfter && (await deps.lockAfter?.(refusal.lockAfter))) deps.destroyed("locked");
    if (refusal.destroyed) deps.destroyed(refusal.destroyed);
    if (refusal.wrongPassword) metrics.wrongPasswords.inc();
    throw refusal.error;
  }

  type Files = Awaited<ReturnType<BlobsService["grantDownload"]>>;
  /** What a reveal answered, and the organization of the share it revealed (for the audit log). */
  const answered = <T extends object>(answer: T, orgId: string | null): T => {
    revealedIn.set(answer, orgId);
    return answer;
  };

  type Revealed = {
    ciphertext: string;
    iv: string;
    viewsRemaining: number | null;
    files?: Files | null;
  };

  /** The view consumed, logged, the content destroyed after the last view, in one transaction. */
  async function consumeAndLog(
    trx: Db,
    req: LinkHolderRequest,
  ): Promise<(Revealed & { ok: true; notify: boolean; orgId: string | null }) | undefined> {
    const { id, now, viewer } = req;
    // Inside a group commit both statements run at once on SQLite (the `Now` forms), without the
    // half-dozen promises and microtask turns of their awaited forms (issue 24, fifteenth round).
    const view = { ...req, viewerId: viewer.userId };
    const consumedNow = repo.consumeViewNow?.(trx, view);
    const consumed = consumedNow ? consumedNow.row : await repo.consumeView(trx, view);
    if (!consumed || consumed.ciphertext === null || consumed.iv === null) return undefined;
    const remaining = viewsRemaining(consumed);
    const event: sharesRepository.ShareEvent = {
      shareId: id,
      type: "revealed",
      at: now,
      ip: viewer.ip,
      userId: viewer.userId,
    };
    // An anonymous share's log has no reader: not even the statement (addEvent would skip it).
    if (hasLogReader(consumed) && !repo.addEventNow?.(trx, event)) await repo.addEvent(trx, event);
    // A share with files grants this viewer a download window (SPEC §3.1).
    const files =
      consumed.blob_count > 0 && deps.files
        ? await deps.files.grantDownload(trx, {
            id,
            // A recipient's own link opens the files of its share (uploaded once, F14).
            filesOf: consumed.parent_id ?? id,
            expiresAt: consumed.expires_at,
            lastView: remaining === 0,
          })
        : null;
    // The last permitted view destroys the content in the same transaction.
    if (remaining === 0) await repo.destroyShare(trx, { id, reason: "viewed", at: now });
    let notify = false;
    if (consumed.notify_on_view && consumed.creator_id && deps.mail) {
      const to = await people.managerEmailOf(trx, consumed.creator_id, consumed.org_id);
      if (to !== undefined) {
        const shareName = consumed.name ? oneLine(consumed.name) : "";
        // A recipient's own link (F14): the receipt says whose it was.
        const recipient = (await deps.recipients.recipientOfLink(trx, id))?.email;
        await deps.mail.enqueue(trx, {
          kind: "share_viewed",
          to,
          language: { orgId: consumed.org_id },
          data: {
            ...(shareName ? { shareName } : {}),
            ...(recipient ? { recipient } : {}),
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
      files,
      notify,
      orgId: consumed.org_id,
    };
  }

  async function reveal(id: string, body: LinkTokens, viewer: Viewer): Promise<Revealed> {
    const req = linkHolderRequest(id, body, viewer, clock.now());

    if (database.dialect === "postgres") {
      const revealed = await repo.revealInOneStatement(database.db, {
        ...req,
        viewerId: viewer.userId,
        ip: viewer.ip,
        eventId: newTimeOrderedId(),
      });
      if (revealed && revealed.ciphertext !== null && revealed.iv !== null) {
        const remaining = viewsRemaining(revealed);
        if (remaining === 0) deps.destroyed("viewed");
        metrics.sharesRevealed.inc();
        return answered(
          { ciphertext: revealed.ciphertext, iv: revealed.iv, viewsRemaining: remaining },
          revealed.org_id,
        );
      }
      // Refused, or a share that notifies its creator: the transaction below decides and says why.
    }

    const outcome = await transact(
      async (trx) => (await consumeAndLog(trx, req)) ?? explainRefusal(trx, req),
    );
    if (!outcome.ok) return refused(outcome);
    if (outcome.viewsRemaining === 0) deps.destroyed("viewed");
    if (outcome.notify) deps.mail?.kick?.();
    metrics.sharesRevealed.inc();
    return answered(
      {
        ciphertext: outcome.ciphertext,
        iv: outcome.iv,
        viewsRemaining: outcome.viewsRemaining,
        ...outcome.files,
      },
      outcome.orgId,
    );
  }

  return { reveal, explainRefusal, refused };
}

export type Reveal = ReturnType<typeof createReveal>;
