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
 * - while a group's fsync runs, the next group already collects and commits;
 * - on a full disk (SQLITE_FULL) the destructions of a failed group run again, alone, on the room
 *   of the disk reserve (disk-reserve.ts); while it is spent, other writes are refused at once.
 */
import { CompiledQuery, type DatabaseConnection, type Kysely } from "kysely";

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
  /** It destroys (or consumes) content: it may use the disk reserve's room. */
  destroys: boolean;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Settled = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Told of each group that committed and synced: how many writes it carried, how long the sync took. */
export type GroupCommitListener = (writes: number, syncSeconds: number) => void;

/** What the group commit asks of the disk reserve (disk-reserve.ts), through database.ts. */
export interface FullDiskRescue {
  /** The reserve is spent and the disk still has no room for it: refuse a write that is not a destruction. */
  refuseOthers(): boolean;
  /** Gives the reserve back to the file system; false when it was already spent. */
  release(): boolean;
  /** The reserve is not in place (given back, and not written again yet). */
  spent(): boolean;
  /**
   * Moves the WAL into the database file and truncates it: its room back to the file system.
   * Tries again for a while when another connection's checkpoint holds SQLite's lock.
   */
  checkpoint(): Promise<void>;
  /** Destructions were committed on the reserve's room: write it again if there is room. */
  restore(): void;
}

/** SQLite's SQLITE_FULL, and its extended forms. */
export function isDiskFull(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("SQLITE_FULL");
}

/** The error a write refused while the reserve is spent fails with: 503 `unavailable`, as SQLite's own. */
export function diskFullError(): Error {
  return Object.assign(new Error("The disk is full: only destructions are written."), {
    code: "SQLITE_FULL",
  });
}

