/**
 * One query layer over two engines: SQLite (better-sqlite3) for the embedded default and
 * PostgreSQL (pg) for scale-out. Everything above this file speaks Kysely only.
 */
import { chmodSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

import {
  Kysely,
  PostgresDialect,
  sql,
  SqliteAdapter,
  SqliteDialect,
  type KyselyPlugin,
} from "kysely";
import type pgModule from "pg";

import {
  createCheckpointer,
  type CheckpointResult,
  type CheckpointTiming,
} from "./checkpointer.js";
import { allowPoolQueries } from "./direct-postgres.js";
import { allowDirect, runDirect } from "./direct-sqlite.js";
import { createDiskReserve, type DiskReserve, type DiskReserveEvent } from "./disk-reserve.js";
import { GroupCommit, type FullDiskRescue, type GroupCommitListener } from "./group-commit.js";
import { prepareNamedStatements } from "./pg-prepared.js";
import type { Database } from "./schema.js";
import { openSqliteConnection, type SqliteConnectionOptions } from "./sqlite-connection.js";

export type Dialect = "sqlite" | "postgres";

export interface DatabaseHandle {
  db: Kysely<Database>;
  dialect: Dialect;
  /** SQLite only: subscribes to committed groups (group-commit.ts); returns the unsubscribe. */
  onGroupCommit?: (listener: GroupCommitListener) => () => void;
  /** SQLite only: subscribes to the worker's checkpoints (checkpointer.ts); returns the unsubscribe. */
  onCheckpoint?: (listener: (result: CheckpointResult) => void) => () => void;
  /** SQLite only: the file, for checkpoints and tests that inspect what is on disk. */
  file: string | null;
  /** SQLite with `diskReserve` only: the room kept for destructions on a full disk (disk-reserve.ts). */
  diskReserve?: DiskReserve | null;
  close(): Promise<void>;
}

/**
 * The PostgreSQL driver, loaded the first time a PostgreSQL database is opened: the SQLite default
 * does not carry it. (A synchronous require, so opening a database stays synchronous.)
 */
function loadPg(): typeof pgModule {
  const pg = createRequire(import.meta.url)("pg") as typeof pgModule;
  // int8 (COUNT, bigint columns) as number: our values are epoch milliseconds, far below 2^53.
  pg.types.setTypeParser(20, (value) => Number(value));
  return pg;
}

/**
 * SQLite's page cache per connection, in KiB (a negative cache_size). better-sqlite3 compiles
 * SQLite with 16 MB (SQLITE_DEFAULT_CACHE_SIZE=-16000) where SQLite's own default is 2 MB, and
 * every file chunk moved through the database store runs 1 MiB of overflow pages through it, so
 * after the first 16 chunks of any transfer the server held 16 MB more than idle for good (issue
 * 17: RSS within 64 MB of idle while files move). SQLite's default keeps the B-tree pages the hot
 * paths walk; the rest come from the OS's page cache (bench/README.md, ninth round).
 */
export const SQLITE_CACHE_KIB = 2_000;

/**
 * Dirty pages a write transaction may hold in SQLite's cache before it spills them to the WAL
 * (cache_spill), about 10 MB of 4 KiB pages. With the 2 MB cache above, a group commit carrying
 * two or more 1 MiB file chunks spilled their pages one at a time mid-transaction, each through
 * its own trip into the WAL; kept until the COMMIT they are written there together. The same
 * frames reach the WAL and the same sync follows the COMMIT: only the spilling's own work goes
 * (issue 17, bench/README.md fifteenth round: server CPU per MiB uploaded 0.88x in 4 interleaved
 * pairs). The memory is the group's while it commits, bounded by this; the cache shrinks back to
 * SQLITE_CACHE_KIB once the pages are clean. Not a multiple of 256: SQLite reads the number as a
 * boolean too, through a byte, and 2,560 would switch spilling off altogether.
 */
export const SQLITE_SPILL_PAGES = 2_500;

/** How long to wait for a PostgreSQL connection (or a free one in the pool). */
export const PG_CONNECT_TIMEOUT_MS = 3_000;
/** The longest a PostgreSQL statement may run. Ours take milliseconds, or wait on a row lock. */
export const PG_STATEMENT_TIMEOUT_MS = 5_000;

export interface DatabaseOptions extends SqliteConnectionOptions {
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
  /**
   * PostgreSQL: named prepared statements, once per connection (pg-prepared.ts): `true` for every
   * statement, `"auto"` (the default) for the hot compiled ones on the pool with a fallback to
   * unnamed ones (direct-postgres.ts), `false` for none.
   */
  preparedStatements?: boolean | "auto";
  /** Told once if `"auto"` falls back to unnamed statements (the server refused a name). */
  onUnnamedStatements?: (code: string) => void;
  /** SQLite: the checkpointer's timing (checkpointer.ts; tests on a loaded machine). */
  checkpointTiming?: CheckpointTiming;
  /**
   * SQLite: keep a disk reserve in dataDir (disk-reserve.ts), so destructions still commit on a
   * full disk; told of its changes (the server logs them). Off for tests' databases and tools.
   */
  diskReserve?: { bytes?: number; onEvent?: (event: DiskReserveEvent) => void };
}

export function openDatabase(options: DatabaseOptions): DatabaseHandle {
  if (options.databaseUrl) {
    const timeouts = options.statementTimeouts ?? true;
    const pg = loadPg();
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
    pool.on("connect", (client) => {
      client.on("error", () => {});
      if (options.preparedStatements === true) prepareNamedStatements(client);
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    allowPoolQueries(db, pool, {
      named: (options.preparedStatements ?? "auto") === "auto",
      onUnnamed: options.onUnnamedStatements,
    });
    return { db, dialect: "postgres", file: null, close: () => db.destroy() };
  }

  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const file = options.sqliteFile ?? join(options.dataDir, "hushlink.sqlite");
  // WAL, and every commit synced before it is acknowledged (sqlite-connection.ts): a committed
  // reveal survives a power cut, so a consumed one-time secret never comes back.
  const { sqlite, connection } = openSqliteConnection(file, options);
  // Owner only, like the folder: SQLite gives its -wal and -shm files the same mode.
  chmodSync(file, 0o600);
  sqlite.pragma("foreign_keys = ON");
  // Deleted content is overwritten with zeros instead of lingering in free pages.
  sqlite.pragma("secure_delete = ON");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma(`cache_size = -${SQLITE_CACHE_KIB}`);
  sqlite.pragma(`cache_spill = ${SQLITE_SPILL_PAGES}`);
  const db = new Kysely<Database>({
    dialect: new SqliteWithTransactionalDdl({ database: connection.database }),
  });
  // Reads of the hot compiled queries skip Kysely's executor while no transaction is open; while
  // one is (a group between BEGIN and COMMIT), they wait for the connection as before.
  allowDirect(db, (text, parameters) => {
    if (sqlite.inTransaction) return undefined;
    const statement = connection.prepare(text);
    return statement.readonly ? runDirect(statement, parameters) : undefined;
  });
  const reserve = options.diskReserve
    ? createDiskReserve(options.dataDir, options.diskReserve)
    : null;
  reserve?.ensure();
  const rescue: FullDiskRescue | null = reserve && {
    refuseOthers: () => !reserve.ensure(),
    release: () => reserve.release(),
    spent: () => !reserve.held(),
    // The WAL's room back to the file system, between two groups (the group commit waits for it).
    checkpoint: () =>
      whileBusy(() => {
        try {
          const [row] = sqlite.pragma("wal_checkpoint(TRUNCATE)") as { busy: number }[];
          return row?.busy === 1;
        } catch {
          return false; // the disk: the sweep's checkpoint tries again
        }
      }),
    restore: () => void reserve.ensure(),
  };
  const group = new GroupCommit(db, connection, rescue);
  groupCommits.set(db, group);
  // Checkpoints run on a worker's connection, not in the COMMIT of a request's group.
  const checkpointer = createCheckpointer(
    file,
    (pages) => sqlite.pragma(`wal_autocheckpoint = ${pages}`),
    options.checkpointTiming,
  );
  group.listen((writes) => checkpointer.wrote(writes));
  return {
    db,
    dialect: "sqlite",
    file,
    diskReserve: reserve,
    onGroupCommit: (listener) => group.listen(listener),
    onCheckpoint: (listener) => checkpointer.onCheckpoint(listener),
    close: async () => {
      await checkpointer.close();
      await db.destroy();
    },
  };
}

/**
 * SQLite's DDL is transactional, but Kysely's SQLite adapter says it is not, so its migrator ran
 * each statement of each migration as a transaction of its own: 145 commits, each one synced, to
 * create a fresh database (0.26 s of a start-up's CPU profile at 1–2 ms per fsync). Saying so
 * lets the migrator run the pending migrations in one transaction: one sync, and a run that fails
 * leaves the schema as it found it. No migration uses a PRAGMA, which a transaction would ignore.
 * Nothing else in Kysely reads this flag.
 */
class SqliteWithTransactionalDdl extends SqliteDialect {
  override createAdapter() {
    return new (class extends SqliteAdapter {
      override get supportsTransactionalDdl() {
        return true;
      }
    })();
  }
}

/** Each SQLite database's group commit, made with it in openDatabase. */
const groupCommits = new WeakMap<Kysely<Database>, GroupCommit>();

/**
 * The same database with a Kysely plugin on the statements run outside write transactions (a
 * test records the SQL a path sends with it); writes keep the database's one group commit.
 */
export function withPlugin(handle: DatabaseHandle, plugin: KyselyPlugin): DatabaseHandle {
  const db = handle.db.withPlugin(plugin);
  const group = groupCommits.get(handle.db);
  if (group) groupCommits.set(db, group);
  return { ...handle, db };
}

/**
 * Runs `fn` in a transaction that holds the write lock from its first statement, and settles only
 * once that transaction is committed and on disk.
 *
 * PostgreSQL: a transaction of its own; row locks taken by UPDATE keep concurrent writers apart.
 * SQLite: a place in the next group commit (group-commit.ts), which shares one COMMIT and one
 * fsync among the writes of an event-loop turn.
 */
export function writeTransaction<T>(
  handle: Pick<DatabaseHandle, "db" | "dialect">,
  fn: (trx: Kysely<Database>) => Promise<T>,
  kind: WriteKind = {},
): Promise<T> {
  if (handle.dialect === "postgres") return handle.db.transaction().execute(fn);
  return groupOf(handle.db).run(fn, false, kind.destroys);
}

/**
 * `destroys`: the write destroys or consumes a share's content (a delete, a reveal, a lock, an
 * expiry). On SQLite it may use the disk reserve's room on a full disk, and is not refused while
 * the reserve is spent (disk-reserve.ts). PostgreSQL's disk is its operator's (docs/deploy.md).
 */
export interface WriteKind {
  destroys?: boolean;
}

function groupOf(db: Kysely<Database>): GroupCommit {
  const group = groupCommits.get(db);
  if (!group) throw new Error("this SQLite database was not opened by openDatabase");
  return group;
}

/** A write transaction on one database, as services take it: `transact((trx) => …)`. */
export type Transact = <T>(fn: (trx: Kysely<Database>) => Promise<T>) => Promise<T>;

export function transactionsOn(
  handle: Pick<DatabaseHandle, "db" | "dialect">,
  kind: WriteKind = {},
): Transact {
  return (fn) => writeTransaction(handle, fn, kind);
}

/**
 * Runs `fn`, which makes one statement (atomic by itself), and settles once it is durable.
 * PostgreSQL: the statement alone, one round trip instead of BEGIN … COMMIT's three. SQLite: a
 * place in the next group commit like any write, without the savepoint a write of several
 * statements needs (a failed statement is backed out by SQLite itself).
 */
export function writeStatement<T>(
  handle: Pick<DatabaseHandle, "db" | "dialect">,
  fn: (db: Kysely<Database>) => Promise<T>,
  kind: WriteKind = {},
): Promise<T> {
  return handle.dialect === "postgres"
    ? fn(handle.db)
    : groupOf(handle.db).run(fn, true, kind.destroys);
}

/** How long `checkpoint` tries again while another connection's checkpoint holds the lock. */
const TRUNCATE_RETRY_MS = 2_000;

/** SQLite: move the WAL into the main file and truncate it, so destroyed bytes leave the disk files. */
export async function checkpoint(handle: Pick<DatabaseHandle, "db" | "dialect">): Promise<void> {
  if (handle.dialect !== "sqlite") return;
  // The checkpoint worker (checkpointer.ts) may be copying the WAL: SQLite then answers this
  // TRUNCATE busy at once, without waiting, and the WAL would keep destroyed bytes until the next
  // sweep. A passive copy takes milliseconds, so try again for a bounded while. (A reader
  // holding an old snapshot makes SQLite wait busy_timeout itself, which ends the loop.)
  await whileBusy(async () => {
    const { rows } = await sql<{ busy: number }>`pragma wal_checkpoint(TRUNCATE)`.execute(
      handle.db,
    );
    return rows[0]?.busy === 1;
  });
}

/** Runs `truncate` (a TRUNCATE checkpoint: whether SQLite answered busy) again while busy, for a while. */
async function whileBusy(truncate: () => boolean | Promise<boolean>): Promise<void> {
  const until = Date.now() + TRUNCATE_RETRY_MS;
  while ((await truncate()) && Date.now() < until) await sleep(10);
}

export async function ping(handle: Pick<DatabaseHandle, "db">): Promise<void> {
  await sql`select 1`.execute(handle.db);
}
