/**
 * Experiment only: caches better-sqlite3 prepared statements by SQL text (Kysely's SQLite driver
 * prepares every query anew), to measure what a statement cache in db/database.ts would save.
 */
import Database from "better-sqlite3";

const prepare = Database.prototype.prepare;
/** @type {WeakMap<object, Map<string, unknown>>} */
const caches = new WeakMap();
Database.prototype.prepare = function (sql) {
  let cache = caches.get(this);
  if (!cache) caches.set(this, (cache = new Map()));
  let statement = cache.get(sql);
  if (!statement) {
    statement = prepare.call(this, sql);
    if (cache.size < 500) cache.set(sql, statement);
  }
  return statement;
};
