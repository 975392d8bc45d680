/**
 * The rows of a read as objects, built in JavaScript from better-sqlite3's arrays (issue 24).
 *
 * better-sqlite3 makes each row object in C++, one property at a time, each name looked up in V8's
 * string table on every row: for the metadata read's 17 columns that cost about a third of the
 * statement, as much as finding the row. In `raw` mode it returns the values as an array, and an
 * object literal over that array, compiled once from the statement's column names, makes the
 * same object (same names, same order, same values; a name that comes twice keeps its last value,
 * as better-sqlite3's object does) in one allocation.
 *
 * Only for statements that write nothing: a read whose columns turn out to have changed (a schema
 * change by another connection) is built from the new names, and a statement whose columns cannot
 * be written as a literal (`__proto__`) keeps better-sqlite3's own objects.
 */
import type SQLite from "better-sqlite3";

type Row = Record<string, unknown>;
type Build = (values: readonly unknown[]) => Row;

/** Bumped by any schema change on the connection (sqlite-connection.ts): names are read again. */
export interface SchemaGeneration {
  value: number;
}

/** A function that makes the row object from its array, or null when a literal cannot. */
function compileRow(names: readonly string[]): Build | null {
  if (names.includes("__proto__")) return null;
  const fields = names.map((name, i) => `${JSON.stringify(name)}: v[${i}]`).join(", ");
  // The names are SQLite's, written as JSON string literals: nothing of them runs as code.
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  return new Function("v", `"use strict"; return { ${fields} };`) as Build;
}

/** `statement.all` for a statement that writes nothing, with the rows built as above. */
export function objectRows(
  sqlite: SQLite.Database,
  statement: SQLite.Statement,
  schema: SchemaGeneration,
): (params: unknown[]) => unknown[] {
  let raw: SQLite.Statement | null = null;
  let build: Build | null = null;
  let width = -1;
  let generation = -1;

  function learn(twin: SQLite.Statement) {
    const names = twin.columns().map((column) => column.name);
    build = compileRow(names);
    width = names.length;
    generation = schema.value;
  }

  return (params) => {
    raw ??= sqlite.prepare(statement.source).raw(true);
    const arrays = raw.all(...params) as unknown[][];
    // The names after the run: SQLite prepares a statement again, with its new columns, when it
    // runs after a schema change (here, or another connection's: then only the width tells).
    if (generation !== schema.value || (arrays.length > 0 && arrays[0]!.length !== width)) {
      learn(raw);
    }
    const make: Build | null = build;
    // Columns no literal can name (`__proto__`): this read again, as better-sqlite3's objects.
    if (make === null) return statement.all(...params);
    const rows = new Array<Row>(arrays.length);
    for (let i = 0; i < arrays.length; i++) rows[i] = make(arrays[i]!);
    return rows;
  };
}