export class GroupCommit {
  private queue: PendingWrite[] = [];
  private collecting = false;
  private readonly listeners = new Set<GroupCommitListener>();
  /**
   * The Kysely instance the writes get, on the connection a group holds: made by the first group
   * and kept (SQLite's driver has one connection). `db.connection().execute` built a new one, with
   * its executor, for every group: about 5% of an upload's samples (issue 24).
   */
  private bound: { connection: DatabaseConnection; db: Kysely<Database> } | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly connection: Pick<
      SqliteConnection,
      "commitWithoutSync" | "syncWal" | "prepare" | "inTransaction"
    >,
    private readonly rescue: FullDiskRescue | null = null,
  ) {}

  /**
   * `oneStatement`: `fn` makes one statement, atomic by itself (writeStatement), so it runs without
   * the SAVEPOINT and RELEASE each other write gets: two statements fewer per create.
   * `destroys`: it destroys or consumes content, and may run on the disk reserve's room.
   */
  run<T>(
    fn: (trx: Kysely<Database>) => Promise<T>,
    oneStatement = false,
    destroys = false,
  ): Promise<T> {
    if (!destroys && this.rescue?.refuseOthers()) return Promise.reject(diskFullError());
    return new Promise<T>((resolve, reject) => {
      const pending = {
        fn,
        oneStatement,
        destroys,
        resolve: resolve as (value: unknown) => void,
        reject,
      };
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
    // The first try is written out here rather than through attempt(): one async call more is
    // more promises on every write's path (hot-path-promises.test); attempt() is for the rescue.
    let settled: Settled[];
    let durable: Promise<void>;
    let syncStarted = 0;
    try {
      settled = await this.inGroup(batch);
      syncStarted = performance.now();
      durable = this.connection.syncWal();
    } catch (error) {
      // BEGIN or COMMIT failed, or SQLite lost the transaction: none of the batch happened.
      settled = batch.map(() => ({ ok: false, error }));
      durable = Promise.resolve();
    }
    // A full disk: the destructions it refused run again, alone, on the reserve's room. The
    // others fail as they did (503); nothing else runs in between (the queue waits for this flush).
    const refused = batch.filter((item, i) => {
      const outcome = settled[i]!;
      return item.destroys && !outcome.ok && isDiskFull(outcome.error);
    });
    if (refused.length > 0 && this.rescue) {
      // Spent already (an earlier rescue found no room to write it back): the room is in the WAL,
      // which a checkpoint may have emptied since, so the destructions are tried again anyway.
      this.rescue.release();
      // Together first; one at a time, with a checkpoint between, if they do not fit together.
      const tries = refused.length > 1 ? [refused, ...refused.map((item) => [item])] : [refused];
      const retried = new Map<PendingWrite, Settled>();
      const syncs = [durable];
      for (const group of tries) {
        if (group.every((item) => retried.has(item))) continue;
        const again = await this.attempt(group);
        if (again.lost !== undefined) continue;
        group.forEach((item, i) => retried.set(item, again.settled[i]!));
        syncs.push(again.durable);
        syncStarted ||= again.syncStarted;
        if (group.length === 1) await this.rescue.checkpoint();
      }
      settled = batch.map((item, i) => retried.get(item) ?? settled[i]!);
      durable = Promise.all(syncs).then(() => undefined);
    }
    // While the reserve is spent, a group that destroyed anything hands its WAL back before the
    // next group begins, rescued or not: a destruction that fitted in the room the reserve left
    // used that room, and without a checkpoint the next one would not find it (a failed checkpoint
    // or a page the database file grew by can keep the reserve from being written back).
    const recover = this.rescue?.spent() === true && batch.some((item) => item.destroys);
    // Otherwise the next group may commit while this one's fsync runs.
    if (!recover) this.next();
    try {
      await durable;
      if (syncStarted > 0) {
        const seconds = (performance.now() - syncStarted) / 1000;
        for (const listener of this.listeners) listener(batch.length, seconds);
      }
      if (recover) {
        await this.rescue?.checkpoint();
        this.rescue?.restore();
      }
    } catch (error) {
      // Committed but perhaps not on disk: nobody may be told it happened.
      settled = batch.map(() => ({ ok: false, error }));
    }
    if (recover) this.next();
    batch.forEach((item, i) => {
      const outcome = settled[i]!;
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    });
  }

  /** Starts the next group if writes are waiting; else the next write starts one. */
  private next(): void {
    if (this.queue.length > 0) setImmediate(() => void this.flush());
    else this.collecting = false;
  }

  /** One BEGIN … COMMIT of `batch`; `lost` is why none of it happened, if so. */
  private async attempt(batch: PendingWrite[]): Promise<{
    settled: Settled[];
    durable: Promise<void>;
    syncStarted: number;
    lost?: unknown;
  }> {
    try {
      const settled = await this.inGroup(batch);
      const syncStarted = performance.now();
      return { settled, durable: this.connection.syncWal(), syncStarted };
    } catch (error) {
      // BEGIN or COMMIT failed, or SQLite lost the transaction: none of the batch happened.
      const settled: Settled[] = batch.map(() => ({ ok: false, error }));
      return { settled, durable: Promise.resolve(), syncStarted: 0, lost: error };
    }
  }

  /** Commits `batch` holding the connection (Kysely's driver mutex), on the kept instance. */
  private async inGroup(batch: PendingWrite[]): Promise<Settled[]> {
    const bound = this.bound;
    if (bound !== null) {
      const settled = await this.db
        .getExecutor()
        .provideConnection((connection) =>
          connection === bound.connection ? this.commit(bound.db, batch) : Promise.resolve(null),
        );
      if (settled !== null) return settled;
    }
    // The first group, or the driver handed another connection: bind an instance to it.
    return this.db.connection().execute(async (conn) => {
      const connection = await conn
        .getExecutor()
        .provideConnection((held) => Promise.resolve(held));
      this.bound = { connection, db: conn };
      // The writes hold the connection inside their group: their compiled statements run straight
      // on better-sqlite3 (direct-sqlite.ts), without Kysely's promises around each.
      allowDirect(conn, (text, parameters) => runDirect(this.connection.prepare(text), parameters));
      return this.commit(conn, batch);
    });
  }

  private async commit(conn: Kysely<Database>, batch: PendingWrite[]): Promise<Settled[]> {
    // The group holds the connection from here to its COMMIT, and each write holds it inside its
    // savepoint: the group's own statements run straight on better-sqlite3 too.
    const direct = (query: CompiledQuery) => runDirect(this.connection.prepare(query.sql), []);
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
