/**
 * E-mail recipients of a share (SPEC F3, F9, §3 "E-mail delivery needs the link"). The link
 * secret reaches the server only here, only inside outbox entries sealed with the root key, and
 * leaves with them when the message is handed to SMTP.
 */
import type { Kysely } from "kysely";

import { deriveLinkKeys, shareLink } from "@hushlink/protocol";

import type { Database, DeliveryState } from "../../db/schema.js";
import { BadRequestError } from "../../errors.js";
import type { MailQueue } from "../../lib/mail-queue.js";
import { newId } from "../../lib/tokens.js";

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
  orgId: string,
  emails: string[],
): Promise<void> {
  const found = await db
    .selectFrom("memberships")
    .innerJoin("users", "users.id", "memberships.user_id")
    .select("users.email")
    .where("memberships.org_id", "=", orgId)
    .where("users.email", "in", emails)
    .execute();
  const members = new Set(found.map((r) => r.email));
  const outsider = emails.find((e) => !members.has(e));
  if (outsider !== undefined) {
    throw new BadRequestError(
      "recipient_not_member",
      `${outsider} is not a member of your organization. Allow external recipients to send it there.`,
      { email: outsider },
    );
  }
}

/** Records each recipient as queued and puts one sealed message per recipient in the outbox. */
export async function queueDeliveries(
  db: Kysely<Database>,
  mail: MailQueue,
  args: {
    shareId: string;
    emails: string[];
    linkSecret: string;
    publicUrl: string;
    orgName: string | undefined;
    senderName: string | undefined;
    expiresAt: number;
    maxViews: number | null;
    now: number;
  },
): Promise<void> {
  const linkUrl = shareLink(args.publicUrl, args.linkSecret);
  for (const email of args.emails) {
    const id = newId();
    await db
      .insertInto("share_recipients")
      .values({ id, share_id: args.shareId, email, created_at: args.now, updated_at: args.now })
      .execute();
    await mail.enqueue(db, {
      kind: "share_delivery",
      to: email,
      shareId: args.shareId,
      ref: id,
      data: {
        linkUrl,
        ...(args.orgName ? { orgName: args.orgName } : {}),
        ...(args.senderName ? { senderName: args.senderName } : {}),
        expiresAt: new Date(args.expiresAt).toISOString(),
        maxViews: args.maxViews,
      },
    });
  }
}

export async function markDelivery(
  db: Kysely<Database>,
  recipientId: string,
  state: DeliveryState,
  now: number,
) {
  await db
    .updateTable("share_recipients")
    .set({ delivery: state, updated_at: now })
    .where("id", "=", recipientId)
    .execute();
}

export async function recipientsOf(db: Kysely<Database>, shareIds: string[]) {
  if (shareIds.length === 0) return new Map<string, { email: string; delivery: DeliveryState }[]>();
  const rows = await db
    .selectFrom("share_recipients")
    .select(["share_id", "email", "delivery"])
    .where("share_id", "in", shareIds)
    .orderBy("email")
    .execute();
  const byShare = new Map<string, { email: string; delivery: DeliveryState }[]>();
  for (const r of rows) {
    const list = byShare.get(r.share_id) ?? [];
    list.push({ email: r.email, delivery: r.delivery });
    byShare.set(r.share_id, list);
  }
  return byShare;
}

export async function isRecipient(
  db: Kysely<Database>,
  shareId: string,
  userId: string,
): Promise<boolean> {
  const row = await db
    .selectFrom("share_recipients")
    .innerJoin("users", "users.email", "share_recipients.email")
    .select("share_recipients.id")
    .where("share_recipients.share_id", "=", shareId)
    .where("users.id", "=", userId)
    .executeTakeFirst();
  return row !== undefined;
}
