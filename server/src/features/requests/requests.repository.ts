/**
 * SQL for secret requests, and nothing else. Fulfilment and destruction are single conditional
 * statements, so concurrent submissions on any number of instances fulfil a request once.
 * Every function takes the Kysely instance to run on: the app's, or a transaction's.
 */
import { sql, type ExpressionBuilder, type Insertable, type Kysely, type Selectable } from "kysely";

import type { Database, RequestEventType, RequestsTable } from "../../db/schema.js";
import { after } from "../../lib/cursor.js";
import { nameContains } from "../../lib/name-search.js";
import { newId } from "../../lib/tokens.js";

type Db = Kysely<Database>;
export type RequestRow = Selectable<RequestsTable>;

export async function insertRequest(db: Db, row: Insertable<RequestsTable>): Promise<void> {
  await db.insertInto("requests").values(row).execute();
}

export async function findRequest(db: Db, id: string): Promise<RequestRow | undefined> {
  return db.selectFrom("requests").selectAll().where("id", "=", id).executeTakeFirst();
}

/**
 * The request with its organization's name and who asked, for the sender's page. The requester
 * is named (their name, or their address when they gave none) only while they are still a
 * member of the request's organization, as share senders are.
 */
export async function findWithOrg(db: Db, id: string) {
  return (
    db
      .selectFrom("requests")
      // A request made without an account has no organization (SPEC F13).
      .leftJoin("orgs", "orgs.id", "requests.org_id")
      .leftJoin("memberships", (join) =>
        join
          .onRef("memberships.org_id", "=", "requests.org_id")
          .onRef("memberships.user_id", "=", "requests.requester_id"),
      )
      .leftJoin("users", "users.id", "memberships.user_id")
      .select([
        sql<string | null>`coalesce(nullif(users.name, ''), users.email)`.as("requester_name"),
        "requests.id",
        "requests.org_id",
        "requests.name",
        "requests.access",
        "requests.expires_at",
        "requests.submitted_at",
        "requests.public_key",
        "requests.chunks_stored",
        "requests.chunks_total",
        "orgs.name as org_name",
      ])
      .where("requests.id", "=", id)
      .executeTakeFirst()
  );
}

/** The access rule: anyone, or (organization) a member of the request's organization. */
function mayAnswer(eb: ExpressionBuilder<Database, "requests">, viewerId: string | null) {
  return viewerId === null
    ? eb("access", "=", "anyone")
    : eb.or([
        eb("access", "=", "anyone"),
        eb.exists(
          eb
            .selectFrom("memberships")
            .select("memberships.user_id")
            .whereRef("memberships.org_id", "=", "requests.org_id")
            .where("memberships.user_id", "=", viewerId),
        ),
      ]);
}

/**
 * Fulfils a request if, and only if, nothing was submitted yet, it has not expired, and the
 * submitter passes its access rule (organization: a member of the request's organization).
 * One statement: the first submission wins, every other matches nothing.
 */
export async function fulfil(
  db: Db,
  args: {
    id: string;
    now: number;
    viewerId: string | null;
    valueSealed: string;
    wrappedKey: string;
    keyId: string;
  },
) {
  return (
    db
      .updateTable("requests")
      .set({
        value_sealed: args.valueSealed,
        wrapped_key: args.wrappedKey,
        key_id: args.keyId,
        submitted_at: args.now,
      })
      .where("id", "=", args.id)
      .where("submitted_at", "is", null)
      .where("expires_at", ">", args.now)
      // A value in the clear never goes to an end-to-end request: the server could read it.
      .where("public_key", "is", null)
      .where((eb) => mayAnswer(eb, args.viewerId))
      .returning(["requester_id", "name", "org_id"])
      .executeTakeFirst()
  );
}

export interface AnswerFileColumns {
  blob_count: number;
  blob_bytes: number;
  chunks_total: number;
  upload_token_hash: string;
}

/**
 * Stores the answer to an end-to-end request (§3.2) under the same rule as `fulfil`: one
 * statement, the first submission wins, and only a request that has a key takes it.
 */
export async function fulfilEncrypted(
  db: Db,
  args: {
    id: string;
    now: number;
    viewerId: string | null;
    answer: { ephemeralPublicKey: string; ciphertext: string; iv: string };
    /** An answer with files (§3.1): what they count, and SHA-256 of the upload token. */
    files?: AnswerFileColumns | undefined;
  },
) {
  return db
    .updateTable("requests")
    .set({
      ephemeral_public_key: args.answer.ephemeralPublicKey,
      answer_ciphertext: args.answer.ciphertext,
      answer_iv: args.answer.iv,
      submitted_at: args.now,
      ...(args.files ?? {}),
    })
    .where("id", "=", args.id)
    .where("submitted_at", "is", null)
    .where("expires_at", ">", args.now)
    .where("public_key", "is not", null)
    .where((eb) => mayAnswer(eb, args.viewerId))
    .returning(["requester_id", "name", "org_id"])
    .executeTakeFirst();
}

