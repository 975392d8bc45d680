/**
 * The rules for a share's e-mail recipients (SPEC F3, F9, §3 "E-mail delivery needs the link").
 * The link secret reaches the server only here, only inside outbox entries sealed with the root
 * key, and leaves with them when the message is handed to SMTP. SQL: recipients.repository.ts.
 */
import type { Kysely } from "kysely";

import { deriveLinkKeys, shareLink } from "@hushlink/protocol";

import type { Database } from "../../db/schema.js";
import { BadRequestError } from "../../errors.js";
import type { Clock } from "../../clock.js";
import type { DatabaseHandle } from "../../db/database.js";
import type { DeliveryListener, MailQueue } from "../../lib/mail-queue.js";
import type { People } from "../../lib/people.js";
import * as recipients from "./recipients.repository.js";

export interface RecipientsInput {
  recipients: string[];
  allowExternal: boolean;
  hasPassword: boolean;
  linkSecret: string | undefined;
  shareId: string;
}

/** Checks that need no database; throws the 400 the API promises. */
export async function checkRecipients(
  input: RecipientsInput,
  mail: MailQueue | undefined,
): Promise<void> {
  if (input.recipients.length === 0) {
    if (input.linkSecret !== undefined) {
      // Never accept a link secret that would not be used: the server should not see it at all.
      throw new BadRequestError(
        "invalid_request",
        "delivery.linkSecret is only sent together with recipients.",
      );
    }
    return;
  }
  if (!mail?.canDeliverShares) {
    throw new BadRequestError(
      "email_not_configured",
      "E-mail is not configured on this server, so links cannot be e-mailed.",
    );
  }
  if (input.allowExternal && !input.hasPassword) {
    throw new BadRequestError(
      "password_required",
      "A password is required when the link goes to external recipients.",
    );
  }
  if (input.linkSecret === undefined) {
    throw new BadRequestError(
      "link_secret_required",
      "E-mailing the link needs delivery.linkSecret.",
    );
  }
  // The secret must be the one behind this share, or recipients would get a dead link.
  if ((await deriveLinkKeys(input.linkSecret)).id !== input.shareId) {
    throw new BadRequestError(
      "invalid_link_secret",
      "delivery.linkSecret does not belong to this share.",
    );
  }
}

/** Without external recipients every address must be a member of the organization. */
export async function checkMembers(
  db: Kysely<Database>,
  people: Pick<People, "membersAmong">,
  orgId: string,
  emails: string[],
): Promise<void> {
  const members = await people.membersAmong(db, orgId, emails);
  const outsider = emails.find((e) => !members.has(e));
  if (outsider !== undefined) {
    throw new BadRequestError(
      "recipient_not_member",
      `${outsider} is not a member of your organization. Allow external recipients to send it there.`,
      { email: outsider },
    );
  }
}

/** One recipient's delivery: the link secret to mail, and the recipient's own link if any (F14). */
export interface Delivery {
  email: string;
  linkSecret: string;
  linkId?: string;
}

/** What every delivery mail of a share says besides its link. */
export interface DeliveryMailData {
  /** The sender and the share's organization: the mail's language when the recipient's is unknown. */
  language: { causedBy: string | null; orgId: string | null };
  orgName: string | undefined;
  senderName: string | undefined;
  expiresAt: number;
  maxViews: number | null;
  passwordProtected: boolean;
}

/**
 * Puts one sealed message in the outbox for a recipient row. The message belongs to the link it
 * carries (the recipient's own, or the share's), so destroying that link drops it.
 */
export async function enqueueDelivery(
  db: Kysely<Database>,
  mail: MailQueue,
  args: DeliveryMailData & {
    publicUrl: string;
    recipientId: string;
    delivery: Delivery;
    shareId: string;
  },
): Promise<void> {
  await mail.enqueue(db, {
    kind: "share_delivery",
    to: args.delivery.email,
    language: args.language,
    shareId: args.delivery.linkId ?? args.shareId,
    ref: args.recipientId,
    data: {
      linkUrl: shareLink(args.publicUrl, args.delivery.linkSecret),
      ...(args.orgName ? { orgName: args.orgName } : {}),
      ...(args.senderName ? { senderName: args.senderName } : {}),
      expiresAt: new Date(args.expiresAt).toISOString(),
      maxViews: args.maxViews,
      passwordProtected: args.passwordProtected,
    },
  });
}

/** Records each recipient as queued and puts one sealed message per recipient in the outbox. */
export async function queueDeliveries(
  db: Kysely<Database>,
  mail: MailQueue,
  args: DeliveryMailData & {
    shareId: string;
    deliveries: Delivery[];
    publicUrl: string;
    now: number;
  },
): Promise<void> {
  for (const delivery of args.deliveries) {
    const recipientId = await recipients.insertRecipient(db, {
      shareId: args.shareId,
      email: delivery.email,
      now: args.now,
      ...(delivery.linkId ? { linkId: delivery.linkId } : {}),
    });
    await enqueueDelivery(db, mail, { ...args, recipientId, delivery });
  }
}

/** Delivery state per recipient follows the outbox (SPEC F5: recipients with delivery state). */
export function deliveryListener(
  database: Pick<DatabaseHandle, "db">,
  clock: Clock,
): DeliveryListener {
  const record =
    (state: "sent" | "failed") =>
    async (event: { kind: string; ref: string | null }): Promise<void> => {
      if (event.kind === "share_delivery" && event.ref)
        await recipients.markDelivery(database.db, event.ref, state, clock.now());
    };
  return { delivered: record("sent"), failed: record("failed") };
}
