/**
 * SQL of the sign-in back-off (sign-in-backoff.ts holds the rules). A try is taken before the
 * password is compared: it is counted as a failure only where its rows are not paused, and the
 * take says whether it was, so concurrent guesses on any number of instances are counted one by
 * one against the pause (counted after the comparison, 50 guesses sent at once all passed the
 * check before the first was counted). On PostgreSQL one statement locks and counts both rows
 * (sign-in-attempts.take-postgres.ts); on SQLite, which writes one at a time, one conditional
 * upsert per row in a transaction. A try that turns out right is given back (`release`, or
 * `countSuccess` for the IP's own row).
 */
import { sql, type Kysely, type SqlBool } from "kysely";

import {
  writeStatement,
  writeTransaction,
  type DatabaseHandle,
  type WriteKind,
} from "../../db/database.js";
import type { Database } from "../../db/schema.js";

import {
  ACCOUNT_WIDE,
  big,
  countedSet,
  firstCountPause,
  firstPause,
  ref,
  type CountRule,
} from "./sign-in-attempts.counting.js";
import { raced, takeInOneStatement, type TakeArgs } from "./sign-in-attempts.take-postgres.js";

export interface AttemptRow {
  ip: string;
  failures: number;
  paused_until: number | null;
  last_success_at: number | null;
}

/** A try taken: the pauses its counting started (null: none), for giving it back. */
export interface TakenTry {
  ownPausedUntil: number | null;
}

export type TakeResult = { taken: true; try: TakenTry } | { taken: false; pausedUntil: number };

/** Thrown inside the take's transaction to roll the per-IP count back. */
class Refused extends Error {
  constructor(readonly pausedUntil: number) {
    super("paused");
  }
}

/**
 * PostgreSQL: how many times a take's statement runs when another take keeps creating a row it
 * took as missing, before the take falls back to a transaction. Twice is enough, unless a right
 * password deletes the row again in between (its only failure given back).
 */
const RACED_ROUNDS = 4;

/**
 * Counts one failure in `ip`'s row, only where it is not paused at `now` unless `evenIfPaused`:
 * a row whose window is over starts again at 1, and the pause the new count reaches starts (it
 * cannot push a running one further). The row as it is after, or undefined when it was paused.
 */
function countOne(
  db: Kysely<Database>,
  args: { accountKey: string; ip: string; now: number; rule: CountRule; evenIfPaused: boolean },
) {
  const { now, rule } = args;
  return db
    .insertInto("sign_in_attempts")
    .values({
      account_key: args.accountKey,
      ip: args.ip,
      failures: 1,
      window_started_at: now,
      paused_until: firstCountPause(now, rule),
      last_success_at: null,
    })
    .onConflict((oc) => {
      const update = oc.columns(["account_key", "ip"]).doUpdateSet(countedSet(now, rule));
      return args.evenIfPaused
        ? update
        : update.where(sql<SqlBool>`coalesce(${ref("paused_until")}, 0) <= ${big(now)}`);
    })
    .returning(["failures", "paused_until", "last_success_at"])
    .executeTakeFirst();
}

/**
 * Takes a try in a transaction: one conditional upsert per row, the IP's own first, refused while
 * it is paused; then the account-wide row, refused while paused unless the IP is `known` by its
 * row's last success. A refusal rolls both back (attempts during a pause do not count) and gives
 * the pause's end. SQLite's way (one writer at a time), and PostgreSQL's last resort.
 */
async function takeInTransaction(
  database: Pick<DatabaseHandle, "db" | "dialect">,
  args: TakeArgs,
  kind: WriteKind | undefined,
): Promise<TakeResult> {
  const { accountKey, ip, now } = args;
  try {
    return await writeTransaction(
      database,
      async (trx) => {
        const own = await countOne(trx, { ...args, rule: args.own, evenIfPaused: false });
        if (!own) throw new Refused(await pausedUntilOf(trx, accountKey, ip));
        const known = own.last_success_at != null && Number(own.last_success_at) > args.knownSince;
        const wide = await countOne(trx, {
          accountKey,
          ip: ACCOUNT_WIDE,
          now,
          rule: args.wide,
          evenIfPaused: known,
        });
        if (!wide) throw new Refused(await pausedUntilOf(trx, accountKey, ACCOUNT_WIDE));
        const paused = own.paused_until == null ? null : Number(own.paused_until);
        return { taken: true as const, try: { ownPausedUntil: paused } };
      },
      kind,
    );
  } catch (error) {
    if (error instanceof Refused) return { taken: false, pausedUntil: error.pausedUntil };
    throw error;
  }
}

