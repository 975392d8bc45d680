/**
 * SQL for consuming a view of a share (part of shares.repository.ts, which re-exports it): the one
 * condition that decides whether a view may be taken, the conditional UPDATE that takes it, and
 * PostgreSQL's whole reveal in one statement. Each is a single statement, so concurrent reveals on
 * any number of instances cannot take more views than a share allows.
 */
import { sql, type ExpressionBuilder, type Kysely } from "kysely";

import type { Database, ShareStatus, StoredShareEventType } from "../../db/schema.js";
import { compiledOnce } from "../../db/compiled-query.js";

type Db = Kysely<Database>;

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
export function viewAllowed(args: ViewRequest) {
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
      // Recipient-only shares: the viewer must be signed in as a listed recipient who is still a
      // member of the share's organization (members only, F3: a removed member opens nothing).
      args.viewerId === null
        ? eb("shares.restrict_to_recipients", "=", 0)
        : eb.or([
            eb("shares.restrict_to_recipients", "=", 0),
            eb.exists(
              eb
                .selectFrom("share_recipients")
                .innerJoin("users", "users.email", "share_recipients.email")
                .innerJoin("memberships", "memberships.user_id", "users.id")
                .select("share_recipients.id")
                .whereRef("memberships.org_id", "=", "shares.org_id")
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
 * consumeView at once, without a promise, where the statement may run straight on SQLite (inside
 * a group commit's write: compiled-query.ts's `now`): `{ row }`, the row undefined when no view
 * was taken; undefined where it must be awaited (then use consumeView).
 */
export function consumeViewNow(db: Db, args: ViewRequest) {
  const rows = consumeViewQuery.now(db, viewRequest(args));
  return rows && { row: rows[0] };
}

/**
 * PostgreSQL only: a whole reveal in one statement, one round trip. Consumes the view
 * (viewAllowed), destroys the content when that was the last view, and logs the reveal (a share
 * with a log reader); a single
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
          .returning(["id", "max_views", "view_count", "org_id", "creator_id"]),
      )
      .with("logged", (qb) =>
        qb
          .insertInto("share_events")
          .columns(["id", "share_id", "type", "at", "ip", "user_id"])
          .expression((eb) =>
            eb
              .selectFrom("consumed")
              // Only a share with a log reader (hasLogReader): an anonymous one keeps no entry.
              .where((w) =>
                w.or([
                  w("consumed.creator_id", "is not", null),
                  w("consumed.org_id", "is not", null),
                ]),
              )
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
