/**
 * Expiry clean-up for pending sign-ins (the five minutes between a right password and the
 * second factor), called from each sweep (jobs/sweeper.ts). An expired one is already refused by
 * its own WHERE (second-factor.repository.ts); the sweep only keeps the table from growing with
 * sign-ins nobody finished. One DELETE guarded by the expiry, so many instances may sweep at once.
 */
import type { DatabaseHandle } from "../../db/database.js";
import { sweepPending } from "./second-factor.repository.js";

/** Returns how many expired pending sign-ins were deleted. */
export function sweepPendingSignIns(
  database: Pick<DatabaseHandle, "db">,
  now: number,
): Promise<number> {
  return sweepPending(database.db, now);
}
