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
 */
import type { Kysely, QueryResult } from "kysely";
import type { Pool, QueryResult as PgResult } from "pg";

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

export function allowPoolQueries(db: Kysely<Database>, pool: Pool): void {
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
          try {
            client.query(sql, parameters, (error: Error | null, result: PgResult) => {
              release();
              if (error) reject(error);
              else resolve(asKyselyResult(result));
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
