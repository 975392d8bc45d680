/**
 * Experiment only (never in production): runs the server with PRAGMA synchronous = NORMAL
 * instead of FULL, to measure what the fsync per commit costs. Usage:
 *   npm run bench -w bench -- --only=create,reveal --node-args="--import=./bench/experiments/sqlite-sync-normal.mjs"
 */
import Database from "better-sqlite3";

const pragma = Database.prototype.pragma;
Database.prototype.pragma = function (source, options) {
  return pragma.call(
    this,
    /^synchronous\s*=/i.test(source) ? "synchronous = NORMAL" : source,
    options,
  );
};
