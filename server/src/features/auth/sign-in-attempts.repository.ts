/**
 * SQL of the sign-in back-off (sign-in-backoff.ts holds the rules). A try is taken before the
 * password is compared: one conditional upsert per row counts it as a failure only where that row
 * is not paused, and says whether it did, so concurrent guesses on any number of instances are
 * counted one by one against the pause (counted after the comparison, 50 guesses sent at once
 * all passed the check before the first was counted). A try that turns out right is given back
 * (`release`, or `countSuccess` for the IP's own row).
 */
import { sql, type Expression, type Kysely, type SqlBool } from "kysely";

import {
  writeStatement,
  writeTransaction,
  type DatabaseHandle,
  type WriteKind,
} from "../../db/database.js";
import type { Database } from "../../db/schema.js";

export const ACCOUNT_WIDE = "*";

/** A typed parameter: PostgreSQL cannot infer the type of a bare one inside CASE. */
const big = (value: number) => sql<number>`cast(${value} as bigint)`;

export interface AttemptRow {
  ip: string;
  failures: number;
  paused_until: number | null;
  last_success_at: number | null;
}

/** How one row counts: a window of `windowMs`, and the pause each count reaches starts. */
export interface CountRule {
  windowMs: number;
  pauses: { failures: number; ms: number }[];
  /** The pause runs to the window's end (account-wide) instead of `ms` from now (per IP). */
  pauseAtWindowEnd: boolean;
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

const ref = (column: "failures" | "window_started_at" | "paused_until") =>
  sql.ref<number>(`sign_in_attempts.${column}`);

/** The smallest count that pauses (none: never). */
const firstPause = (rule: CountRule) => Math.min(...rule.pauses.map((p) => p.failures));

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
  const expired: Expression<SqlBool> = sql<SqlBool>`${ref("window_started_at")} <= ${big(now - rule.windowMs)}`;
  const next = sql<number>`(case when ${expired} then 1 else ${ref("failures")} + 1 end)`;
  const start = sql<number>`(case when ${expired} then ${big(now)} else ${ref("window_started_at")} end)`;
  // Highest threshold first: the first that the new count reaches decides the pause.
  const ladder = [...rule.pauses].sort((a, b) => b.failures - a.failures);
  const until = (ms: number) =>
    rule.pauseAtWindowEnd ? sql<number>`${start} + ${big(rule.windowMs)}` : big(now + ms);
  const pausedUntil =
    ladder.length === 0
      ? sql<number | null>`null`
      : sql<number | null>`(case ${sql.join(
          ladder.map((step) => sql`when ${next} >= ${step.failures} then ${until(step.ms)}`),
          sql` `,
        )} else null end)`;
  const first = ladder.find((step) => step.failures <= 1);
  return db
    .insertInto("sign_in_attempts")
    .values({
      account_key: args.accountKey,
      ip: args.ip,
      failures: 1,
      window_started_at: now,
      paused_until: first ? now + first.ms : null,
      last_success_at: null,
    })
    .onConflict((oc) => {
      const update = oc.columns(["account_key", "ip"]).doUpdateSet({
        failures: next,
        window_started_at: start,
        paused_until: pausedUntil,
      });
      return args.evenIfPaused
        ? update
        : update.where(sql<SqlBool>`coalesce(${ref("paused_until")}, 0) <= ${big(now)}`);
    })
    .returning(["failures", "paused_until", "last_success_at"])
    .executeTakeFirst();
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
     * and the account-wide one. Each row is one conditional upsert (PostgreSQL locks the row, and
     * a concurrent statement re-checks its condition on the row as the other left it; SQLite
     * writes one at a time), inside one transaction: the IP's own row first, refused while it is
     * paused; then the account-wide row, refused while paused unless the IP is `known` by its
     * row's last success. A refusal rolls both back (attempts during a pause do not count) and
     * gives the pause's end. Every take locks the two rows in the same order: no deadlock.
     */
    async take(args: {
      accountKey: string;
      ip: string;
      now: number;
      own: CountRule;
      wide: CountRule;
      knownSince: number;
      /** The try guards a destruction (deleting the account): it may use the disk reserve. */
      kind?: WriteKind;
    }): Promise<TakeResult> {
      const { accountKey, ip, now } = args;
      try {
        return await writeTransaction(
          database,
          async (trx) => {
            const own = await countOne(trx, { ...args, rule: args.own, evenIfPaused: false });
            if (!own) throw new Refused(await pausedUntilOf(trx, accountKey, ip));
            const known =
              own.last_success_at != null && Number(own.last_success_at) > args.knownSince;
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
          args.kind,
        );
      } catch (error) {
        if (error instanceof Refused) return { taken: false, pausedUntil: error.pausedUntil };
        throw error;
      }
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
