/**
 * Expiry clean-up for secret requests, called from each sweep (jobs/sweeper.ts).
 * An expired request is deleted with its value at once: no grace, no tombstone, because nothing
 * about it is shown after expiry (the sender's page answers 404, the dashboard list omits it).
 * Safe on many instances at once: candidates are taken with FOR UPDATE SKIP LOCKED on PostgreSQL,
 * and every delete repeats its condition. Small transactions keep submissions flowing.
 */
import { writeTransaction, type DatabaseHandle } from "../../db/database.js";
import { eraseExpiredRequestFiles } from "../blobs/owner-files.erase.js";
import * as repo from "./requests.repository.js";

const BATCH = 1000;
/** An audit trail outlives its request by this long, then the sweeper prunes it. */
export const EVENTS_KEEP_MS = 30 * 24 * 3600 * 1000;

/** Returns how many requests (with their values) were destroyed. */
export async function sweepRequests(
  database: Pick<DatabaseHandle, "db" | "dialect">,
  now: number,
  batch = BATCH,
): Promise<number> {
  let destroyed = 0;
  // SQLite: answers' chunks with bytes in main's rows first, one per write, so each delete below
  // fits the disk reserve on a full disk (blobs/owner-files.erase.ts).
  await eraseExpiredRequestFiles(database, now);
  for (;;) {
    // A destruction: on SQLite it may use the disk reserve's room (db/disk-reserve.ts).
    const n = await writeTransaction(
      database,
      async (trx) => {
        const rows = await repo.deleteExpiredBatch(trx, { now, batch, dialect: database.dialect });
        await repo.addEvents(
          trx,
          rows.map((r) => ({
            requestId: r.id,
            type: "expired" as const,
            at: r.expires_at,
            ip: null,
          })),
        );
        return rows.length;
      },
      { destroys: true },
    );
    destroyed += n;
    if (n < batch) break;
  }
  for (;;) {
    const n = await repo.pruneEvents(database.db, { before: now - EVENTS_KEEP_MS, batch });
    if (n < batch) break;
  }
  return destroyed;
}
