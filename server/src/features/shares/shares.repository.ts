/**
 * SQL for shares, and nothing else. Each state change is a single conditional statement, so
 * concurrent requests on any number of instances cannot consume more than a share allows.
 * Every function takes the Kysely instance to run on: the app's, or a transaction's.
 */
import { sql, type ExpressionBuilder, type Insertable, type Kysely, type Selectable } from "kysely";

import type {
  Database,
  ShareEventsTable,
  SharesTable,
  ShareStatus,
  StoredShareEventType,
} from "../../db/schema.js";
import { compiledOnce } from "../../db/compiled-query.js";
import { newTimeOrderedId } from "../../lib/tokens.js";

type Db = Kysely<Database>;
export type ShareRow = Selectable<SharesTable>;
export type GoneStatus = Exclude<ShareStatus, "active">;
const GONE_STATUSES: GoneStatus[] = ["viewed", "expired", "deleted", "locked", "revoked"];

// The queries of every create, metadata read and reveal are compiled once per shape of their
// arguments (db/compiled-query.ts).
const insertShareQuery = compiledOnce((db: Db, share: Insertable<SharesTable>) =>
  db
    .insertInto("shares")
    .values(share)
    .onConflict((oc) => oc.column("id").doNothing())
    .returning("id"),
);

/** Inserts unless the id exists (live or tombstone); false on a collision. */
export async function insertShare(db: Db, share: Insertable<SharesTable>): Promise<boolean> {
  const { rows } = await insertShareQuery(db, share);
  return rows.length > 0;
}

const findShareQuery = compiledOnce((db: Db, args: { id: string }) =>
  db.selectFrom("shares").selectAll().where("id", "=", args.id),
);

export async function findShare(db: Db, id: string): Promise<ShareRow | undefined> {
  return (await findShareQuery(db, { id })).rows[0];
}

export interface ViewRequest {
  id: string;
  viewTokenHash: string;
  verifierHash: string | null;
  /** emailCodeHash(id, code) of the e-mailed code sent, or null (issue 19). */
  emailCodeHash: string | null;
  /** spentEmailCodeHash(id, code) of the same code: what a reveal leaves of it. */
  spentCodeHash: string | null;
  /** A delete: a code that already opened a view still counts (the holder read it with it). */
  forDelete?: boolean;
  now: number;
  viewerId: string | null;
}

/**
 * When a view may be consumed: the token matches, the share is live, unexpired, has views left,
 * the viewer may open it (organization, recipients) and the verifier, when the share has one,
 * matches. One condition, so a single UPDATE decides it.
 */
