/**
 * Queries on the hot paths compiled once per shape, then run with each request's values bound.
 *
 * Kysely builds and compiles every query anew: it assembles an operation tree, freezes every node
 * and walks it to SQL. For the reveal's conditional UPDATE that was a fifth of the server's CPU
 * per reveal on SQLite (issue 24's profiles: `visitNode`, `freeze`, `createExpressionBuilder`),
 * more than SQLite took to run the statement. The text only depends on which values are null,
 * undefined or true/false (the builders branch on those), so `compiledOnce` builds the query
 * with a marker in place of every other value, keeps the SQL and where each marker landed among
 * the parameters, and later only binds the values.
 *
 * A builder must pass such values through untouched (into conditions, `values`, `set`, `sql`
 * templates): one that computed with them would compile a wrong constant, which the equivalence
 * test of each query (`compiled-query.test.ts`) catches. Arrays and other objects (bytes
 * excepted: a chunk's `data`) are not markable; a call with one is compiled the usual way.
 * Plugins see their queries as before: with any plugin on the instance (tests record SQL through
 * one) nothing is cached.
 */
import type { CompiledQuery, DialectAdapter, Kysely } from "kysely";

import { poolRunner } from "./direct-postgres.js";
import { directRunner, directRuns } from "./direct-sqlite.js";
import type { Database } from "./schema.js";

type Db = Kysely<Database>;

/** Stands for the argument `key` while the query is compiled. */
class Marker {
  constructor(readonly key: string) {}
}

interface Compiled {
  query: CompiledQuery;
  /** Per parameter: the argument it binds, or undefined for a constant of the query. */
  keys: (string | undefined)[];
}

/** The most shapes one query keeps; each is a distinct combination of null, undefined and booleans. */
const MAX_SHAPES = 64;

/** Compilations made through compiledOnce, for tests (one per shape, not per call). */
export const compilations = { count: 0 };

/** A compiled query: run it, or (`now`) run it at once where it can be. */
export interface CompiledOnce<A extends object, R> {
  (db: Db, args: A): Promise<{ rows: R[]; numAffectedRows: bigint | undefined }>;
  /**
   * The rows now, without a promise, where the query may run straight on SQLite's statement
   * (direct-sqlite.ts: a read on the database with no transaction open, or any statement inside
   * a group's write); undefined where it must wait its turn, which the caller then awaits.
   */
  now(db: Db, args: A): R[] | undefined;
}

/**
 * Wraps `build` (a query over flat arguments) so that each shape of its arguments is compiled
 * once; the returned function runs the query and returns its rows.
 */
export function compiledOnce<A extends object, R>(
  build: (db: Db, args: A) => { compile(): CompiledQuery<R> },
): CompiledOnce<A, R> {
  // Per dialect (its adapter: one per database opened), then per shape.
  const byAdapter = new WeakMap<DialectAdapter, Map<string, Compiled>>();

  /** The query's text and this call's parameters; null when it cannot be cached. */
  function bind(db: Db, args: A): { query: CompiledQuery; parameters: unknown[] } | null {
    const shape = shapeOf(args);
    const executor = db.getExecutor();
    if (shape === null || executor.plugins.length > 0) return null;
    let shapes = byAdapter.get(executor.adapter);
    if (!shapes) byAdapter.set(executor.adapter, (shapes = new Map<string, Compiled>()));
    let compiled = shapes.get(shape);
    if (!compiled) {
      compiled = compile(db, build, args);
      if (shapes.size >= MAX_SHAPES) shapes.delete(shapes.keys().next().value!);
      shapes.set(shape, compiled);
    }
    const values = args as Record<string, unknown>;
    const { query, keys } = compiled;
    const parameters = new Array<unknown>(keys.length);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      parameters[i] = key === undefined ? query.parameters[i] : values[key];
    }
    return { query, parameters };
  }

  /** SQLite: straight on the prepared statement where that sees and does the same. */
  function direct(db: Db, bound: { query: CompiledQuery; parameters: unknown[] }) {
    const result = directRunner(db)?.(bound.query.sql, bound.parameters);
    if (result) directRuns.count++;
    return result;
  }

  const run = async (db: Db, args: A) => {
    const bound = bind(db, args);
    if (bound === null) {
      const result = await db.executeQuery(build(db, args).compile());
      return { rows: result.rows, numAffectedRows: result.numAffectedRows };
    }
    const result =
      direct(db, bound) ??
      (await (poolRunner(db)?.(bound.query.sql, bound.parameters) ??
        db.executeQuery({ ...bound.query, parameters: bound.parameters })));
    return { rows: result.rows as R[], numAffectedRows: result.numAffectedRows };
  };
  return Object.assign(run, {
    now(db: Db, args: A): R[] | undefined {
      const bound = bind(db, args);
      return bound === null ? undefined : (direct(db, bound)?.rows as R[] | undefined);
    },
  });
}

/**
 * Which arguments there are, and which of them are null, undefined, true or false; null when one
 * cannot be marked.
 */
function shapeOf(args: object): string | null {
  let shape = "";
  const values = args as Record<string, unknown>;
  // for…in over the flat argument objects, not Object.entries: no array of pairs per statement.
  for (const key in values) {
    if (!Object.hasOwn(values, key)) continue;
    const value = values[key];
    if (value === null) shape += `${key}:n,`;
    else if (value === undefined) shape += `${key}:u,`;
    else if (value === true || value === false) shape += `${key}:${value},`;
    // Bytes (a chunk's) are bound as they are, as any other value: markable.
    else if (value instanceof Uint8Array) shape += `${key},`;
    else if (typeof value === "object" || typeof value === "function") return null;
    else shape += `${key},`;
  }
  return shape;
}

function compile<A extends object, R>(
  db: Db,
  build: (db: Db, args: A) => { compile(): CompiledQuery<R> },
  args: A,
): Compiled {
  const marked: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(args)) {
    marked[key] =
      value === null || value === undefined || typeof value === "boolean" ? value : new Marker(key);
  }
  const query = build(db, marked as A).compile();
  compilations.count++;
  const keys = query.parameters.map((p) => (p instanceof Marker ? p.key : undefined));
  return { query, keys };
}
