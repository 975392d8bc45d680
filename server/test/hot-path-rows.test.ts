/**
 * Issue 24: a read's rows are made in JavaScript from better-sqlite3's arrays (`raw` mode), by an
 * object literal compiled once per statement (db/sqlite-rows.ts), instead of better-sqlite3
 * setting each column of each row from C++. The rows must be the objects better-sqlite3 made:
 * same names in the same order, same values, after schema changes here or elsewhere.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import SQLite from "better-sqlite3";
import { afterEach, describe, expect, it, vi } from "vitest";

import { openSqliteConnection } from "../src/db/sqlite-connection.js";

let dir: string | undefined;
let open: { close(): void }[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const db of open) db.close();
  open = [];
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function connect() {
  dir = mkdtempSync(join(tmpdir(), "hushlink-rows-"));
  const file = join(dir, "rows.sqlite");
  const { sqlite, connection } = openSqliteConnection(file);
  open.push(sqlite);
  sqlite.exec(`create table t (id text primary key, "we""ird name" integer, n integer, b blob,
    r real, "ünï" text)`);
  sqlite
    .prepare(`insert into t values (?, ?, ?, ?, ?, ?)`)
    .run("a", 1, null, Buffer.from([1, 2]), 1.5, "x");
  sqlite.prepare(`insert into t values (?, ?, ?, ?, ?, ?)`).run("b", 2, 7, null, null, null);
  /** What better-sqlite3 itself answers, on a connection of its own. */
  const own = new SQLite(file, { readonly: true });
  open.push(own);
  return { sqlite, connection, file, own };
}

/** The rows with their names in order, so that toEqual also compares the order. */
const entries = (rows: unknown[]) => rows.map((row) => Object.entries(row as object));

describe("a read's rows are built from arrays", () => {
  it("reads run in raw mode, writes and transaction control do not", () => {
    const { connection, sqlite } = connect();
    const raw = vi.spyOn(
      Object.getPrototypeOf(sqlite.prepare("select 1")) as SQLite.Statement,
      "raw",
    );
    connection.prepare("select id from t where id = ?").all(["a"]);
    // Without sqlite-rows.ts better-sqlite3 made the objects itself: raw was never asked for.
    expect(raw).toHaveBeenCalledWith(true);
    raw.mockClear();
    connection.prepare("update t set n = n + 1 where id = ? returning n").all(["b"]);
    expect(raw).not.toHaveBeenCalled();
  });

  it("the rows are better-sqlite3's objects: names, order, values, a name that comes twice", () => {
    const { connection, own } = connect();
    for (const text of [
      `select * from t order by id`,
      `select n, id, "ünï", r, b from t where id = ?`,
      `select 1 as x, 2 as x, id as x from t order by id`,
      `select id from t where id = 'none'`,
    ]) {
      const params = text.includes("?") ? ["a"] : [];
      const statement = connection.prepare(text);
      const expected = own.prepare(text).all(...params);
      // Twice: the first call learns the names, the second uses what it compiled.
      expect(entries(statement.all(params))).toEqual(entries(expected));
      expect(entries(statement.all(params))).toEqual(entries(expected));
    }
  });

  it("after a schema change on this connection the new columns are read", () => {
    const { connection } = connect();
    const all = connection.prepare("select * from t where id = ?");
    expect(Object.keys(all.all(["a"])[0] as object)).toHaveLength(6);
    connection.prepare(`alter table t rename column n to renamed`).run([]);
    expect(Object.keys(all.all(["a"])[0] as object)).toContain("renamed");
    expect(Object.keys(all.all(["a"])[0] as object)).not.toContain("n");
  });

  it("after another connection adds a column, the rows have it", () => {
    const { connection, file } = connect();
    const all = connection.prepare("select * from t where id = ?");
    expect(all.all(["b"])).toHaveLength(1);
    const other = new SQLite(file);
    open.push(other);
    other.exec(`alter table t add column added text default 'yes'`);
    expect(all.all(["b"])[0]).toMatchObject({ id: "b", n: 7, added: "yes" });
  });
});
