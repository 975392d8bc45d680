/**
 * One query layer over two engines: SQLite (better-sqlite3) for the embedded default and
 * PostgreSQL (pg) for scale-out. Everything above this file speaks Kysely only.
 */
import { chmodSync, mkdirSync } from "node:fs";
import { join } from "node:path";

import SQLite from "better-sqlite3";
import { Kysely, PostgresDialect, sql, SqliteDialect, type SqliteDatabase } from "kysely";
import pg from "pg";

import type { Database } from "./schema.js";

export type Dialect = "sqlite" | "postgres";

export interface DatabaseHandle {
  db: Kysely<Database>;
  dialect: Dialect;
  /** SQLite only: the file, for checkpoints and tests that inspect what is on disk. */
  file: string | null;
  close(): Promise<void>;
}

// int8 (COUNT, bigint columns) as number: our values are epoch milliseconds, far below 2^53.
pg.types.setTypeParser(20, (value) => Number(value));

/** How long to wait for a PostgreSQL connection (or a free one in the pool). */
export const PG_CONNECT_TIMEOUT_MS = 3_000;
/** The longest a PostgreSQL statement may run. Ours take milliseconds, or wait on a row lock. */
export const PG_STATEMENT_TIMEOUT_MS = 5_000;

export interface DatabaseOptions {
  databaseUrl: string | null;
  dataDir: string;
  /** Override the SQLite file name (tests). */
  sqliteFile?: string;
  poolSize?: number;
  /**
   * PostgreSQL: cap statements at PG_STATEMENT_TIMEOUT_MS (default). Migrations turn it off: an
   * index build on a large table may rightly take minutes.
   */
  statementTimeouts?: boolean;
}

export function openDatabase(options: DatabaseOptions): DatabaseHandle {
  if (options.databaseUrl) {
    const timeouts = options.statementTimeouts ?? true;
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      // Also the wait for a free pooled client: an unreachable or saturated database answers 503
      // within this, instead of holding requests.
      connectionTimeoutMillis: PG_CONNECT_TIMEOUT_MS,
      // A statement stuck behind a lock or a lost connection fails instead of holding a request
      // forever: the server cancels it first (the connection stays usable), the client gives up
      // shortly after if the server cannot even say so.
      ...(timeouts
        ? {
            statement_timeout: PG_STATEMENT_TIMEOUT_MS,
            query_timeout: PG_STATEMENT_TIMEOUT_MS + 1_000,
          }
        : {}),
      // A transaction whose instance vanished (network cut, not a crash) releases its row locks.
      idle_in_transaction_session_timeout: 60_000,
      // Dead connections to a database that went away are noticed even when idle.
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    });
    // An idle client losing its connection emits here; without a listener it would crash the process.
    pool.on("error", () => {});
    // So does a checked-out client between two statements (inside a transaction, say): pg-pool
    // listens only while a client is idle. The statement in progress, or the next one, fails with
    // the error (503 upstream), and the pool discards the client when it comes back.
    pool.on("connect", (client) => client.on("error", () => {}));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: "postgres", file: null, close: () => db.destroy() };
  }

  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const file = options.sqliteFile ?? join(options.dataDir, "hushlink.sqlite");
  const sqlite = new SQLite(file);
  // Owner only, like the folder: SQLite gives its -wal and -shm files the same mode.
  chmodSync(file, 0o600);
  sqlite.pragma("journal_mode = WAL");
  // FULL: a committed reveal survives a power cut, so a consumed one-time secret never comes back.
  sqlite.pragma("synchronous = FULL");
  sqlite.pragma("foreign_keys = ON");
  // Deleted content is overwritten with zeros instead of lingering in free pages.
  sqlite.pragma("secure_delete = ON");
  sqlite.pragma("busy_timeout = 5000");
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: withStatementCache(sqlite) }),
  });
  return { db, dialect: "sqlite", file, close: () => db.destroy() };
}

/** The most prepared statements kept per SQLite connection (the app uses about a hundred). */
const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely prepares every SQLite query anew; preparing was 10–13% of the server's CPU under load.
 * Keeping statements by their SQL text (identical text is an identical statement; values are bound
 * on each run) removes that. better-sqlite3 is synchronous, so a statement is never in use twice
 * at once, and SQLite re-prepares a cached statement itself after a schema change.
 */
