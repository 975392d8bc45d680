/**
 * SQL for a link's e-mailed codes (issue 19): issuing one within the send limits, and taking a
 * try from it. Each is one conditional UPDATE on the share's row, so concurrent requests on any
 * instance cannot send or try more than the limits allow.
 */
import { sql, type Kysely } from "kysely";

import type { Database } from "../../db/schema.js";

type Db = Kysely<Database>;

/**
 * Takes one try from the link's live code (issue 19), if it is still the code `codeHash` names
 * and unexpired; returns the tries left, or undefined if there was no try to take.
 */
export async function takeEmailCodeTry(
  db: Db,
  args: { id: string; codeHash: string; now: number },
) {
  const row = await db
    .updateTable("shares")
    .set((eb) => ({ email_code_tries_left: eb("email_code_tries_left", "-", 1) }))
    .where("id", "=", args.id)
    .where("status", "=", "active")
    .where("email_code_hash", "=", args.codeHash)
    .where("email_code_expires_at", ">", args.now)
    .where("email_code_tries_left", ">", 0)
    .returning("email_code_tries_left")
    .executeTakeFirst();
  return row?.email_code_tries_left ?? undefined;
}

/**
 * Stores a new code for a live link that requires one, if the link's send limits allow it (one
 * a minute, `perHour` an hour in a window starting at the first send): one conditional UPDATE,
 * so concurrent requests on any instance send at most what the limits allow. The code replaces
 * any earlier one. Returns undefined when nothing was stored (the caller finds out why).
 */
export async function issueEmailCode(
  db: Db,
  args: {
    id: string;
    viewTokenHash: string;
    codeHash: string;
    now: number;
    ttl: number;
    tries: number;
    minInterval: number;
    window: number;
    perWindow: number;
  },
) {
  const windowOver = sql<boolean>`(email_code_window_at is null or email_code_window_at <= ${args.now - args.window})`;
  return db
    .updateTable("shares")
    .set({
      email_code_hash: args.codeHash,
      email_code_expires_at: args.now + args.ttl,
      email_code_tries_left: args.tries,
      email_code_sent_at: args.now,
      email_code_window_at: sql<number>`case when ${windowOver} then ${args.now} else email_code_window_at end`,
      email_code_window_count: sql<number>`case when ${windowOver} then 1 else email_code_window_count + 1 end`,
    })
    .where("id", "=", args.id)
    .where("status", "=", "active")
    .where("view_token_hash", "=", args.viewTokenHash)
    .where("expires_at", ">", args.now)
    .where("email_code_required", "=", 1)
    .where((eb) =>
      eb.or([
        eb("email_code_sent_at", "is", null),
        eb("email_code_sent_at", "<=", args.now - args.minInterval),
      ]),
    )
    .where((eb) =>
      eb.or([
        eb("email_code_window_at", "is", null),
        eb("email_code_window_at", "<=", args.now - args.window),
        eb("email_code_window_count", "<", args.perWindow),
      ]),
    )
    .returning(["id", "expires_at", "org_id"])
    .executeTakeFirst();
}
