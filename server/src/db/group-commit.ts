/**
 * Group commit for SQLite. Each write transaction used to be its own BEGIN IMMEDIATE … COMMIT, and
 * every COMMIT waited for an fsync: half of a create's or a reveal's cost, and on a busy disk most of
 * its latency. Here the write transactions that arrive within one turn of the event loop share one
 * BEGIN IMMEDIATE … COMMIT and one fsync, which runs on the thread pool (sqlite-connection.ts):
 *
 * - each runs alone inside its own SAVEPOINT, one after the other, so a failing one is rolled back
 *   to its savepoint without touching the others and sees exactly what a transaction of its own
 *   would (better-sqlite3 is synchronous: nothing interleaves); a write that is one statement
 *   (writeStatement, a create's INSERT) needs none: SQLite backs out a failed statement by itself
 *   and keeps the transaction, as PostgreSQL runs such a write alone;
 * - nobody's promise settles before the COMMIT has returned and the WAL is synced, so durability is
 *   that of a synced transaction per request;
 * - BEGIN IMMEDIATE takes the write lock at once, so two processes on one file queue on
 *   busy_timeout instead of failing to upgrade a read lock;
 * - while a group's fsync runs, the next group already collects and commits.
 */
import { CompiledQuery, type Kysely } from "kysely";

import { allowDirect, runDirect } from "./direct-sqlite.js";
import type { Database } from "./schema.js";
import type { SqliteConnection } from "./sqlite-connection.js";

/**
 * The most write transactions one commit carries. Bounds how long the last of a group waits for the
 * others (each takes tens of microseconds) and how much one failed COMMIT takes with it.
 */
export const MAX_GROUP_COMMIT = 64;

type Work = (trx: Kysely<Database>) => Promise<unknown>;

// Compiled once: each write runs a savepoint and its release, each group a BEGIN and a COMMIT.
const BEGIN = CompiledQuery.raw("begin immediate");
const SAVEPOINT = CompiledQuery.raw("savepoint hl_write");
const ROLLBACK_TO = CompiledQuery.raw("rollback to hl_write");
const RELEASE = CompiledQuery.raw("release hl_write");
const COMMIT = CompiledQuery.raw("commit");
const ROLLBACK = CompiledQuery.raw("rollback");

interface PendingWrite {
  fn: Work;
  /** One statement, atomic by itself: run without a savepoint around it. */
  oneStatement: boolean;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Settled = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Told of each group that committed and synced: how many writes it carried, how long the sync took. */
export type GroupCommitListener = (writes: number, syncSeconds: number) => void;

export class GroupCommit {
  private queue: PendingWrite[] = [];
  private collecting = false;
  private readonly listeners = new Set<GroupCommitListener>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly connection: Pick<
      SqliteConnection,
      "commitWithoutSync" | "syncWal" | "prepare" | "inTransaction"
    >,
  ) {}

  /**
   * `oneStatement`: `fn` makes one statement, atomic by itself (writeStatement), so it runs without
   * the SAVEPOINT and RELEASE each other write gets: two statements fewer per create.
   */
  run<T>(fn: (trx: Kysely<Database>) => Promise<T>, oneStatement = false): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const pending = { fn, oneStatement, resolve: resolve as (value: unknown) => void, reject };
      this.queue.push(pending);
      if (!this.collecting) {
        this.collecting = true;
        // After the poll phase: every request that arrived in this turn has queued its write.
        setImmediate(() => void this.flush());
      }
    });
  }

  /** Subscribes to committed groups (metrics); returns the unsubscribe. */
  listen(listener: GroupCommitListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async flush(): Promise<void> {
    const batch = this.queue.splice(0, MAX_GROUP_COMMIT);
    let settled: Settled[];
    let durable: Promise<void>;
    let syncStarted = 0;
    try {
      settled = await this.db.connection().execute((conn) => this.commit(conn, batch));
      syncStarted = performance.now();
      durable = this.connection.syncWal();
    } catch (error) {
      // BEGIN or COMMIT failed, or SQLite lost the transaction: none of the batch happened.
      settled = batch.map(() => ({ ok: false, error }));
      durable = Promise.resolve();
    }
    // The next group may commit while this one's fsync runs.
    if (this.queue.length > 0) setImmediate(() => void this.flush());
    else this.collecting = false;
    try {
      await durable;
      if (syncStarted > 0) {
        const seconds = (performance.now() - syncStarted) / 1000;
        for (const listener of this.listeners) listener(batch.length, seconds);
      }
    } catch (error) {
      // Committed but perhaps not on disk: nobody may be told it happened.
      settled = batch.map(() => ({ ok: false, error }));
    }
    batch.forEach((item, i) => {
      const outcome = settled[i]!;
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    });
  }

  private async commit(conn: Kysely<Database>, batch: PendingWrite[]): Promise<Settled[]> {
    // The group holds the connection from here to its COMMIT, and each write holds it inside its
    // savepoint: the group's own statements and the writes' compiled ones run straight on
    // better-sqlite3 (direct-sqlite.ts), without Kysely's promises around each.
    const direct = (query: CompiledQuery) => runDirect(this.connection.prepare(query.sql), []);
    allowDirect(conn, (text, parameters) => runDirect(this.connection.prepare(text), parameters));
    direct(BEGIN);
    try {
      const settled: Settled[] = [];
      for (const item of batch) {
        if (item.oneStatement) {
          try {
            settled.push({ ok: true, value: await item.fn(conn) });
          } catch (error) {
            // SQLite backed the statement out and kept the transaction, unless the failure ended
            // it (I/O error, disk full): then the outer catch reports the batch as lost.
            if (!this.connection.inTransaction()) throw error;
            settled.push({ ok: false, error });
          }
          continue;
        }
        direct(SAVEPOINT);
        try {
          settled.push({ ok: true, value: await item.fn(conn) });
        } catch (error) {
          // Fails when SQLite already rolled the whole transaction back (I/O error, disk full);
          // the outer catch then reports the batch as lost.
          await conn.executeQuery(ROLLBACK_TO).catch(() => {
            throw error;
          });
          settled.push({ ok: false, error });
        }
        direct(RELEASE);
      }
      // The executor runs at once; a COMMIT that throws rejects.
      await this.connection.commitWithoutSync(
        () => new Promise((resolve) => resolve(direct(COMMIT))),
      );
      return settled;
    } catch (error) {
      try {
        direct(ROLLBACK);
      } catch {
        // Nothing to roll back (SQLite already did): the error below says what happened.
      }
      throw error;
    }
  }
}
