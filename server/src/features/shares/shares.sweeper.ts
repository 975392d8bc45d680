/**
 * Expiry clean-up for shares, called from each sweep (jobs/sweeper.ts): destroys expired shares
 * into tombstones and prunes tombstones 30 days after their original expiry. Safe on many
 * instances at once (see expireBatch). Works in small batches so reveals keep flowing while a
 * large backlog is swept.
 */
import { writeStatement, type DatabaseHandle } from "../../db/database.js";
import * as repo from "./shares.repository.js";

/** How long a tombstone outlives the share's original expiry (it answers "gone" until then). */
export const TOMBSTONE_KEEP_MS = 30 * 24 * 3600 * 1000;

/**
 * Shares expired per statement. SQLite: small enough that a batch holds the write lock (and the
 * event loop, better-sqlite3 being synchronous) for a few ms. PostgreSQL waits on a socket, not
 * on the event loop, and locks only the rows of the batch, so larger batches mean fewer round
 * trips.
 */
const BATCH = { sqlite: 250, postgres: 1_000 } as const;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface ShareSweep {
  expired: number;
  pruned: number;
}

/** An organization's share the sweep expired, for its audit log (`share.expired`). */
export interface ExpiredOrgShare {
  id: string;
  orgId: string;
}

/**
 * One sweep of shares at `now`; `stopped` ends it early between batches (shutdown). `onExpired`
 * hears of each batch's organization shares once the batch has committed. `eraseFiles` (SQLite)
 * erases an expired share's files in the database before its batch expires it, a chunk per write
 * (blobs/share-chunks.erase.ts): an expired share opens for nobody, so nothing shows it half-erased.
 */
export async function sweepShares(
  database: Pick<DatabaseHandle, "db" | "dialect">,
  now: number,
  stopped: () => boolean = () => false,
  onExpired?: (shares: ExpiredOrgShare[]) => Promise<void>,
  eraseFiles?: (shareId: string) => Promise<unknown>,
): Promise<ShareSweep> {
  let expired = 0;
  const batch = BATCH[database.dialect];
  for (;;) {
    if (eraseFiles && database.dialect === "sqlite") {
      for (const id of await repo.dueWithFiles(database.db, { now, batch })) await eraseFiles(id);
    }
    // One UPDATE, atomic by itself: on PostgreSQL one round trip per batch. A destruction: on
    // SQLite it may use the disk reserve's room on a full disk (db/disk-reserve.ts).
    const rows = await writeStatement(
      database,
      (db) => repo.expireBatch(db, { now, batch, dialect: database.dialect }),
      { destroys: true },
    );
    expired += rows.length;
    const ofOrgs = rows.flatMap((r) => (r.orgId === null ? [] : [{ id: r.id, orgId: r.orgId }]));
    if (ofOrgs.length > 0) await onExpired?.(ofOrgs);
    if (rows.length < batch || stopped()) break;
    // better-sqlite3 is synchronous: without a real yield the batches run back to back and
    // the server answers nothing until the whole backlog is gone.
    await yieldToEventLoop();
  }
  let pruned = 0;
  for (;;) {
    const n = await repo.pruneTombstones(database.db, { before: now - TOMBSTONE_KEEP_MS, batch });
    pruned += n;
    if (n < batch || stopped()) break;
    await yieldToEventLoop();
  }
  return { expired, pruned };
}
