/**
 * SQL for what an organization's dashboard reads and clears of its shares: the filtered list, a
 * share's access log, and "Delete all expired". The share's own life (create, reveal, destroy,
 * sweep) is in shares.repository.ts. Every function takes the Kysely instance to run on.
 */
import type { ExpressionBuilder, Kysely } from "kysely";

import type { Database, ShareEventType } from "../../db/schema.js";
import { after } from "../../lib/cursor.js";
import { nameContains } from "../../lib/name-search.js";
import type { ShareRow } from "./shares.repository.js";

type Db = Kysely<Database>;

/** A page of an organization's shares, newest first; the cursor is the last row's (created_at, id). */
export interface ShareFilters {
  status?: "active" | "expired" | "viewed" | "deleted" | "locked" | undefined;
  creatorId?: string | undefined;
  name?: string | undefined;
  now: number;
}

/** "Expired" as people read it: swept into a tombstone, or past its expiry and not swept yet. */
function isExpired(eb: ExpressionBuilder<Database, "shares">, now: number) {
  return eb.or([
    eb("shares.status", "=", "expired"),
    eb.and([eb("shares.status", "=", "active"), eb("shares.expires_at", "<=", now)]),
  ]);
}

/** Whether the share has a recipient's own link (a child row) in `status`. */
function hasLink(eb: ExpressionBuilder<Database, "shares">, status: "active" | "viewed") {
  return eb.exists(
    eb
      .selectFrom("shares as link")
      .select("link.id")
      .whereRef("link.parent_id", "=", "shares.id")
      .where("link.status", "=", status),
  );
}

export async function listOrgShares(
  db: Db,
  args: {
    orgId: string;
    limit: number;
    after: { createdAt: number; id: string } | null;
    filters?: ShareFilters;
  },
) {
  let q = db
    .selectFrom("shares")
    .leftJoin("users", "users.id", "shares.creator_id")
    .select([
      "shares.id",
      "shares.name",
      "shares.access",
      "shares.created_at",
      "shares.expires_at",
      "shares.max_views",
      "shares.view_count",
      "shares.status",
      "shares.restrict_to_recipients",
      "shares.blob_count",
      "shares.blob_bytes",
      "shares.chunks_total",
      "shares.links_per_recipient",
      "users.email as creator_email",
    ])
    .where("shares.org_id", "=", args.orgId)
    // A recipient's own link is listed under its share (F14), not as a share of its own.
    .where("shares.parent_id", "is", null);
  if (args.after)
    q = q.where(after(args.after, { createdAt: "shares.created_at", id: "shares.id" }));
  const f = args.filters;
  if (f?.status === "expired") q = q.where((eb) => isExpired(eb, f.now));
  else if (f?.status === "active") {
    q = q
      .where("shares.status", "=", "active")
      .where("shares.expires_at", ">", f.now)
      // A share with a link per recipient is active while one of its links is (F14).
      .where((eb) => eb.or([eb("shares.links_per_recipient", "=", 0), hasLink(eb, "active")]));
  } else if (f?.status === "viewed") {
    // As the list reads it (presentListItem): a share whose links are all gone, one viewed.
    q = q.where((eb) =>
      eb.or([
        eb("shares.status", "=", "viewed"),
        eb.and([
          eb("shares.status", "=", "active"),
          eb("shares.expires_at", ">", f.now),
          eb("shares.links_per_recipient", "=", 1),
          eb.not(hasLink(eb, "active")),
          hasLink(eb, "viewed"),
        ]),
      ]),
    );
  } else if (f?.status) q = q.where("shares.status", "=", f.status);
  if (f?.creatorId) q = q.where("shares.creator_id", "=", f.creatorId);
  if (f?.name) q = q.where(nameContains("shares.name", f.name));
  return q
    .orderBy("shares.created_at", "desc")
    .orderBy("shares.id", "desc")
    .limit(args.limit + 1)
    .execute();
}

/**
 * A share's access log, oldest first: its "created" entry from the share row, the stored entries,
 * and "expired" from its tombstone (or from its expiry, when the sweeper has not been yet).
 */
export async function listEvents(db: Db, share: ShareRow, now: number) {
  // With a link per recipient (F14), each link's entries too, named by its recipient.
  const stored = await db
    .selectFrom("share_events")
    .leftJoin("users", "users.id", "share_events.user_id")
    .leftJoin("share_recipients", "share_recipients.link_id", "share_events.share_id")
    .select([
      "share_events.type",
      "share_events.at",
      "share_events.ip",
      "users.email",
      "share_recipients.email as recipient",
    ])
    .where((eb) =>
      eb.or([
        eb("share_events.share_id", "=", share.id),
        eb(
          "share_events.share_id",
          "in",
          eb
            .selectFrom("share_recipients as r")
            .select("r.link_id")
            .where("r.share_id", "=", share.id)
            .where("r.link_id", "is not", null),
        ),
      ]),
    )
    .orderBy("share_events.at")
    .orderBy("share_events.id")
    .execute();
  const creator =
    share.creator_id === null
      ? undefined
      : await db
          .selectFrom("users")
          .select("email")
          .where("id", "=", share.creator_id)
          .executeTakeFirst();
  type Entry = {
    type: ShareEventType;
    at: number;
    ip: string | null;
    email: string | null;
    recipient?: string | null;
  };
  const events: Entry[] = [
    { type: "created", at: share.created_at, ip: share.created_ip, email: creator?.email ?? null },
    ...stored,
  ];
  if (share.status === "expired" || (share.status === "active" && share.expires_at <= now)) {
    events.push({ type: "expired", at: share.gone_at ?? share.expires_at, ip: null, email: null });
  }
  return events;
}

/**
 * "Delete all expired": removes an organization's expired shares (tombstones, and any past expiry
 * not swept yet) in one statement; only the creator's own unless `creatorId` is null (an admin).
 * Their links then answer "does not exist" instead of "expired".
 */
export async function deleteExpired(db: Db, args: ExpiredScope): Promise<string[]> {
  const q = db.deleteFrom("shares").where((eb) => expiredIn(eb, args));
  // The ids, so each deleted share gets its audit entry (one statement still).
  return (await q.returning("shares.id").execute()).map((r) => r.id);
}

/**
 * The shares "delete all expired" will remove that still count stored chunks (past expiry, not
 * swept yet): on SQLite their chunks go first, one per write (blobs/share-chunks.erase.ts).
 */
export async function expiredWithChunks(db: Db, args: ExpiredScope): Promise<string[]> {
  const rows = await db
    .selectFrom("shares")
    .select("shares.id")
    .where((eb) => expiredIn(eb, args))
    .where("shares.chunks_stored", ">", 0)
    .execute();
  return rows.map((r) => r.id);
}

interface ExpiredScope {
  orgId: string;
  creatorId: string | null;
  now: number;
}

/** The organization's expired shares, only the creator's own unless `creatorId` is null. */
function expiredIn(eb: ExpressionBuilder<Database, "shares">, args: ExpiredScope) {
  return eb.and([
    eb("shares.org_id", "=", args.orgId),
    isExpired(eb, args.now),
    ...(args.creatorId === null ? [] : [eb("shares.creator_id", "=", args.creatorId)]),
  ]);
}
