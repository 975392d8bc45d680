/**
 * SQL for the outbox, and nothing else. Claiming is one conditional UPDATE that sets a lease and
 * a claim token; finishing (delete, or reschedule) only matches rows still holding that token.
 * So instances can run the worker at the same time without sending an entry twice, and one that
 * lost its lease (it stalled past it) cannot undo the work of the one that took over.
 */
import type { Insertable, Kysely, Selectable } from "kysely";

import type { Dialect } from "../../db/database.js";
import type { Database, MailOutboxTable } from "../../db/schema.js";
import { dueAndFree, heldBy } from "../../lib/outbox-lease.js";

type Db = Kysely<Database>;
export type OutboxRow = Selectable<MailOutboxTable>;

export async function insertEntry(db: Db, entry: Insertable<MailOutboxTable>): Promise<void> {
  await db.insertInto("mail_outbox").values(entry).execute();
}

/**
 * Takes up to `batch` due entries that nobody holds a live lease on, counting the attempt.
 * PostgreSQL skips rows another instance is claiming right now; the conditions are repeated on
 * the outer statement so a row changed between the two is re-checked (and SQLite, with one
 * writer at a time, needs nothing more).
 */
export async function claimDue(
  db: Db,
  args: { now: number; leaseMs: number; batch: number; claimToken: string; dialect: Dialect },
): Promise<OutboxRow[]> {
  const candidates = db
    .selectFrom("mail_outbox")
    .select("id")
    .where(dueAndFree(args.now))
    .orderBy("next_attempt_at")
    .limit(args.batch)
    .$if(args.dialect === "postgres", (qb) => qb.forUpdate().skipLocked());
  return db
    .updateTable("mail_outbox")
    .set((eb) => ({
      attempts: eb("attempts", "+", 1),
      locked_until: args.now + args.leaseMs,
      claim_token: args.claimToken,
    }))
    .where("id", "in", candidates)
    .where(dueAndFree(args.now))
    .returningAll()
    .execute();
}

/** Removes an entry this claim still holds; false when the lease was lost to another instance. */
export async function deleteClaimed(
  db: Db,
  args: { id: string; claimToken: string },
): Promise<boolean> {
  const result = await db.deleteFrom("mail_outbox").where(heldBy(args)).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Releases an entry this claim holds and schedules its next attempt. */
export async function reschedule(
  db: Db,
  args: { id: string; claimToken: string; nextAttemptAt: number; errorCode: string },
): Promise<boolean> {
  const result = await db
    .updateTable("mail_outbox")
    .set({
      next_attempt_at: args.nextAttemptAt,
      locked_until: null,
      claim_token: null,
      last_error_code: args.errorCode,
    })
    .where(heldBy(args))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Drops the entries about a share that were not handed over yet (its link dies with the share).
 * Entries being sent right now are left to finish. Returns what was dropped, for delivery state.
 */
export async function deleteForShare(
  db: Db,
  args: { shareId: string; now: number },
): Promise<Pick<OutboxRow, "id" | "kind" | "ref" | "share_id">[]> {
  return db
    .deleteFrom("mail_outbox")
    .where("share_id", "=", args.shareId)
    .where((eb) => eb.or([eb("locked_until", "is", null), eb("locked_until", "<", args.now)]))
    .returning(["id", "kind", "ref", "share_id"])
    .execute();
}

export async function countEntries(db: Db): Promise<number> {
  const row = await db
    .selectFrom("mail_outbox")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
