/** The audit log's SQL (features/audit): entries, and each organization's chain end. */
import { sql, type Kysely } from "kysely";

import { AUDIT_GENESIS } from "@hushlink/protocol";

import type { Dialect } from "../../db/database.js";
import type { AuditEntriesTable, Database } from "../../db/schema.js";

type Db = Kysely<Database>;

export type EntryRow = AuditEntriesTable;

/**
 * The chain end of an organization, created at the genesis if it has none, and on PostgreSQL
 * locked until the transaction ends: appends of one organization take turns on this row, on any
 * number of instances. (On SQLite the write transaction already holds the database's write lock.)
 * Null when the organization does not exist (deleted since the event).
 */
export async function lockHead(db: Db, dialect: Dialect, orgId: string) {
  const select = () => {
    const query = db.selectFrom("audit_heads").select(["seq", "hash"]).where("org_id", "=", orgId);
    return (dialect === "postgres" ? query.forUpdate() : query).executeTakeFirst();
  };
  const found = await select();
  if (found) return found;
  // The organization's first entry: make its chain end (two first entries at once: one insert
  // wins, the other waits for it and then does nothing), then lock it like any other time.
  await db
    .insertInto("audit_heads")
    .columns(["org_id", "seq", "hash"])
    .expression((eb) =>
      eb
        .selectFrom("orgs")
        .select(["orgs.id", sql<number>`0`.as("seq"), sql<string>`${AUDIT_GENESIS}`.as("hash")])
        .where("orgs.id", "=", orgId),
    )
    .onConflict((oc) => oc.column("org_id").doNothing())
    .execute();
  return (await select()) ?? null;
}

export async function append(db: Db, row: EntryRow): Promise<void> {
  await db.insertInto("audit_entries").values(row).execute();
  await db
    .updateTable("audit_heads")
    .set({ seq: row.seq, hash: row.hash })
    .where("org_id", "=", row.org_id)
    .execute();
}

/** A page of entries in chain order, from `afterSeq` on, within [since, until). */
export async function page(
  db: Db,
  args: {
    orgId: string;
    afterSeq: number;
    since: number | null;
    until: number | null;
    limit: number;
  },
): Promise<EntryRow[]> {
  let query = db
    .selectFrom("audit_entries")
    .selectAll()
    .where("org_id", "=", args.orgId)
    .where("seq", ">", args.afterSeq);
  if (args.since !== null) query = query.where("at", ">=", args.since);
  if (args.until !== null) query = query.where("at", "<", args.until);
  return query.orderBy("seq").limit(args.limit).execute();
}

/** A page of entries newest first, filtered, for the Audit tab (seq below `beforeSeq`). */
export async function filtered(
  db: Db,
  args: {
    orgId: string;
    beforeSeq: number | null;
    type: string | undefined;
    actorId: string | undefined;
    since: number | null;
    until: number | null;
    limit: number;
  },
): Promise<EntryRow[]> {
  let query = db.selectFrom("audit_entries").selectAll().where("org_id", "=", args.orgId);
  if (args.beforeSeq !== null) query = query.where("seq", "<", args.beforeSeq);
  if (args.type !== undefined) query = query.where("type", "=", args.type);
  if (args.actorId !== undefined) query = query.where("actor_id", "=", args.actorId);
  if (args.since !== null) query = query.where("at", ">=", args.since);
  if (args.until !== null) query = query.where("at", "<", args.until);
  return query.orderBy("seq", "desc").limit(args.limit).execute();
}

/** Organizations whose log holds an entry older than `before`: pruning's work list. */
export async function orgsWithEntriesBefore(db: Db, before: number): Promise<string[]> {
  const rows = await db
    .selectFrom("audit_entries")
    .select("org_id")
    .where("at", "<", before)
    .groupBy("org_id")
    .execute();
  return rows.map((r) => r.org_id);
}

/**
 * Removes an organization's entries older than `before`, as a prefix of the chain (up to the
 * last entry that old), and records the last removed entry's seq and hash on the chain end, so
 * the first entry kept still links to something on record. Run with the head locked.
 */
export async function prunePrefix(db: Db, orgId: string, before: number): Promise<number> {
  const last = await db
    .selectFrom("audit_entries")
    .select(["seq", "hash"])
    .where("org_id", "=", orgId)
    .where("at", "<", before)
    .orderBy("seq", "desc")
    .limit(1)
    .executeTakeFirst();
  if (!last) return 0;
  const removed = await db
    .deleteFrom("audit_entries")
    .where("org_id", "=", orgId)
    .where("seq", "<=", last.seq)
    .executeTakeFirst();
  await db
    .updateTable("audit_heads")
    .set({ cut_seq: last.seq, cut_hash: last.hash })
    .where("org_id", "=", orgId)
    .execute();
  return Number(removed.numDeletedRows);
}

export async function head(db: Db, orgId: string) {
  return db
    .selectFrom("audit_heads")
    .select(["seq", "hash", "cut_seq", "cut_hash"])
    .where("org_id", "=", orgId)
    .executeTakeFirst();
}
