/**
 * What a sender does to one recipient's own link (F14): revoke it alone. The link is a share row
 * of its own (recipient-links.ts), so revoking is the destroy of any share, with its own reason.
 */
import { deriveLinkKeys } from "@hushlink/protocol";

import type { Clock } from "../../clock.js";
import type { DatabaseHandle, Transact } from "../../db/database.js";
import { BadRequestError, NotFoundError } from "../../errors.js";
import { oneLine, type MailQueue } from "../../lib/mail-queue.js";
import { takeMailQuota, type MailLimits } from "../../lib/mail-quota.js";
import type { Member, People } from "../../lib/people.js";
import * as recipientsRepo from "./recipients.repository.js";
import { enqueueDelivery } from "./recipients.rules.js";
import { goneError } from "./shares.errors.js";
import * as repo from "./shares.repository.js";
import type { ShareRow } from "./shares.repository.js";
import type { Viewer } from "./shares.link-holder.js";

export interface RecipientLinksDeps {
  database: Pick<DatabaseHandle, "db">;
  /** The share if this member may manage it, else 404 (shares.service.ts). */
  managedBy(id: string, user: Member): Promise<ShareRow>;
  /** Destroys a live share with its log entry and unsent mail; 410 if gone (shares.service.ts). */
  deleteNow(id: string, viewer: Viewer, reason: "revoked"): Promise<void>;
  transact: Transact;
  clock: Clock;
  people: Pick<People, "senderOf">;
  mail?: MailQueue | undefined;
  mailLimits?: MailLimits | undefined;
  publicUrl?: string | undefined;
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

    /**
     * Resends a recipient's e-mail, or retries a failed one (issue 25). The server kept no link
     * secret, so the sender's client supplies that recipient's link secret again; it must derive
     * the recipient's own link, which must still be live. Mail limits apply as at create.
     */
    resend: async (id: string, recipientId: string, linkSecret: string, user: Member) => {
      const { share, recipient, linkId } = await linkOf(id, recipientId, user);
      const mail = deps.mail;
      if (!mail?.canDeliverShares) {
        throw new BadRequestError(
          "email_not_configured",
          "E-mail is not configured on this server.",
        );
      }
      if ((await deriveLinkKeys(linkSecret)).id !== linkId) {
        throw new BadRequestError(
          "invalid_link_secret",
          "linkSecret does not belong to this recipient's link.",
        );
      }
      const now = deps.clock.now();
      const link = await repo.findShare(deps.database.db, linkId);
      if (!link || link.status !== "active" || link.expires_at <= now) {
        throw goneError(
          link && link.status !== "active" ? link.status : "expired",
          link?.gone_at ?? now,
        );
      }
      await deps.transact(async (trx) => {
        if (deps.mailLimits) {
          const recipients = [recipient.email];
          await takeMailQuota(trx, deps.mailLimits, { senderId: user.id, recipients, now });
        }
        const sender =
          share.creator_id && share.org_id
            ? await deps.people.senderOf(trx, { userId: share.creator_id, orgId: share.org_id })
            : undefined;
        await recipientsRepo.markDelivery(trx, recipient.id, "queued", now);
        await enqueueDelivery(trx, mail, {
          publicUrl: deps.publicUrl ?? "",
          recipientId: recipient.id,
          shareId: share.id,
          delivery: { email: recipient.email, linkSecret, linkId },
          language: { causedBy: share.creator_id, orgId: share.org_id },
          orgName: sender?.orgName ? oneLine(sender.orgName) : undefined,
          senderName: oneLine(sender?.name ?? sender?.email ?? "") || undefined,
          expiresAt: link.expires_at,
          maxViews: link.max_views,
          passwordProtected: link.verifier_hash !== null,
        });
      });
      mail.kick?.();
    },
  };
}
