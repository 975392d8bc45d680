/**
 * PostgreSQL: the hot compiled queries (compiled-query.ts) on the database itself, outside any
 * transaction, go straight to the pool: one pooled client, the statement, the client back, by
 * pg's callbacks. Kysely's path to the same client makes about ten promises per statement (its
 * executor, connection provider, driver, connection and their awaits), a third of a one-statement
 * reveal's promises (issue 24, sixteenth round: 38 -> 28 per anonymous reveal).
 *
 * Only the root instance is registered: a transaction's or a connection's Kysely is another
 * object, so its statements keep to its own client. The client is released as Kysely's driver
 * releases it (kept, error or not); the statement's text and values are Kysely's, compiled once,
 * and `pg-prepared.ts`'s naming applies, since it wraps the pooled clients' `query`.
 *
 * With `named` (DATABASE_PREPARED_STATEMENTS=auto, the default) these statements, and only
 * these, go out as named prepared statements: PostgreSQL then parses and plans each text once
 * per connection instead of at every execution, which was 55-60% of its CPU per anonymous reveal
 * (issue 24, eighteenth round). Where the server says the name is missing or already taken, or
 * its plan's result type changed (PgBouncer in transaction mode before 1.21, a pooler that moves
 * sessions, a migration that added a column), nothing of the statement has run: PostgreSQL
 * rejects the Parse or the Bind before any Execute. The statement then runs again unnamed on the
 * same client, once, and the instance names nothing from then on (`onUnnamed`).
 */
import type { Kysely, QueryResult } from "kysely";
import type { Pool, QueryResult as PgResult } from "pg";

import { claimName } from "./pg-prepared.js";
import type { Database } from "./schema.js";

/** Runs `sql` on a pooled client and resolves with what Kysely's connection would return. */
export type PoolRun = (sql: string, parameters: unknown[]) => Promise<QueryResult<unknown>>;

const runners = new WeakMap<Kysely<Database>, PoolRun>();

/** How `db` runs a statement on the pool, if it may (the root instance only). */
export function poolRunner(db: Kysely<Database>): PoolRun | undefined {
  return runners.get(db);
}

/** Statements counted through the pool, for tests (they prove the short path was taken). */
export const poolRuns = { count: 0 };

/**
 * SQLSTATEs of a named statement PostgreSQL refused before running it: the name unknown on this
 * server session (26000), already prepared there (42P05), or its cached plan's result type
 * changed (0A000, only with that message: the code alone covers other refusals).
 */
export function refusedName(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return (
    code === "26000" ||
    code === "42P05" ||
    (code === "0A000" &&
      typeof message === "string" &&
      message.includes("cached plan must not change result type"))
  );
}

export interface PoolNaming {
  /** Name the statements (until the server refuses a name once). */
  named: boolean;
  /** Called once, when a refused name turns naming off for this pool. */
  onUnnamed?: (code: string) => void;
}

export function allowPoolQueries(
  db: Kysely<Database>,
  pool: Pool,
  naming: PoolNaming = { named: false },
): void {
  let named = naming.named;
  runners.set(
    db,
    (sql, parameters) =>
      new Promise((resolve, reject) => {
        pool.connect((connectError, client, release) => {
          if (connectError || !client) {
            reject(connectError ?? new Error("no pooled PostgreSQL client"));
            return;
          }
          poolRuns.count++;
          const done = (error: Error | null, result: PgResult) => {
            release();
            if (error) reject(error);
            else resolve(asKyselyResult(result));
          };
          const unnamed = () => {
            try {
              client.query(sql, parameters, done);
            } catch (error) {
              // Refused before it was sent: the client goes back all the same, as Kysely's would.
              done(error instanceof Error ? error : new Error(String(error)), undefined as never);
            }
          };
          const name = named ? claimName(client, sql) : undefined;
          if (name === undefined) {
            unnamed();
            return;
          }
          try {
            client.query({ name, text: sql, values: parameters }, (error: Error | null, result) => {
              if (!error || !refusedName(error)) {
                done(error, result);
                return;
              }
              // Refused before it ran (see above): the same statement once more, unnamed.
              if (named) {
                named = false;
                naming.onUnnamed?.(String((error as { code?: unknown }).code));
              }
              unnamed();
            });
          } catch (error) {
            // Refused before it was sent: the client goes back all the same, as Kysely's would.
            release();
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        });
      }),
  );
}

/** Kysely's PostgresConnection.executeQuery, for a statement that is not COMMIT or ROLLBACK. */
function asKyselyResult(result: PgResult): QueryResult<unknown> {
  const { command, rowCount, rows } = result;
  const writes =
    command === "INSERT" || command === "UPDATE" || command === "DELETE" || command === "MERGE";
  return {
    numAffectedRows: writes ? BigInt(rowCount ?? 0) : undefined,
    rows: (rows as unknown[] | undefined) ?? [],
  };
}
