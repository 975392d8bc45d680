/**
 * SQL of the sign-in back-off (sign-in-backoff.ts holds the rules). Every change is one upsert
 * whose new values are computed from the stored row inside the statement, so concurrent wrong
 * passwords each count once and none can lengthen a pause that is already running.
 */
import { sql, type Expression, type Kysely, type SqlBool } from "kysely";

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

export function createSignInAttemptsRepository(db: Kysely<Database>) {
  const ref = (column: "failures" | "window_started_at") =>
    sql.ref<number>(`sign_in_attempts.${column}`);

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
     * Counts one wrong password in `ip`'s row: a row whose window (started `windowMs` ago or
     * earlier) is over starts again at 1. `pauseFor(failures)` gives the pause, in ms, that the
     * new count starts (0: none); the pause starts now (per IP) or runs to the window's end
     * (account-wide, `pauseAtWindowEnd`), so it cannot be pushed further by more failures.
     */
    async countFailure(args: {
      accountKey: string;
      ip: string;
      now: number;
      windowMs: number;
      pauses: { failures: number; ms: number }[];
      pauseAtWindowEnd: boolean;
    }) {
      const { now, windowMs } = args;
      const expired: Expression<SqlBool> = sql<SqlBool>`${ref("window_started_at")} <= ${big(now - windowMs)}`;
      const next = sql<number>`(case when ${expired} then 1 else ${ref("failures")} + 1 end)`;
      const start = sql<number>`(case when ${expired} then ${big(now)} else ${ref("window_started_at")} end)`;
      // Highest threshold first: the first that the new count reaches decides the pause.
      const ladder = [...args.pauses].sort((a, b) => b.failures - a.failures);
      const until = (ms: number) =>
        args.pauseAtWindowEnd ? sql<number>`${start} + ${big(windowMs)}` : big(now + ms);
      const pausedUntil =
        ladder.length === 0
          ? sql<number | null>`null`
          : sql<number | null>`(case ${sql.join(
              ladder.map((step) => sql`when ${next} >= ${step.failures} then ${until(step.ms)}`),
              sql` `,
            )} else null end)`;
      const firstPause = ladder.find((step) => step.failures <= 1);
      await db
        .insertInto("sign_in_attempts")
        .values({
          account_key: args.accountKey,
          ip: args.ip,
          failures: 1,
          window_started_at: now,
          paused_until: firstPause ? now + firstPause.ms : null,
          last_success_at: null,
        })
        .onConflict((oc) =>
          oc.columns(["account_key", "ip"]).doUpdateSet({
            failures: next,
            window_started_at: start,
            paused_until: pausedUntil,
          }),
        )
        .execute();
    },

    /** The right password from `ip`: its count starts again, and the IP is known from now on. */
    async countSuccess(accountKey: string, ip: string, now: number) {
      await db
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
        .execute();
    },

    /** After a password reset: every count and pause of the account starts again. */
    async clear(accountKey: string) {
      await db
        .updateTable("sign_in_attempts")
        .set({ failures: 0, paused_until: null })
        .where("account_key", "=", accountKey)
        .execute();
    },
  };
}

export type SignInAttemptsRepository = ReturnType<typeof createSignInAttemptsRepository>;
