/**
 * A share's public metadata: what the link's page needs before Reveal (GET /api/v1/shares/{id}).
 *
 * The read most links make, an anonymous share's own link while it is live, needs nothing but
 * the share's row, and only some of its columns (METADATA_COLUMNS). On SQLite those can be read
 * at once (db/direct-sqlite.ts), and then the answer is made without a promise: this read made a
 * dozen, each an allocation and a microtask
 * (and, while the audit context was an AsyncLocalStorage, Node's promise hooks too) (issue 24).
 * Every other case (an organization's share, a recipient's link, a restricted one, one gone or
 * past its expiry, a read that must wait for a group commit) takes the asynchronous way, as before.
 */
import type { Clock } from "../../clock.js";
import type { DatabaseHandle } from "../../db/database.js";
import { GoneError } from "../../errors.js";
import type { People } from "../../lib/people.js";
import type { BrandingService } from "../branding/branding.service.js";
import { maskEmail } from "./email-codes.js";
import * as recipientsRepo from "./recipients.repository.js";
import { goneError, notFoundError } from "./shares.errors.js";
import { presentMetadata } from "./shares.presenter.js";
import * as repo from "./shares.repository.js";
import type { MetadataRow, ShareRow } from "./shares.repository.js";

export interface MetadataDeps {
  database: Pick<DatabaseHandle, "db">;
  clock: Clock;
  branding?: Pick<BrandingService, "forPublic"> | undefined;
  people: People;
  /** Destroys a live share found past its expiry (and counts it). */
  expireNow: (row: ShareRow) => Promise<void>;
}

type Branding = Awaited<ReturnType<BrandingService["forPublic"]>>;

interface Extras {
  branding: Branding;
  orgName: string | undefined;
  recipient: Awaited<ReturnType<typeof recipientsRepo.recipientOfLink>>;
  sender: Awaited<ReturnType<People["senderOf"]>>;
  viewerAllowed: boolean | undefined;
}

const PLAIN: Extras = {
  branding: null,
  orgName: undefined,
  recipient: undefined,
  sender: undefined,
  viewerAllowed: undefined,
};

/** The answer, from the row and what was looked up for it. */
function answer(row: MetadataRow, extras: Extras) {
  const { branding, orgName, recipient, sender, viewerAllowed } = extras;
  return {
    ...presentMetadata(row, { branding, orgName }),
    ...(recipient ? { maskedEmail: maskEmail(recipient.email) } : {}),
    ...(row.email_code_required ? { requiresEmailCode: true as const } : {}),
    // A creator who has left the organization is no longer named on its behalf.
    ...(sender
      ? { sender: { name: sender.name?.trim() || sender.email, orgName: sender.orgName } }
      : {}),
    ...(viewerAllowed !== undefined ? { viewerAllowed } : {}),
  };
}
export type ShareMetadataAnswer = ReturnType<typeof answer>;

/** A live share of no organization, opened by its own link, for anyone: the row says it all. */
function plain(row: MetadataRow, now: number): boolean {
  return (
    row.status === "active" &&
    !row.links_per_recipient &&
    row.expires_at > now &&
    row.org_id === null &&
    row.access !== "organization" &&
    !row.restrict_to_recipients &&
    row.parent_id === null
  );
}

export function createMetadata(deps: MetadataDeps) {
  const { database, clock, people } = deps;

  /**
   * Reads a share for a public answer (or takes the row already read). A live share found past
   * its expiry is destroyed on the spot, so reads never depend on the sweeper having run.
   */
  async function loadLive(id: string, read?: { row: ShareRow | undefined }): Promise<ShareRow> {
    const row = read ? read.row : await repo.findShare(database.db, id);
    // A share with a link per recipient has no link of its own: its id opens nothing (F14).
    if (!row || row.links_per_recipient) throw notFoundError();
    if (row.status !== "active") throw goneError(row.status, row.gone_at);
    if (row.expires_at <= clock.now()) {
      await deps.expireNow(row);
      throw goneError("expired", row.expires_at);
    }
    return row;
  }

  async function lookedUp(
    id: string,
    viewerUserId: string | null,
    read?: { row: ShareRow | undefined },
  ): Promise<ShareMetadataAnswer> {
    let row: ShareRow;
    try {
      row = await loadLive(id, read);
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
    const viewerAllowed = !restricted
      ? undefined
      : viewerUserId === null
        ? false
        : (row.access !== "organization" ||
            (await people.isMember(database.db, row.org_id, viewerUserId))) &&
          (!row.restrict_to_recipients ||
            (await recipientsRepo.isRecipient(database.db, row.id, viewerUserId)));
    // A recipient's own link says whose it is, masked, and whether it needs a code (issue 19).
    const recipient =
      row.parent_id !== null
        ? await recipientsRepo.recipientOfLink(database.db, row.id)
        : undefined;
    return answer(row, { branding, orgName, recipient, sender, viewerAllowed });
  }

  /**
   * `viewerUserId`: the signed-in caller, told whether they may reveal a restricted share. The
   * answer itself where the row says it all and could be read at once, else its promise.
   */
  return function metadata(
    id: string,
    viewerUserId: string | null = null,
  ): ShareMetadataAnswer | Promise<ShareMetadataAnswer> {
    const read = repo.findMetadataNow(database.db, id);
    if (read?.row && plain(read.row, clock.now())) return answer(read.row, PLAIN);
    // No such share is answered from this read; any other row is read whole, the way it always was.
    return lookedUp(id, viewerUserId, read && !read.row ? { row: undefined } : undefined);
  };
}
