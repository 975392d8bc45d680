/**
 * How one failure is counted in a row of `sign_in_attempts`, as SQL expressions over the row as
 * it was: shared by the take's statements on SQLite (an upsert per row) and PostgreSQL (one
 * statement for both rows, sign-in-attempts.take-postgres.ts), and by giving a try back.
 */
import { sql } from "kysely";

/** The `ip` of the account-wide row. */
export const ACCOUNT_WIDE = "*";

/** How one row counts: a window of `windowMs`, and the pause each count reaches starts. */
export interface CountRule {
  windowMs: number;
  pauses: { failures: number; ms: number }[];
  /** The pause runs to the window's end (account-wide) instead of `ms` from now (per IP). */
  pauseAtWindowEnd: boolean;
}

/** A typed parameter: PostgreSQL cannot infer the type of a bare one inside CASE. */
export const big = (value: number) => sql<number>`cast(${value} as bigint)`;

export const ref = (
  column: "failures" | "window_started_at" | "paused_until" | "last_success_at",
) => sql.ref<number>(`sign_in_attempts.${column}`);

/** The smallest count that pauses (none: never). */
export const firstPause = (rule: CountRule) => Math.min(...rule.pauses.map((p) => p.failures));

/**
 * The columns of a row with one more failure at `now`: a row whose window is over starts again at
 * 1, and the pause the new count reaches starts (from now, or to the window's end).
 */
export function countedSet(now: number, rule: CountRule) {
  const expired = sql<boolean>`${ref("window_started_at")} <= ${big(now - rule.windowMs)}`;
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
  return { failures: next, window_started_at: start, paused_until: pausedUntil };
}

/** The pause of a row created with its first failure at `now` (null: none), as `countedSet`'s. */
export function firstCountPause(now: number, rule: CountRule): number | null {
  const first = [...rule.pauses]
    .sort((a, b) => b.failures - a.failures)
    .find((s) => s.failures <= 1);
  if (!first) return null;
  return rule.pauseAtWindowEnd ? now + rule.windowMs : now + first.ms;
}
