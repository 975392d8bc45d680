/**
 * The hot compiled queries (compiled-query.ts) run straight on better-sqlite3's prepared
 * statements on SQLite, instead of through Kysely's executor.
 *
 * better-sqlite3 is synchronous, but Kysely's path to it is not: the connection provider, the
 * driver's mutex, the connection and the executor each make a promise or two, about a dozen per
 * statement, each an allocation and a microtask (issue 24's profiles; they also ran promise hooks
 * while the audit context was an AsyncLocalStorage). The SQL is still Kysely's, compiled once;
 * only its execution is shortened, and only where that cannot change what it sees or does:
 *
 * - on the database itself, reads alone, and only while no transaction is open: then the
 *   connection is between statements and holds only committed rows, which is what a read through
 *   Kysely would see once the driver's mutex let it in. While a group commit is between its BEGIN
 *   and its COMMIT, the connection holds that group's uncommitted rows, so a read waits in Kysely's
 *   queue as before; a write outside a group does too (and is synced as before);
 * - inside a group commit (group-commit.ts), on the Kysely instance the group hands to each write:
 *   that write holds the connection and runs inside its savepoint, so any statement may run.
 *
 * The statements are the connection's kept ones (sqlite-connection.ts), so every write is tracked
 * for the WAL sync exactly as through Kysely, and no answer leaves before its commit is on disk.
 */
import type { Kysely, QueryResult } from "kysely";

import type { Database } from "./schema.js";

/** One of the connection's kept statements, as better-sqlite3 describes it. */
export interface DirectStatement {
  /** Returns rows (a SELECT, or a write with RETURNING). */
  readonly reader: boolean;
  /** Writes nothing. */
  readonly readonly: boolean;
  all(parameters: readonly unknown[]): unknown[];
  run(parameters: readonly unknown[]): { changes: number; lastInsertRowid: number | bigint };
}

/** Runs `sql` now and returns its result, or undefined when it must go through Kysely. */
export type DirectRun = (
  sql: string,
  parameters: readonly unknown[],
) => QueryResult<unknown> | undefined;

const runners = new WeakMap<Kysely<Database>, DirectRun>();

/** How `db` runs statements directly, if it can. */
export function directRunner(db: Kysely<Database>): DirectRun | undefined {
  return runners.get(db);
}

export function allowDirect(db: Kysely<Database>, run: DirectRun): void {
  runners.set(db, run);
}

/** What Kysely's SQLite connection returns for the same statement. */
export function runDirect(
  statement: DirectStatement,
  parameters: readonly unknown[],
): QueryResult<unknown> {
  if (statement.reader) return { rows: statement.all(parameters) };
  const { changes, lastInsertRowid } = statement.run(parameters);
  return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
}

/** Directly run statements, for tests (they prove the short path was taken). */
export const directRuns = { count: 0 };