async function pausedUntilOf(db: Kysely<Database>, accountKey: string, ip: string) {
  const row = await db
    .selectFrom("sign_in_attempts")
    .select("paused_until")
    .where("account_key", "=", accountKey)
    .where("ip", "=", ip)
    .executeTakeFirst();
  return Number(row?.paused_until ?? 0);
}

export function createSignInAttemptsRepository(database: Pick<DatabaseHandle, "db" | "dialect">) {
  const { db } = database;

  return {
    /** The row of this client IP and the account-wide row, whichever exist. */
    async read(accountKey: string, ip: string): Promise<AttemptRow[]> {
      return db
        .selectFrom("sign_in_attempts")
        .select(["ip", "failures", "paused_until", "last_success_at"])
        .where("account_key", "=", accountKey)
        .where("ip", "in", [ip, ACCOUNT_WIDE])
        .execute();
    },

    /**
     * Takes a try for `ip` before its password is compared, counted as a failure in its own row
     * and the account-wide one, or in neither: refused while its own row is paused, or while the
     * account-wide row is unless the IP is `known` by its row's last success (attempts during a
     * pause do not count), with the pause's end. Every take locks the two rows in the same
     * order: no deadlock.
     */
    async take(
      args: TakeArgs & {
        /** The try guards a destruction (deleting the account): it may use the disk reserve. */
        kind?: WriteKind;
      },
    ): Promise<TakeResult> {
      if (database.dialect === "postgres") {
        for (let round = 0; round < RACED_ROUNDS; round++) {
          try {
            const outcome = await takeInOneStatement(db, args);
            return outcome.taken
              ? { taken: true, try: { ownPausedUntil: outcome.ownPausedUntil } }
              : outcome;
          } catch (error) {
            if (!raced(error)) throw error;
          }
        }
      }
      return takeInTransaction(database, args, args.kind);
    },

    /**
     * Gives a taken try back (the password was right): one failure less in `ip`'s row, and the
     * pause goes where the count no longer reaches it, or where this try started it (nothing can
     * be taken from a paused row, so it is still this try's). On the account-wide row a known IP
     * may have counted after a pause began, so there the count alone decides.
     */
    async release(args: {
      accountKey: string;
      ip: string;
      rule: CountRule;
      startedPause: number | null;
      kind?: WriteKind;
    }) {
      const left = sql<number>`(case when ${ref("failures")} > 0 then ${ref("failures")} - 1 else 0 end)`;
      const ours =
        args.startedPause === null
          ? sql<SqlBool>`false`
          : sql<SqlBool>`${ref("paused_until")} = ${big(args.startedPause)}`;
      await writeTransaction(
        database,
        async (w) => {
          // A row left with nothing to hold (no failure, no pause, no success) goes, as if this
          // try had never been taken: only failures and successes write rows.
          await w
            .deleteFrom("sign_in_attempts")
            .where("account_key", "=", args.accountKey)
            .where("ip", "=", args.ip)
            .where("failures", "<=", 1)
            .where("last_success_at", "is", null)
            .execute();
          await w
            .updateTable("sign_in_attempts")
            .set({
              failures: left,
              paused_until: sql<
                number | null
              >`(case when ${ours} then null when ${left} < ${firstPause(
                args.rule,
              )} then null else ${ref("paused_until")} end)`,
            })
            .where("account_key", "=", args.accountKey)
            .where("ip", "=", args.ip)
            .execute();
        },
        args.kind,
      );
    },

    /** The right password from `ip`: its count starts again, and the IP is known from now on. */
    async countSuccess(accountKey: string, ip: string, now: number) {
      await writeStatement(database, (w) =>
        w
          .insertInto("sign_in_attempts")
          .values({
            account_key: accountKey,
            ip,
            failures: 0,
            window_started_at: now,
            paused_until: null,
            last_success_at: now,
          })
          .onConflict((oc) =>
            oc.columns(["account_key", "ip"]).doUpdateSet({
              failures: 0,
              window_started_at: now,
              paused_until: null,
              last_success_at: now,
            }),
          )
          .execute(),
      );
    },

    /** After a password reset: every count and pause of the account starts again. */
    async clear(accountKey: string) {
      await writeStatement(database, (w) =>
        w
          .updateTable("sign_in_attempts")
          .set({ failures: 0, paused_until: null })
          .where("account_key", "=", accountKey)
          .execute(),
      );
    },
  };
}

export type SignInAttemptsRepository = ReturnType<typeof createSignInAttemptsRepository>;
