/**
 * Experiment only: rewrites the sweeper's UPDATE so its outer `"status" = ?` term cannot use the
 * (status, expires_at) index (`+"status"`). SQLite then looks each batch up by primary key instead
 * of walking every active share per batch. Same parameters, same result rows.
 */
import Database from "better-sqlite3";

const prepare = Database.prototype.prepare;
Database.prototype.prepare = function (sql) {
  if (sql.startsWith('update "shares"') && /limit \?\) and "status" = \?/.test(sql)) {
    sql = sql.replace(/limit \?\) and "status" = \?/, 'limit ?) and +"status" = ?');
  }
  return prepare.call(this, sql);
};
