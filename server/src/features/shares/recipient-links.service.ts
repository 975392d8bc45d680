/**
 * What a sender does to one recipient's own link (F14): revoke it alone. The link is a share row
 * of its own (recipient-links.ts), so revoking is the destroy of any share, with its own reason.
 */
import type { DatabaseHandle } from "../../db/database.js";
import { NotFoundError } from "../../errors.js";
import type { Member } from "../../lib/people.js";
import * as recipientsRepo from "./recipients.repository.js";
import type { ShareRow } from "./shares.repository.js";
import type { Viewer } from "./shares.reveal.js";

export interface RecipientLinksDeps {
  database: Pick<DatabaseHandle, "db">;
  /** The share if this member may manage it, else 404 (shares.service.ts). */
  managedBy(id: string, user: Member): Promise<ShareRow>;
  /** Destroys a live share with its log entry and unsent mail; 410 if gone (shares.service.ts). */
  deleteNow(id: string, viewer: Viewer, reason: "revoked"): Promise<void>;
}

export const recipientNotFound = () =>
  new NotFoundError(
    "recipient_not_found",
    "This share has no such recipient with a link of their own.",
  );

export function createRecipientLinks(deps: RecipientLinksDeps) {
  /** The recipient and their link (live or gone), of a share this member manages. */
  async function linkOf(id: string, recipientId: string, user: Member) {
    const share = await deps.managedBy(id, user);
    const recipient = await recipientsRepo.findRecipient(deps.database.db, share.id, recipientId);
    if (!recipient?.link_id) throw recipientNotFound();
    return { share, recipient, linkId: recipient.link_id };
  }

  return {
    linkOf,

    /** Destroys one recipient's link (tombstone `revoked`); the other links keep working. */
    revoke: async (id: string, recipientId: string, user: Member, ip: string | null) => {
      const { linkId } = await linkOf(id, recipientId, user);
      await deps.deleteNow(linkId, { ip, userId: user.id }, "revoked");
    },
  };
}
