/**
 * A sign-in try taken on PostgreSQL in one statement (the rules: sign-in-attempts.repository.ts).
 * It locks the IP's row and the account-wide row where they exist (FOR UPDATE, in that order, as
 * the take in a transaction does), decides from them as they are once locked, and counts a
 * failure in both rows or in neither: an existing row is updated, a missing one created with its
 * first failure. The locks last for that statement only, inside PostgreSQL. Taken in a
 * transaction instead (two upserts, then COMMIT), each try held the account-wide row while its
 * instance, busy with other requests, got round to sending the next statement; with 80 tries at
 * once from 80 IPs the others queued behind it for their pooled connections past the pool's 3 s,
 * and were answered 503 instead of 401 or 429.
 *
 * A missing row cannot be locked: the decision takes it as empty (no failure, no pause, no
 * success). Should another take create it meanwhile, this one's insert meets the primary key and
 * the whole statement fails, nothing written (`raced`), to be run again on the rows now there.
 */
import { sql, type Kysely } from "kysely";

import type { Database } from "../../db/schema.js";

import {
  ACCOUNT_WIDE,
  big,
  countedSet,
  firstCountPause,
  type CountRule,
} from "./sign-in-attempts.counting.js";

export interface TakeArgs {
  accountKey: string;
  ip: string;
  now: number;
  own: CountRule;
  wide: CountRule;
  knownSince: number;
}

export type TakeOutcome =
  { taken: true; ownPausedUntil: number | null } | { taken: false; pausedUntil: number };

interface Verdict {
  own_paused: number | null;
  wide_paused: number | null;
  known: boolean;
  counted: number;
  own_paused_after: number | null;
}

/** `column = expression, …` of a row counting one more failure, as it was when locked. */
function setCounted(now: number, rule: CountRule) {
  const set = countedSet(now, rule);
  return sql`failures = ${set.failures}, window_started_at = ${set.window_started_at}, paused_until = ${set.paused_until}`;
}

const nullableBig = (value: number | null) => sql<number | null>`cast(${value} as bigint)`;

/**
 * The statement failed, writing nothing, because another take created a row this one took as
 * missing (a unique violation), or, should two such takes cross, PostgreSQL chose it to break a
 * deadlock: run it again.
 */
export function raced(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "23505" || code === "40P01";
}

/** Counts the try in both rows, or refuses it with the pause's end (nothing written). */
export async function takeInOneStatement(
  db: Kysely<Database>,
  args: TakeArgs,
): Promise<TakeOutcome> {
  const { accountKey, ip, now } = args;
  const text = (value: string) => sql<string>`cast(${value} as varchar)`;
  const { rows } = await sql<Verdict>`
    with locked as materialized (
      select ip, paused_until, last_success_at from sign_in_attempts
      where account_key = ${accountKey} and ip in (${ip}, ${ACCOUNT_WIDE})
      order by ip = ${ACCOUNT_WIDE}
      for update
    ),
    verdict as materialized (
      select
        (select paused_until from locked where ip = ${ip} and paused_until > ${big(now)}) as own_paused,
        (select paused_until from locked where ip = ${ACCOUNT_WIDE} and paused_until > ${big(now)}) as wide_paused,
        coalesce(
          (select last_success_at > ${big(args.knownSince)} from locked where ip = ${ip}),
          false
        ) as known
    ),
    open as materialized (
      select 1 from verdict where own_paused is null and (known or wide_paused is null)
    ),
    own_counted as (
      update sign_in_attempts set ${setCounted(now, args.own)}
      where account_key = ${accountKey} and ip = ${ip} and exists (select 1 from open)
      returning paused_until
    ),
    wide_counted as (
      update sign_in_attempts set ${setCounted(now, args.wide)}
      where account_key = ${accountKey} and ip = ${ACCOUNT_WIDE} and exists (select 1 from open)
      returning 1
    ),
    created as (
      insert into sign_in_attempts
        (account_key, ip, failures, window_started_at, paused_until, last_success_at)
      select ${text(accountKey)}, missing.ip, 1, ${big(now)}, missing.paused_until, null
      from (values
        (1, ${text(ACCOUNT_WIDE)}, ${nullableBig(firstCountPause(now, args.wide))}),
        (0, ${text(ip)}, ${nullableBig(firstCountPause(now, args.own))})
      ) as missing (place, ip, paused_until)
      where exists (select 1 from open)
        and not exists (select 1 from locked where locked.ip = missing.ip)
      order by missing.place
      returning ip, paused_until
    )
    select own_paused, wide_paused, known,
      (select count(*) from own_counted) + (select count(*) from wide_counted)
        + (select count(*) from created) as counted,
      coalesce(
        (select paused_until from own_counted),
        (select paused_until from created where ip = ${ip})
      ) as own_paused_after
    from verdict
  `.execute(db);
  const v = rows[0]!;
  if (v.own_paused != null) return { taken: false, pausedUntil: Number(v.own_paused) };
  if (!v.known && v.wide_paused != null)
    return { taken: false, pausedUntil: Number(v.wide_paused) };
  // Both rows were locked or created by this statement, and neither refused: both counted.
  if (Number(v.counted) !== 2) throw new Error(`a sign-in try counted ${v.counted} rows of 2`);
  const after = v.own_paused_after;
  return { taken: true, ownPausedUntil: after == null ? null : Number(after) };
}
