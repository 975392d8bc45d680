/**
 * Expiry clean-up for pending sign-ins (the five minutes between a right password and the
 * second factor) and for passkey challenges nobody answered, called from each sweep (jobs/sweeper.ts). An expired one is already refused by
 * its own WHERE (second-factor.repository.ts); the sweep only keeps the table from growing with
 * sign-ins nobody finished. One DELETE guarded by the expiry, so many instances may sweep at once.
 */
import type { DatabaseHandle } from "../../db/database.js";
import { sweepChallenges } from "./passkeys.repository.js";
import { sweepPending } from "./second-factor.repository.js";

/** Returns how many expired pending sign-ins (and passkey challenges) were deleted. */
export async function sweepPendingSignIns(
  database: Pick<DatabaseHandle, "db">,
  now: number,
): Promise<number> {
  return (await sweepPending(database.db, now)) + (await sweepChallenges(database.db, now));
}