function viewAllowed(args: ViewRequest) {
  return (eb: ExpressionBuilder<Database, "shares">) =>
    eb.and([
      eb("shares.id", "=", args.id),
      eb("shares.status", "=", "active"),
      eb("shares.view_token_hash", "=", args.viewTokenHash),
      eb("shares.expires_at", ">", args.now),
      // A share with files opens once every chunk has arrived (SPEC §3.1).
      eb("shares.chunks_stored", ">=", eb.ref("shares.chunks_total")),
      eb.or([
        eb("shares.max_views", "is", null),
        eb("shares.view_count", "<", eb.ref("shares.max_views")),
      ]),
      // Recipient-only shares: the viewer must be signed in as a listed recipient.
      args.viewerId === null
        ? eb("shares.restrict_to_recipients", "=", 0)
        : eb.or([
            eb("shares.restrict_to_recipients", "=", 0),
            eb.exists(
              eb
                .selectFrom("share_recipients")
                .innerJoin("users", "users.email", "share_recipients.email")
                .select("share_recipients.id")
                // A recipient's own link (F14) is for that recipient alone.
                .where((r) =>
                  r.or([
                    r("share_recipients.share_id", "=", r.ref("shares.id")),
                    r("share_recipients.link_id", "=", r.ref("shares.id")),
                  ]),
                )
                .where("users.id", "=", args.viewerId),
            ),
          ]),
      // Organization-only shares: the viewer's membership is checked by the same statement.
      args.viewerId === null
        ? eb("shares.access", "=", "anyone")
        : eb.or([
            eb("shares.access", "=", "anyone"),
            eb.exists(
              eb
                .selectFrom("memberships")
                .select("memberships.user_id")
                .whereRef("memberships.org_id", "=", "shares.org_id")
                .where("memberships.user_id", "=", args.viewerId),
            ),
          ]),
      args.verifierHash === null
        ? eb("shares.verifier_hash", "is", null)
        : eb.or([
            eb("shares.verifier_hash", "is", null),
            eb("shares.verifier_hash", "=", args.verifierHash),
          ]),
      // A link bound to an external address: the live code e-mailed to it (issue 19), in the
      // same condition as the view count, so one right code opens one view however many race.
      args.emailCodeHash === null
        ? eb("shares.email_code_required", "=", 0)
        : eb.or([
            eb("shares.email_code_required", "=", 0),
            eb.and([
              args.forDelete && args.spentCodeHash !== null
                ? eb("shares.email_code_hash", "in", [args.emailCodeHash, args.spentCodeHash])
                : eb("shares.email_code_hash", "=", args.emailCodeHash),
              eb("shares.email_code_expires_at", ">", args.now),
              eb("shares.email_code_tries_left", ">", 0),
            ]),
          ]),
    ]);
}

/** The code of a link that needs one, as a consumed view leaves it: spent (null otherwise). */
const spent = (args: ViewRequest) =>
  sql<string | null>`case when email_code_required = 1 then ${args.spentCodeHash} else null end`;

/** The fields of a view request alone (callers pass objects with more in them). */
const viewRequest = (args: ViewRequest): ViewRequest => ({
  id: args.id,
  viewTokenHash: args.viewTokenHash,
  verifierHash: args.verifierHash,
  emailCodeHash: args.emailCodeHash,
  spentCodeHash: args.spentCodeHash,
  forDelete: args.forDelete,
  now: args.now,
  viewerId: args.viewerId,
});

const consumeViewQuery = compiledOnce((db: Db, args: ViewRequest) =>
  db
    .updateTable("shares")
    // A code opens one view: the next needs a new one. It is kept as spent, for a delete.
    .set((eb) => ({ view_count: eb("view_count", "+", 1), email_code_hash: spent(args) }))
    .where(viewAllowed(args))
    .returning([
      "ciphertext",
      "iv",
      "max_views",
      "view_count",
      "creator_id",
      "notify_on_view",
      "name",
      "blob_count",
      "expires_at",
      "org_id",
      "parent_id",
    ]),
);

/** Consumes one view if, and only if, viewAllowed; returns the content as it was. */
export async function consumeView(db: Db, args: ViewRequest) {
  return (await consumeViewQuery(db, viewRequest(args))).rows[0];
}

/**
 * PostgreSQL only: a whole reveal in one statement, one round trip. Consumes the view
 * (viewAllowed), destroys the content when that was the last view, and logs the reveal; a single
 * statement is atomic, so no transaction is needed. The content comes from the statement's
 * snapshot ("before"): content only ever changes to NULL, together with the status, so when the
 * UPDATE matched a live share (re-checked on its newest version under concurrent reveals), the
 * snapshot's content is the share's content. Shares that ask for a notification are left to the
 * transaction (the message is queued with the reveal), as is every refusal, which needs to be
 * explained: both return undefined here.
 */
export async function revealInOneStatement(
  db: Db,
  args: ViewRequest & { ip: string | null; eventId: string },
) {
  const flat = { ...viewRequest(args), ip: args.ip, eventId: args.eventId };
  return (await revealInOneStatementQuery(db, flat)).rows[0];
}

