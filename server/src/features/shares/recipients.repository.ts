/** SQL for a share's e-mail recipients and their delivery state, and nothing else. */
import type { Kysely } from "kysely";

import type { Database, DeliveryState, ShareStatus } from "../../db/schema.js";
import { newId } from "../../lib/tokens.js";

type Db = Kysely<Database>;

/** Records a recipient as queued; returns the id its outbox message refers to. */
export async function insertRecipient(
  db: Db,
  args: { shareId: string; email: string; now: number; linkId?: string },
): Promise<string> {
  const id = newId();
  await db
    .insertInto("share_recipients")
    .values({
      id,
      share_id: args.shareId,
      email: args.email,
      created_at: args.now,
      updated_at: args.now,
      link_id: args.linkId ?? null,
    })
    .execute();
  return id;
}

export async function markDelivery(db: Db, recipientId: string, state: DeliveryState, now: number) {
  await db
    .updateTable("share_recipients")
    .set({ delivery: state, updated_at: now })
    .where("id", "=", recipientId)
    .execute();
}

export interface RecipientRow {
  id: string;
  email: string;
  delivery: DeliveryState;
  /** Only for a recipient with a link of their own (F14): the link's state. */
  link: {
    id: string;
    status: ShareStatus;
    viewCount: number;
    maxViews: number | null;
    expiresAt: number;
  } | null;
}

/** The recipients of each share, by address, with their own links' state, for the list. */
export async function recipientsOf(db: Db, shareIds: string[]) {
  const byShare = new Map<string, RecipientRow[]>();
  if (shareIds.length === 0) return byShare;
  const rows = await db
    .selectFrom("share_recipients")
    .leftJoin("shares as link", "link.id", "share_recipients.link_id")
    .select([
      "share_recipients.id",
      "share_recipients.share_id",
      "share_recipients.email",
      "share_recipients.delivery",
      "link.id as link_id",
      "link.status as link_status",
      "link.view_count as link_view_count",
      "link.max_views as link_max_views",
      "link.expires_at as link_expires_at",
    ])
    .where("share_recipients.share_id", "in", shareIds)
    .orderBy("share_recipients.email")
    .execute();
  for (const r of rows) {
    const list = byShare.get(r.share_id) ?? [];
    list.push({
      id: r.id,
      email: r.email,
      delivery: r.delivery,
      link:
        r.link_id !== null && r.link_status !== null
          ? {
              id: r.link_id,
              status: r.link_status,
              viewCount: r.link_view_count ?? 0,
              maxViews: r.link_max_views,
              expiresAt: r.link_expires_at ?? 0,
            }
          : null,
    });
    byShare.set(r.share_id, list);
  }
  return byShare;
}

/** The newest reveal of each link: when, from where, and by whom if signed in. */
export async function lastViewsOf(db: Db, linkIds: string[]) {
  const last = new Map<string, { at: number; ip: string | null; email: string | null }>();
  if (linkIds.length === 0) return last;
  const rows = await db
    .selectFrom("share_events")
    .leftJoin("users", "users.id", "share_events.user_id")
    .select(["share_events.share_id", "share_events.at", "share_events.ip", "users.email"])
    .where("share_events.share_id", "in", linkIds)
    .where("share_events.type", "=", "revealed")
    .orderBy("share_events.at")
    .orderBy("share_events.id")
    .execute();
  for (const r of rows) last.set(r.share_id, { at: r.at, ip: r.ip, email: r.email });
  return last;
}

/** One recipient of a share, with the link of their own if they have one. */
export async function findRecipient(db: Db, shareId: string, recipientId: string) {
  return db
    .selectFrom("share_recipients")
    .select(["id", "email", "delivery", "link_id"])
    .where("share_id", "=", shareId)
    .where("id", "=", recipientId)
    .executeTakeFirst();
}

/** The recipient a link was made for (F14), if it is one. */
export async function recipientOfLink(db: Db, linkId: string) {
  return db
    .selectFrom("share_recipients")
    .select(["id", "email", "share_id"])
    .where("link_id", "=", linkId)
    .executeTakeFirst();
}

/** Whether `userId` signs in with one of the addresses a share was sent to. */
export async function isRecipient(db: Db, shareId: string, userId: string): Promise<boolean> {
  // A listed address opens only while its account is a member of the share's organization
  // (the same rule as viewAllowed): recipients are members only (F3).
  const row = await db
    .selectFrom("share_recipients")
    .innerJoin("users", "users.email", "share_recipients.email")
    .innerJoin("memberships", "memberships.user_id", "users.id")
    .innerJoin("shares", "shares.id", "share_recipients.share_id")
    .select("share_recipients.id")
    .whereRef("memberships.org_id", "=", "shares.org_id")
    .where((eb) =>
      eb.or([
        eb("share_recipients.share_id", "=", shareId),
        eb("share_recipients.link_id", "=", shareId),
      ]),
    )
    .where("users.id", "=", userId)
    .executeTakeFirst();
  return row !== undefined;
}