/** Replaces a wrapped data key, only if it is still the one that was read (root key rotation). */
export async function replaceWrappedKey(
  db: Db,
  args: { id: string; from: string; to: string; keyId: string },
): Promise<boolean> {
  const result = await db
    .updateTable("requests")
    .set({ wrapped_key: args.to, key_id: args.keyId })
    .where("id", "=", args.id)
    .where("wrapped_key", "=", args.from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Up to `batch` fulfilled requests whose data key is not wrapped by `currentKeyId`. */
export async function listToRewrap(
  db: Db,
  args: { currentKeyId: string; batch: number; after: string | null },
) {
  return db
    .selectFrom("requests")
    .select(["id", "wrapped_key"])
    .where("key_id", "is not", null)
    .where("key_id", "!=", args.currentKeyId)
    .$if(args.after !== null, (qb) => qb.where("id", ">", args.after ?? ""))
    .orderBy("id")
    .limit(args.batch)
    .execute();
}

/** How many values each root key id still wraps (for the rotation runbook). */
export async function countByKeyId(db: Db) {
  const rows = await db
    .selectFrom("requests")
    .select(["key_id", (eb) => eb.fn.countAll<number>().as("n")])
    .where("key_id", "is not", null)
    .groupBy("key_id")
    .execute();
  return rows.map((r) => ({ keyId: r.key_id ?? "", count: Number(r.n) }));
}

/** Deletes a request with its value; true if this call deleted it. */
export async function deleteRequest(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom("requests").where("id", "=", id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Deletes one request if it has expired by `now`; returns its expiry if this call deleted it. */
export async function deleteIfExpired(db: Db, id: string, now: number) {
  return db
    .deleteFrom("requests")
    .where("id", "=", id)
    .where("expires_at", "<=", now)
    .returning("expires_at")
    .executeTakeFirst();
}

/**
 * Deletes up to `batch` expired requests with their values. PostgreSQL skips rows another
 * instance has locked, so concurrent sweepers split the work; SQLite has one writer anyway.
 */
export async function deleteExpiredBatch(
  db: Db,
  args: { now: number; batch: number; dialect: "sqlite" | "postgres" },
) {
  const candidates = db
    .selectFrom("requests")
    .select("id")
    .where("expires_at", "<=", args.now)
    .limit(args.batch)
    .$if(args.dialect === "postgres", (qb) => qb.forUpdate().skipLocked());
  return db
    .deleteFrom("requests")
    .where("id", "in", candidates)
    .where("expires_at", "<=", args.now)
    .returning(["id", "expires_at"])
    .execute();
}

/** Deletes up to `batch` events older than `before` whose request is gone. */
export async function pruneEvents(db: Db, args: { before: number; batch: number }) {
  const result = await db
    .deleteFrom("request_events")
    .where(
      "id",
      "in",
      db
        .selectFrom("request_events")
        .select("id")
        .where("at", "<=", args.before)
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom("requests")
                .select("requests.id")
                .whereRef("requests.id", "=", "request_events.request_id"),
            ),
          ),
        )
        .limit(args.batch),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function addEvents(
  db: Db,
  events: {
    requestId: string;
    type: RequestEventType;
    at: number;
    ip: string | null;
    userId?: string | null;
  }[],
): Promise<void> {
  if (events.length === 0) return;
  await db
    .insertInto("request_events")
    .values(
      events.map((e) => ({
        id: newId(),
        request_id: e.requestId,
        type: e.type,
        at: e.at,
        ip: e.ip,
        user_id: e.userId ?? null,
      })),
    )
    .execute();
}

export async function listEvents(db: Db, requestId: string) {
  return db
    .selectFrom("request_events")
    .leftJoin("users", "users.id", "request_events.user_id")
    .select(["request_events.type", "request_events.at", "request_events.ip", "users.email"])
    .where("request_events.request_id", "=", requestId)
    .orderBy("request_events.at")
    .orderBy("request_events.id")
    .execute();
}

/** A page of an organization's unexpired requests, newest first; cursor = last (created_at, id). */
export async function listOrgRequests(
  db: Db,
  args: {
    orgId: string;
    now: number;
    limit: number;
    after: { createdAt: number; id: string } | null;
    filters?: {
      status?: "open" | "fulfilled" | undefined;
      /** The requester (the list's `creator`). */
      creatorId?: string | undefined;
      name?: string | undefined;
    };
  },
) {
  let q = db
    .selectFrom("requests")
    .select([
      "id",
      "name",
      "access",
      "created_at",
      "expires_at",
      "submitted_at",
      "requester_id",
      "public_key",
      "chunks_total",
      "chunks_stored",
    ])
    .where("org_id", "=", args.orgId)
    .where("expires_at", ">", args.now);
  if (args.after) q = q.where(after(args.after, { createdAt: "created_at", id: "id" }));
  const f = args.filters;
  if (f?.status === "open") q = q.where("submitted_at", "is", null);
  if (f?.status === "fulfilled") q = q.where("submitted_at", "is not", null);
  if (f?.creatorId) q = q.where("requester_id", "=", f.creatorId);
  if (f?.name) q = q.where(nameContains("requests.name", f.name));
  return q
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(args.limit + 1)
    .execute();
}

/**
 * Deletes every request of an organization, or asked by one account, with their values and
 * their logs (issue 25: an organization or an account deleted). request_events has no foreign
 * key, so its rows go first, by hand.
 */
export async function deleteAllOf(
  db: Db,
  args: { orgId: string } | { requesterId: string },
): Promise<number> {
  const [column, value] =
    "orgId" in args
      ? (["org_id", args.orgId] as const)
      : (["requester_id", args.requesterId] as const);
  const ids = db.selectFrom("requests").select("id").where(column, "=", value);
  await db.deleteFrom("request_events").where("request_id", "in", ids).execute();
  const result = await db.deleteFrom("requests").where(column, "=", value).executeTakeFirst();
  return Number(result.numDeletedRows);
}
