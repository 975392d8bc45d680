/** Experiment only: all three SQLite experiments at once. */
import "./sqlite-sync-normal.mjs";
import "./statement-cache.mjs";
import "./sweep-plan-fix.mjs";