function withStatementCache(sqlite: SQLite.Database): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(text: string) {
      let statement = statements.get(text);
      if (!statement) {
        statement = sqlite.prepare(text);
        // Oldest first out: text that varies (IN lists of other lengths) cannot grow it unbounded.
        if (statements.size >= STATEMENT_CACHE_SIZE) {
          statements.delete(statements.keys().next().value!);
        }
        statements.set(text, statement);
      }
      return statement;
    },
  };
}

/**
 * Runs `fn` in a transaction that holds the write lock from its first statement, and settles only
 * once that transaction is durable.
 *
 * PostgreSQL: a transaction of its own; row locks taken by UPDATE keep concurrent writers apart.
 *
 * SQLite: group commit. With synchronous = FULL every COMMIT waits for an fsync, on the event loop
 * (better-sqlite3 is synchronous), and that wait was half of a create's or reveal's cost. So the
 * write transactions that arrive within one turn of the event loop share one `BEGIN IMMEDIATE …
 * COMMIT`: each runs alone inside its own SAVEPOINT, one after the other, and a failing one is
 * rolled back to its savepoint without touching the others. Nobody's promise settles before the
 * COMMIT has returned, so durability is that of a transaction per request; only the fsync is
 * shared. BEGIN IMMEDIATE takes the write lock at once, so two processes on one file queue on
 * busy_timeout instead of failing to upgrade a read lock.
 */
export function writeTransaction<T>(
  handle: Pick<DatabaseHandle, "db" | "dialect">,
  fn: (trx: Kysely<Database>) => Promise<T>,
): Promise<T> {
  if (handle.dialect === "postgres") return handle.db.transaction().execute(fn);
  let group = groups.get(handle.db);
  if (!group) {
    group = new GroupCommit(handle.db);
    groups.set(handle.db, group);
  }
  return group.run(fn);
}

/**
 * The most write transactions one SQLite commit carries. Bounds how long the last of a group waits
 * for the others (each takes tens of microseconds) and how much one failed COMMIT takes with it.
 */
export const MAX_GROUP_COMMIT = 64;

interface PendingWrite {
  fn: (trx: Kysely<Database>) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Settled = { ok: true; value: unknown } | { ok: false; error: unknown };

const groups = new WeakMap<Kysely<Database>, GroupCommit>();

class GroupCommit {
  private queue: PendingWrite[] = [];
  private flushing = false;

  constructor(private readonly db: Kysely<Database>) {}

  run<T>(fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn, resolve: resolve as (value: unknown) => void, reject });
      if (!this.flushing) {
        this.flushing = true;
        // After the poll phase: every request that arrived in this turn has queued its write.
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    const batch = this.queue.splice(0, MAX_GROUP_COMMIT);
    let settled: Settled[];
    try {
      settled = await this.db.connection().execute((conn) => commitGroup(conn, batch));
    } catch (error) {
      // BEGIN or COMMIT failed, or the transaction was lost: none of the batch is durable.
      settled = batch.map(() => ({ ok: false, error }));
    }
    batch.forEach((item, i) => {
      const outcome = settled[i]!;
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    });
    if (this.queue.length > 0) setImmediate(() => void this.flush());
    else this.flushing = false;
  }
}

async function commitGroup(conn: Kysely<Database>, batch: PendingWrite[]): Promise<Settled[]> {
  await sql`begin immediate`.execute(conn);
  try {
    const settled: Settled[] = [];
    for (const item of batch) {
      await sql`savepoint hl_write`.execute(conn);
      try {
        settled.push({ ok: true, value: await item.fn(conn) });
      } catch (error) {
        // Fails when SQLite already rolled the whole transaction back (I/O error, disk full);
        // the outer catch then reports the batch as lost.
        await sql`rollback to hl_write`.execute(conn).catch(() => {
          throw error;
        });
        settled.push({ ok: false, error });
      }
      await sql`release hl_write`.execute(conn);
    }
    await sql`commit`.execute(conn);
    return settled;
  } catch (error) {
    await sql`rollback`.execute(conn).catch(() => undefined);
    throw error;
  }
}

/** SQLite: move the WAL into the main file and truncate it, so destroyed bytes leave the disk files. */
export async function checkpoint(handle: Pick<DatabaseHandle, "db" | "dialect">): Promise<void> {
  if (handle.dialect !== "sqlite") return;
  await sql`pragma wal_checkpoint(TRUNCATE)`.execute(handle.db);
}

export async function ping(handle: Pick<DatabaseHandle, "db">): Promise<void> {
  await sql`select 1`.execute(handle.db);
}
