/**
 * SQL for shares, and nothing else. Each state change is a single conditional statement, so
 * concurrent requests on any number of instances cannot consume more than a share allows.
 * Every function takes the Kysely instance to run on: the app's, or a transaction's.
 */
import { sql, type Insertable, type Kysely, type Selectable } from "kysely";

import type {
  Database,
  ShareEventsTable,
  SharesTable,
  ShareStatus,
  StoredShareEventType,
} from "../../db/schema.js";
import { compiledOnce } from "../../db/compiled-query.js";
import { newTimeOrderedId } from "../../lib/tokens.js";
import { viewAllowed, type ViewRequest } from "./shares.views.repository.js";

type Db = Kysely<Database>;
export type ShareRow = Selectable<SharesTable>;
export type GoneStatus = Exclude<ShareStatus, "active">;
const GONE_STATUSES: GoneStatus[] = ["viewed", "expired", "deleted", "locked", "revoked"];

// The queries of every create, metadata read and reveal are compiled once per shape of their
// arguments (db/compiled-query.ts).
// No RETURNING: the count of rows written tells a collision as well (0 on both dialects), and on
// SQLite a RETURNING clause gathers its rows and makes a row object per create (issue 24:
// 0.89x SQLite CPU per INSERT without it).
const insertShareQuery = compiledOnce((db: Db, share: Insertable<SharesTable>) =>
  db
    .insertInto("shares")
    .values(share)
    .onConflict((oc) => oc.column("id").doNothing()),
);

/** Inserts unless the id exists (live or tombstone); false on a collision. */
export async function insertShare(db: Db, share: Insertable<SharesTable>): Promise<boolean> {
  const { numAffectedRows } = await insertShareQuery(db, share);
  return numAffectedRows !== undefined && numAffectedRows > 0n;
}

const findShareQuery = compiledOnce((db: Db, args: { id: string }) =>
  db.selectFrom("shares").selectAll().where("id", "=", args.id),
);

export async function findShare(db: Db, id: string): Promise<ShareRow | undefined> {
  return (await findShareQuery(db, { id })).rows[0];
}

/**
 * The columns a metadata answer reads (shares.metadata.ts: whether the row says it all, and the
 * answer made from it). Not `selectAll`: the row's other columns (the ciphertext among them) were
 * read into JS strings on every metadata read for nothing (issue 24).
 */
export const METADATA_COLUMNS = [
  "id",
  "status",
  "access",
  "org_id",
  "parent_id",
  "links_per_recipient",
  "restrict_to_recipients",
  "expires_at",
  "verifier_hash",
  "kdf_m",
  "kdf_t",
  "kdf_p",
  "max_views",
  "view_count",
  "chunks_total",
  "chunks_stored",
  "email_code_required",
] as const satisfies readonly (keyof ShareRow)[];
export type MetadataRow = Pick<ShareRow, (typeof METADATA_COLUMNS)[number]>;

const findMetadataQuery = compiledOnce((db: Db, args: { id: string }) =>
  db.selectFrom("shares").select(METADATA_COLUMNS).where("id", "=", args.id),
);

/**
 * A share's metadata columns now, without a promise, where SQLite can answer at once (`{ row }`,
 * the row undefined when there is none); undefined where the read must wait (then use findShare).
 */
export function findMetadataNow(db: Db, id: string): { row: MetadataRow | undefined } | undefined {
  const rows = findMetadataQuery.now(db, { id });
  return rows && { row: rows[0] };
}

/** Consuming a view: the condition, the UPDATE, PostgreSQL's one-statement reveal. */
export {
  consumeView,
  consumeViewNow,
  revealInOneStatement,
  type ViewRequest,
} from "./shares.views.repository.js";

/** The reveal takes its code try as part of this repository (see shares.reveal.ts). */
export { takeEmailCodeTry } from "./email-codes.repository.js";

/** Takes one password attempt from a live share; returns what is left, or undefined if none was. */
export async function takePasswordAttempt(db: Db, id: string, now: number) {
  const row = await db
    .updateTable("shares")
    .set((eb) => ({ password_attempts_left: eb("password_attempts_left", "-", 1) }))
    .where("id", "=", id)
    .where("status", "=", "active")
    .where("expires_at", ">", now)
    .where("password_attempts_left", ">", 0)
    .returning("password_attempts_left")
    .executeTakeFirst();
  return row?.password_attempts_left ?? undefined;
}