const revealInOneStatementQuery = compiledOnce(
  (db: Db, args: ViewRequest & { ip: string | null; eventId: string }) => {
    const lastView = sql<boolean>`max_views is not null and view_count + 1 >= max_views`;
    const unlessLast = (column: string) =>
      sql<never>`case when ${lastView} then null else ${sql.ref(column)} end`;
    return db
      .with("before", (qb) =>
        qb.selectFrom("shares").select(["ciphertext", "iv"]).where("id", "=", args.id),
      )
      .with("consumed", (qb) =>
        qb
          .updateTable("shares")
          .set((eb) => ({
            view_count: eb("view_count", "+", 1),
            status: sql<ShareStatus>`case when ${lastView} then 'viewed' else status end`,
            gone_at: sql<number>`case when ${lastView} then ${args.now}::bigint else gone_at end`,
            ciphertext: unlessLast("ciphertext"),
            iv: unlessLast("iv"),
            view_token_hash: unlessLast("view_token_hash"),
            verifier_hash: unlessLast("verifier_hash"),
            kdf_m: unlessLast("kdf_m"),
            kdf_t: unlessLast("kdf_t"),
            kdf_p: unlessLast("kdf_p"),
            email_code_hash: sql<
              string | null
            >`case when ${lastView} then null else ${spent(args)} end`,
          }))
          .where(viewAllowed(args))
          .where("notify_on_view", "=", 0)
          // A share with files also grants a download window: the transaction does that.
          .where("blob_count", "=", 0)
          .returning(["id", "max_views", "view_count", "org_id"]),
      )
      .with("logged", (qb) =>
        qb
          .insertInto("share_events")
          .columns(["id", "share_id", "type", "at", "ip", "user_id"])
          .expression((eb) =>
            eb
              .selectFrom("consumed")
              .select([
                sql<string>`${args.eventId}::varchar`.as("id"),
                "consumed.id as share_id",
                sql<StoredShareEventType>`'revealed'`.as("type"),
                sql<number>`${args.now}::bigint`.as("at"),
                sql<string | null>`${args.ip}::varchar`.as("ip"),
                sql<string | null>`${args.viewerId}::varchar`.as("user_id"),
              ]),
          ),
      )
      .selectFrom(["consumed", "before"])
      .select([
        "before.ciphertext",
        "before.iv",
        "consumed.max_views",
        "consumed.view_count",
        "consumed.org_id",
      ]);
  },
);

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
    .where("status", "=", "active")
    .where("expires_at", "<=", args.now)
    .limit(args.batch)
    .$if(args.dialect === "postgres", (qb) => qb.forUpdate().skipLocked());
  const rows = await db
    .updateTable("shares")
    .set((eb) => ({ status: "expired" as const, gone_at: eb.ref("expires_at"), ...ERASED }))
    .where("id", "in", candidates)
    // PostgreSQL re-checks the row after SKIP LOCKED, so the outer condition guards concurrent
    // sweepers. SQLite holds the write lock (BEGIN IMMEDIATE) and needs no re-check; there the
    // outer term would make the planner walk the status index for every batch: quadratic.
    .$if(args.dialect === "postgres", (qb) => qb.where("status", "=", "active"))
    .returning(["id", "org_id"])
    .execute();
  return rows.map((r) => ({ id: r.id, orgId: r.org_id }));
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
        // An IN list, not "!= 'active'", so the (status, expires_at) index is used.
        .where("status", "in", GONE_STATUSES)
        .where("expires_at", "<=", args.before)
        .limit(args.batch),
    )
    .where("status", "in", GONE_STATUSES)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function addEvent(
  db: Db,
  event: {
    shareId: string;
    type: StoredShareEventType;
    at: number;
    ip: string | null;
    userId?: string | null;
  },
): Promise<void> {
  await addEventQuery(db, {
    id: newTimeOrderedId(),
    share_id: event.shareId,
    type: event.type,
    at: event.at,
    ip: event.ip,
    user_id: event.userId ?? null,
  });
}

const addEventQuery = compiledOnce((db: Db, event: Insertable<ShareEventsTable>) =>
  db.insertInto("share_events").values(event),
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
