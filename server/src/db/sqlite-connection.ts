/**
 * The better-sqlite3 connection as Kysely sees it: prepared statements are kept, and every commit is
 * on disk before its caller hears of it, with the wait for the disk moved off the event loop
 * wherever the caller can wait asynchronously (group commit, see group-commit.ts).
 *
 * Durability. SQLite's synchronous = FULL in WAL mode is NORMAL plus one fdatasync of the WAL file
 * after each commit, which better-sqlite3 runs on the only thread that serves HTTP: with a shared
 * disk taking 1–10 ms per fsync, every request waited for it. This connection runs NORMAL and does
 * that one sync itself: inline after a commit made outside a group (the same as FULL), or, for a
 * group commit, on libuv's thread pool while the event loop goes on, the group's callers being
 * answered only once it returned. Either way no answer leaves before its commit is synced, so a
 * consumed one-time secret cannot come back after a power cut.
 */
import { closeSync, fdatasync, fdatasyncSync, openSync } from "node:fs";
import { promisify } from "node:util";

import SQLite from "better-sqlite3";
import type { SqliteDatabase } from "kysely";

import type { DirectStatement } from "./direct-sqlite.js";
import { objectRows, type SchemaGeneration } from "./sqlite-rows.js";

/** The most prepared statements kept (the app has about a hundred distinct ones). */
const STATEMENT_CACHE_SIZE = 500;

export interface SqliteConnection {
  /** What Kysely's SqliteDialect is given. */
  database: SqliteDatabase;
  /** The same kept statements, for running outside Kysely (direct-sqlite.ts). */
  prepare(text: string): DirectStatement;
  /**
   * Runs `commit` (which ends a transaction) without the inline WAL sync. The caller must await
   * `syncWal()` before telling anyone the transaction happened.
   */
  commitWithoutSync<T>(commit: () => Promise<T>): Promise<T>;
  /** fdatasync of the WAL file on the thread pool. */
  syncWal(): Promise<void>;
  /** Whether a transaction is open (SQLite ends one by itself on some failures). */
  inTransaction(): boolean;
}

export interface WalSync {
  /** After a commit outside a group, before the statement returns. */
  inline(fd: number): void;
  /** After a group's commit, on the thread pool. */
  offThread(fd: number): Promise<void>;
}

export interface SqliteConnectionOptions {
  /** How the WAL file is synced; tests wrap it to count the syncs and to hold them. */
  walSync?: WalSync;
  /** Told the text of every statement SQLite runs (better-sqlite3's `verbose`; tests count them). */
  traceStatements?: (sql: string) => void;
}

const TRANSACTION_CONTROL = /^\s*(begin|commit|end|rollback|savepoint|release)\b/i;
const SCHEMA_CHANGE = /^\s*(create|alter|drop)\b/i;

const fdatasyncAsync = promisify(fdatasync);
const FDATASYNC: WalSync = { inline: fdatasyncSync, offThread: (fd) => fdatasyncAsync(fd) };

export function openSqliteConnection(
  file: string,
  options: SqliteConnectionOptions = {},
): { sqlite: SQLite.Database; connection: SqliteConnection } {
  const sqlite = new SQLite(
    file,
    options.traceStatements ? { verbose: (sql) => options.traceStatements!(String(sql)) } : {},
  );
  const mode = sqlite.pragma("journal_mode = WAL", { simple: true });
  // The WAL sync below is what makes NORMAL as safe as FULL; in another journal mode it is not.
  if (mode !== "wal") throw new Error(`SQLite refused WAL mode (journal_mode is ${String(mode)})`);
  sqlite.pragma("synchronous = NORMAL");

  const walSync = options.walSync ?? FDATASYNC;
  let walFd: number | null = null;
  const wal = () => (walFd ??= openSync(`${file}-wal`, "r"));
  // A statement that writes ran since the WAL was last synced.
  let unsynced = false;
  // Inside commitWithoutSync: a commit with writes leaves its sync to syncWal().
  let deferSync = false;
  let deferredWrites = false;
  // The last sync started by syncWal(); a later group waits for it even when it wrote nothing,
  // since it may have read what that one wrote.
  let lastSync: Promise<void> = Promise.resolve();

  /** After each statement: a transaction just ended with writes in it, so sync (or leave it to the group). */
  function afterStatement(writes: boolean) {
    if (writes) unsynced = true;
    if (!unsynced || sqlite.inTransaction) return;
    unsynced = false;
    if (deferSync) deferredWrites = true;
    else walSync.inline(wal());
  }

  // Column names the rows are built with are read again after any schema change made here.
  const schema: SchemaGeneration = { value: 0 };

  function tracked(statement: SQLite.Statement): SQLite.Statement {
    // SQLite calls BEGIN IMMEDIATE a write (it takes the write lock) and COMMIT read-only (it
    // writes nothing itself): transaction control is never the write, and the sync is owed when
    // a transaction that wrote has ended.
    const writes = !statement.readonly && !TRANSACTION_CONTROL.test(statement.source);
    const changesSchema = !statement.readonly && SCHEMA_CHANGE.test(statement.source);
    // A read's rows are made from arrays (sqlite-rows.ts); a write's (RETURNING) as before.
    const rows = statement.readonly
      ? objectRows(sqlite, statement, schema)
      : (params: unknown[]) => statement.all(...params);
    return {
      reader: statement.reader,
      readonly: statement.readonly,
      all(...params: unknown[]) {
        try {
          return rows(params);
        } finally {
          afterStatement(writes);
        }
      },
      run(...params: unknown[]) {
        try {
          return statement.run(...params);
        } finally {
          if (changesSchema) schema.value++;
          afterStatement(writes);
        }
      },
      iterate(...params: unknown[]) {
        // Kysely streams with it; the app does not. A stream reads, it does not commit.
        return statement.iterate(...params);
      },
    } as unknown as SQLite.Statement;
  }

  // Kysely prepares every query anew; preparing was 10–13% of the server's CPU under load. A
  // statement is kept by its SQL text (values are bound on each run). better-sqlite3 is
  // synchronous, so a statement is never in use twice at once, and SQLite re-prepares a kept
  // statement by itself after a schema change.
  const statements = new Map<string, SQLite.Statement>();
  const database: SqliteDatabase = {
    close() {
      if (walFd !== null) closeSync(walFd);
      walFd = null;
      sqlite.close();
    },
    prepare(text: string) {
      let statement = statements.get(text);
      if (!statement) {
        statement = tracked(sqlite.prepare(text));
        // Oldest out first: text that varies (IN lists of other lengths) cannot grow it unbounded.
        if (statements.size >= STATEMENT_CACHE_SIZE) {
          statements.delete(statements.keys().next().value!);
        }
        statements.set(text, statement);
      }
      return statement;
    },
  };

  return {
    sqlite,
    connection: {
      database,
      prepare: (text) => database.prepare(text) as unknown as DirectStatement,
      inTransaction: () => sqlite.inTransaction,
      async commitWithoutSync(commit) {
        deferSync = true;
        try {
          return await commit();
        } finally {
          deferSync = false;
        }
      },
      syncWal() {
        if (!deferredWrites) return lastSync.catch(() => undefined);
        deferredWrites = false;
        lastSync = walSync.offThread(wal()).catch((error: unknown) => {
          // SQLite's own name for this failure, so it answers 503 like any other I/O fault.
          throw Object.assign(new Error("The database file could not be synced to disk."), {
            code: "SQLITE_IOERR_FSYNC",
            cause: error,
          });
        });
        return lastSync;
      },
    },
  };
}