/** What a tombstone no longer holds: the content and everything that would open it. */
const ERASED = {
  ciphertext: null,
  iv: null,
  view_token_hash: null,
  verifier_hash: null,
  kdf_m: null,
  kdf_t: null,
  kdf_p: null,
  email_code_hash: null,
} as const;

/**
 * Turns a live share into a tombstone: content and token hashes are erased in the same
 * statement that records why. Only a live share changes, so the first reason wins.
 */
export async function destroyShare(
  db: Db,
  args: { id: string; reason: GoneStatus; at: number },
): Promise<boolean> {
  const result = await db
    .updateTable("shares")
    .set({ status: args.reason, gone_at: args.at, ...ERASED })
    .where("id", "=", args.id)
    .where("status", "=", "active")
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Destroys the live recipient links of a share (F14) with the share itself, in one statement;
 * returns their ids so their queued mail can be dropped.
 */
export async function destroyLinksOf(
  db: Db,
  args: { parentId: string; reason: GoneStatus; at: number },
): Promise<string[]> {
  const rows = await db
    .updateTable("shares")
    .set({ status: args.reason, gone_at: args.at, ...ERASED })
    .where("parent_id", "=", args.parentId)
    .where("status", "=", "active")
    .returning("id")
    .execute();
  return rows.map((r) => r.id);
}

/**
 * A link holder's delete (X-View-Token): destroys the share if, and only if, this holder could
 * reveal it now (viewAllowed: token, organization, recipients, password), in one statement.
 */
export async function destroyForLinkHolder(db: Db, args: ViewRequest): Promise<boolean> {
  const result = await db
    .updateTable("shares")
    .set({ status: "deleted", gone_at: args.now, ...ERASED })
    .where(viewAllowed(args))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Whether destroyForLinkHolder would destroy this share, one with files, now: read only, so that
 * its files can be erased first (shares.service.ts, eraseFilesFirst).
 */
export async function linkHolderMayDestroyFiles(db: Db, args: ViewRequest): Promise<boolean> {
  const row = await db
    .selectFrom("shares")
    .select("id")
    .where(viewAllowed(args))
    .where("chunks_total", ">", 0)
    .executeTakeFirst();
  return row !== undefined;
}

/** What the index shares_live_expiry holds: a live share's expiry, NULL for a tombstone. */
const liveExpiry = sql<number | null>`case when status = 'active' then expires_at end`;

/**
 * Destroys up to `batch` live shares whose expiry has passed, recording each one's expiry as the
 * time it went. PostgreSQL skips rows another instance has locked, so concurrent sweepers split
 * the work; SQLite has one writer at a time anyway. Returns the ids destroyed. The access log's
 * "expired" entry is the tombstone itself (see listEvents).
 */
export async function expireBatch(
  db: Db,
  args: { now: number; batch: number; dialect: "sqlite" | "postgres" },
): Promise<{ id: string; orgId: string | null }[]> {
  const candidates = db
    .selectFrom("shares")
    .select("id")
    // The expression of the index shares_live_expiry, word for word, so both planners use it
    // (a lookup by id never states it, so never reads every live share through it). Bounded on
    // both sides: without statistics PostgreSQL estimates a one-sided range at a third of the
    // table and would rather scan the table, from its start at every batch; a two-sided range it
    // estimates at 0.5%, as it did the old index's `status = ? AND expires_at <= ?`.
    .where(liveExpiry, ">=", 0)
    .where(liveExpiry, "<=", args.now)
    .limit(args.batch)
    .$if(args.dialect === "postgres", (qb) => qb.forUpdate().skipLocked());
  const rows = await db
    .updateTable("shares")
    .set((eb) => ({ status: "expired" as const, gone_at: eb.ref("expires_at"), ...ERASED }))
    .where("id", "in", candidates)
    // PostgreSQL re-checks the row after SKIP LOCKED, so the outer condition guards concurrent
    // sweepers. SQLite holds the write lock (BEGIN IMMEDIATE) and needs no re-check.
    .$if(args.dialect === "postgres", (qb) => qb.where("status", "=", "active"))
    .returning(["id", "org_id"])
    .execute();
  return rows.map((r) => ({ id: r.id, orgId: r.org_id }));
}

/**
 * Of the shares expireBatch takes next (the same first `batch` of the index's range), those with
 * files: their stored chunks are erased first (shares.sweeper.ts).
 */
export async function dueWithFiles(
  db: Db,
  args: { now: number; batch: number },
): Promise<string[]> {
  const rows = await db
    .selectFrom("shares")
    .select(["id", "chunks_stored"])
    .where(liveExpiry, ">=", 0)
    .where(liveExpiry, "<=", args.now)
    .limit(args.batch)
    .execute();
  return rows.flatMap((r) => (r.chunks_stored > 0 ? [r.id] : []));
}

/** Deletes up to `batch` tombstones whose original expiry is at or before `before`. */
export async function pruneTombstones(
  db: Db,
  args: { before: number; batch: number },
): Promise<number> {
  const result = await db
    .deleteFrom("shares")
    .where(
      "id",
      "in",
      db
        .selectFrom("shares")
        .select("id")
        // The very term of the partial index of tombstones (shares_gone_expires), so both
        // planners use it: SQLite does not derive it from an IN list of the other statuses.
        // Two-sided, as in expireBatch, for PostgreSQL's estimate without statistics.
        .where("status", "<>", "active")
        .where("expires_at", ">=", 0)
        .where("expires_at", "<=", args.before)
        .limit(args.batch),
    )
    .where("status", "in", GONE_STATUSES)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export interface ShareEvent {
  shareId: string;
  type: StoredShareEventType;
  at: number;
  ip: string | null;
  userId?: string | null;
}

const eventRow = (event: ShareEvent): Insertable<ShareEventsTable> => ({
  id: newTimeOrderedId(),
  share_id: event.shareId,
  type: event.type,
  at: event.at,
  ip: event.ip,
  user_id: event.userId ?? null,
});

/**
 * Whether anyone may ever read a share's access log: its creator, or its organization's admins
 * (shares.service.ts, managedBy). A share with neither (anonymous) keeps no entries: the viewers'
 * addresses would be stored for nobody (data minimisation; docs/SPEC.md).
 */
export const hasLogReader = (share: { creator_id: string | null; org_id: string | null }) =>
  share.creator_id !== null || share.org_id !== null;

/**
 * Logs an event of a share that has a log reader (hasLogReader), in one statement that reads the
 * share's owner itself: nothing is written for an anonymous share.
 */
export async function addEvent(db: Db, event: ShareEvent): Promise<void> {
  await addReadableEventQuery(db, eventRow(event));
}

/**
 * Logs an event at once, without a promise, where the statement may run straight on SQLite
 * (inside a group commit's write); false where it did not run and must be awaited (then use
 * addEvent). Unconditional: the caller has the share's row and checked hasLogReader.
 */
export function addEventNow(db: Db, event: ShareEvent): boolean {
  return addEventQuery.now(db, eventRow(event)) !== undefined;
}

const addEventQuery = compiledOnce((db: Db, event: Insertable<ShareEventsTable>) =>
  db.insertInto("share_events").values(event),
);

// The values are cast since an INSERT ... SELECT gives PostgreSQL no column to type them by.
const addReadableEventQuery = compiledOnce((db: Db, event: Insertable<ShareEventsTable>) =>
  db
    .insertInto("share_events")
    .columns(["id", "share_id", "type", "at", "ip", "user_id"])
    .expression(
      db
        .selectFrom("shares")
        .select([
          sql<string>`cast(${event.id} as varchar(64))`.as("id"),
          "shares.id as share_id",
          sql<string>`cast(${event.type} as varchar(32))`.as("type"),
          sql<number>`cast(${event.at} as bigint)`.as("at"),
          sql<string | null>`cast(${event.ip} as varchar(64))`.as("ip"),
          sql<string | null>`cast(${event.user_id} as varchar(64))`.as("user_id"),
        ])
        .where("shares.id", "=", event.share_id)
        .where((eb) =>
          eb.or([eb("shares.creator_id", "is not", null), eb("shares.org_id", "is not", null)]),
        ),
    ),
);

/**
 * Destroys every live share of an organization, or created by one account, as deleting each
 * would (issue 25: an organization or an account deleted), recipients' links included (they
 * carry the share's organization and creator). Returns their ids so their queued mail can be
 * dropped. The blobs sweeper then removes their files; the tombstones tell link holders the
 * share was deleted.
 */
export async function destroyAllOf(
  db: Db,
  args: ({ orgId: string } | { creatorId: string }) & { at: number },
): Promise<string[]> {
  const q = db
    .updateTable("shares")
    .set({ status: "deleted", gone_at: args.at, ...ERASED })
    .where("status", "=", "active");
  const rows = await (
    "orgId" in args
      ? q.where("org_id", "=", args.orgId)
      : q.where("creator_id", "=", args.creatorId)
  )
    .returning("id")
    .execute();
  return rows.map((r) => r.id);
}
