/**
 * The SQLite write path: group commit (several write transactions, one COMMIT) and the
 * prepared-statement cache. A second better-sqlite3 connection on the same file sees only what
 * is committed, which is how these tests tell "written" from "durable".
 */
import { randomBytes } from "node:crypto";
import { fdatasync, fdatasyncSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

import SQLite from "better-sqlite3";
import { type Kysely, sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import {
  openDatabase,
  SQLITE_CACHE_KIB,
  SQLITE_SPILL_PAGES,
  checkpoint,
  writeTransaction,
  type DatabaseHandle,
} from "../src/db/database.js";
import { MAX_GROUP_COMMIT } from "../src/db/group-commit.js";
import type { Database } from "../src/db/schema.js";
import { isUnavailable } from "../src/plugins/error-handler.js";
import { createTestApp } from "./helpers/app.js";
import { buildShare } from "./helpers/builders.js";
import { createTestDatabase, type TestDatabase } from "./helpers/databases.js";
import { createShare } from "./helpers/http.js";

let database: TestDatabase;
let observer: SQLite.Database;

// A scratch table outside the app's schema, so the tests say nothing about the app's own tables.
const insert = (trx: Kysely<Database>, v: string) =>
  sql`insert into scratch (v) values (${v})`.execute(trx);
const committed = () =>
  (observer.prepare("select v from scratch order by id").all() as { v: string }[]).map((r) => r.v);

beforeEach(async () => {
  database = await createTestDatabase("sqlite");
  await sql`create table scratch (id integer primary key, v text not null unique)`.execute(
    database.handle.db,
  );
  observer = new SQLite(join(database.dataDir, "hushlink.sqlite"), { readonly: true });
});

afterEach(async () => {
  observer.close();
  await database.drop();
});

describe("group commit on SQLite", () => {
  it("commits the writes of one event-loop turn together, and settles none before the commit", async () => {
    const seenInside: string[][] = [];
    const settledWith: string[][] = [];
    const writes = ["a", "b", "c"].map((v) =>
      writeTransaction(database.handle, async (trx) => {
        await insert(trx, v);
        // Written in this transaction, but nothing of the group is committed yet.
        seenInside.push(committed());
        return v;
      }).then((value) => {
        settledWith.push(committed());
        return value;
      }),
    );
    expect(await Promise.all(writes)).toEqual(["a", "b", "c"]);
    expect(seenInside).toEqual([[], [], []]);
    expect(settledWith).toEqual([
      ["a", "b", "c"],
      ["a", "b", "c"],
      ["a", "b", "c"],
    ]);
  });

  it("rolls a failing write back to its savepoint and keeps the others of its group", async () => {
    const results = await Promise.allSettled([
      writeTransaction(database.handle, (trx) => insert(trx, "first")),
      writeTransaction(database.handle, async (trx) => {
        await insert(trx, "half-done");
        throw new Error("refused after writing");
      }),
      // A constraint error from SQLite itself, inside the group.
      writeTransaction(database.handle, (trx) => insert(trx, "first")),
      writeTransaction(database.handle, (trx) => insert(trx, "last")),
    ]);
    expect(results.map((r) => r.status)).toEqual([
      "fulfilled",
      "rejected",
      "rejected",
      "fulfilled",
    ]);
    expect(String((results[1] as PromiseRejectedResult).reason)).toContain("refused after writing");
    expect(String((results[2] as PromiseRejectedResult).reason)).toContain("UNIQUE");
    expect(committed()).toEqual(["first", "last"]);
  });

  it("rejects the whole group when SQLite loses the transaction, since none of it is durable", async () => {
    const results = await Promise.allSettled([
      writeTransaction(database.handle, (trx) => insert(trx, "before")),
      writeTransaction(database.handle, async (trx) => {
        // What SQLite does on an I/O error or a full disk: the transaction is gone.
        await sql`rollback`.execute(trx);
        throw new Error("disk I/O error");
      }),
      writeTransaction(database.handle, (trx) => insert(trx, "after")),
    ]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected", "rejected"]);
    for (const r of results) expect(String((r as PromiseRejectedResult).reason)).toContain("disk");
    expect(committed()).toEqual([]);
    // The connection is usable again afterwards.
    await writeTransaction(database.handle, (trx) => insert(trx, "next"));
    expect(committed()).toEqual(["next"]);
  });

  it("splits a burst larger than one group into several commits and loses none", async () => {
    const n = MAX_GROUP_COMMIT * 3 + 5;
    const groupsSeen = new Set<number>();
    await Promise.all(
      Array.from({ length: n }, (_, i) =>
        writeTransaction(database.handle, async (trx) => {
          await insert(trx, `w${i}`);
          // How many rows were committed when this write ran tells which group it was in.
          groupsSeen.add(committed().length);
        }),
      ),
    );
    expect(committed()).toHaveLength(n);
    expect([...groupsSeen].sort((a, b) => a - b)).toEqual([
      0,
      MAX_GROUP_COMMIT,
      MAX_GROUP_COMMIT * 2,
      MAX_GROUP_COMMIT * 3,
    ]);
  });

  it("serves writes queued while a group commits in the next group", async () => {
    let queued: Promise<unknown> = Promise.resolve();
    await writeTransaction(database.handle, async (trx) => {
      await insert(trx, "outer");
      // Queued from inside a group: it must not wait for a group that is waiting for it.
      queued = writeTransaction(database.handle, (inner) => insert(inner, "queued"));
    });
    await new Promise((resolve) => setImmediate(resolve));
    await writeTransaction(database.handle, (trx) => insert(trx, "later"));
    // Groups commit in order. Their fsyncs may return out of order (a later group's sync covers
    // the earlier frames too, so nobody is told of a write before it is on disk): `queued` is
    // awaited rather than expected to have settled before `later` (it had not, once, under load).
    await queued;
    expect(committed()).toEqual(["outer", "queued", "later"]);
  });
  // A Kysely instance (and its executor) per group was about 5% of an upload's samples (issue 24).
  it("hands every group the same Kysely instance on its connection, across 100 groups", async () => {
    const seen = new Set<Kysely<Database>>();
    for (let i = 0; i < 100; i++) {
      await writeTransaction(database.handle, async (trx) => {
        seen.add(trx);
        await insert(trx, `g${i}`);
      });
    }
    expect(committed()).toHaveLength(100);
    expect(seen.size).toBe(1);
    expect(seen.has(database.handle.db)).toBe(false);
  });
});

describe("the prepared-statement cache", () => {
  it("answers a cached statement with the table as it is after a schema change", async () => {
    const db = database.handle.db;
    await writeTransaction(database.handle, (trx) => insert(trx, "x"));
    const read = () => sql<Record<string, unknown>>`select * from scratch`.execute(db);
    expect((await read()).rows).toEqual([{ id: 1, v: "x" }]);
    await sql`alter table scratch add column extra text default 'y'`.execute(db);
    expect((await read()).rows).toEqual([{ id: 1, v: "x", extra: "y" }]);
  });

  it("keeps answering correctly past its capacity of distinct statements", async () => {
    const db = database.handle.db;
    await writeTransaction(database.handle, (trx) => insert(trx, "x"));
    for (let i = 0; i < 600; i++) {
      const { rows } = await sql<{ n: number }>`select ${sql.lit(i)} as n from scratch`.execute(db);
      expect(rows).toEqual([{ n: i }]);
    }
  });
});

describe("the page cache", () => {
  it("is SQLite's 2 MB on the app's connection, not better-sqlite3's 16 MB", async () => {
    // better-sqlite3's build default, which every chunk of a file transfer filled (issue 17).
    expect(observer.pragma("cache_size", { simple: true })).toBe(-16_000);
    const { rows } = await sql<{ cache_size: number }>`pragma cache_size`.execute(
      database.handle.db,
    );
    expect(rows).toEqual([{ cache_size: -SQLITE_CACHE_KIB }]);
    expect(SQLITE_CACHE_KIB).toBe(2_000);
  });

  it("holds a group's file chunks until its COMMIT, up to about 10 MB, instead of spilling them page by page", async () => {
    const { handle } = database;
    const db = handle.db;
    await sql`create table chunks_probe (n integer primary key, data blob not null)`.execute(db);
    const wal = `${handle.file!}-wal`;
    const chunk = randomBytes(1024 * 1024);
    /** Inserts `count` 1 MiB rows in one write transaction; how much the WAL grew before its COMMIT. */
    const walGrowthBeforeCommit = async (count: number, from: number) => {
      await checkpoint(handle);
      const before = statSync(wal).size;
      return writeTransaction(handle, async (trx) => {
        for (let n = from; n < from + count; n++) {
          await sql`insert into chunks_probe (n, data) values (${n}, ${chunk})`.execute(trx);
        }
        return statSync(wal).size - before;
      });
    };
    // Four chunks in flight, as the page and the CLI send them: nothing written before the COMMIT
    // (with SQLite's default threshold, the 2 MB cache, about 1 MiB of them already was).
    expect(await walGrowthBeforeCommit(4, 0)).toBe(0);
    // The bound holds: a transaction past it spills as before.
    expect(SQLITE_SPILL_PAGES * 4096).toBeLessThan(12 * 1024 * 1024);
    expect(await walGrowthBeforeCommit(12, 4)).toBeGreaterThan(0);
    // Every row committed whole.
    const rows = observer.prepare(
      "select count(*) as n, sum(length(data)) as bytes from chunks_probe",
    );
    expect(rows.get()).toEqual({ n: 16, bytes: 16 * 1024 * 1024 });
  });
});

describe("every commit is synced to disk before anyone hears of it", () => {
  // A database of its own whose WAL syncs are counted, and held at will, by the test; each sync
  // still does the real fdatasync.
  let dataDir: string;
  let handle: DatabaseHandle;
  let own: SQLite.Database;
  const syncs = { inline: 0, offThread: 0 };
  let hold: Promise<void> = Promise.resolve();
  let failNext = false;
  /** What happened, in order: each off-thread sync's return and the answers the tests note. */
  let order: string[] = [];

  const seen = () =>
    (own.prepare("select v from scratch order by id").all() as { v: string }[]).map((r) => r.v);

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "hushlink-sync-"));
    syncs.inline = syncs.offThread = 0;
    hold = Promise.resolve();
    order = [];
    failNext = false;
    handle = openDatabase({
      databaseUrl: null,
      dataDir,
      walSync: {
        inline(fd) {
          syncs.inline++;
          fdatasyncSync(fd);
        },
        async offThread(fd) {
          syncs.offThread++;
          await hold;
          if (failNext)
            throw Object.assign(new Error("EIO: i/o error, fdatasync"), { code: "EIO" });
          await promisify(fdatasync)(fd);
          order.push("synced");
        },
      },
    });
    await sql`create table scratch (id integer primary key, v text not null unique)`.execute(
      handle.db,
    );
    own = new SQLite(join(dataDir, "hushlink.sqlite"), { readonly: true });
  });

  afterEach(async () => {
    own.close();
    await handle.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("answers a group only once its fsync has returned", async () => {
    let release!: () => void;
    hold = new Promise((resolve) => (release = resolve));
    const write = writeTransaction(handle, (trx) => insert(trx, "a")).then(() =>
      order.push("answered"),
    );
    // Committed (another connection sees it) and its sync started, held by the test.
    await expect.poll(seen).toEqual(["a"]);
    await expect.poll(() => syncs.offThread).toBe(1);
    release();
    await write;
    // The caller was answered only once the sync had returned: told by the order, not by a wait.
    expect(order).toEqual(["synced", "answered"]);
    expect(syncs.inline).toBe(1); // the CREATE TABLE, a commit outside any group
  });

  it("makes a later group that wrote nothing wait for the sync of what it may have read", async () => {
    let release!: () => void;
    hold = new Promise((resolve) => (release = resolve));
    const write = writeTransaction(handle, (trx) => insert(trx, "a")).then(() =>
      order.push("write answered"),
    );
    await expect.poll(seen).toEqual(["a"]);
    let readRan = false;
    const read = writeTransaction(handle, async (trx) => {
      const { rows } = await sql<{ v: string }>`select v from scratch`.execute(trx);
      readRan = true;
      return rows.map((r) => r.v);
    }).then((rows) => {
      order.push("read answered");
      return rows;
    });
    // The read's group has run and committed while the first group's sync is still held.
    await expect.poll(() => readRan).toBe(true);
    release();
    expect(await read).toEqual(["a"]);
    await write;
    // It was answered after that sync returned, though it had nothing of its own to sync.
    expect(order.indexOf("read answered")).toBeGreaterThan(order.indexOf("synced"));
    expect(syncs.offThread).toBe(1);
  });

  it("tells every caller of a group that failed to sync that it failed, with a 503 code", async () => {
    failNext = true;
    const results = await Promise.allSettled([
      writeTransaction(handle, (trx) => insert(trx, "a")),
      writeTransaction(handle, (trx) => insert(trx, "b")),
    ]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    const reason = (results[0] as PromiseRejectedResult).reason as {
      code: string;
      message: string;
    };
    expect(reason.code).toBe("SQLITE_IOERR_FSYNC");
    expect(reason.message).not.toContain("scratch");
    expect(isUnavailable(reason)).toBe(true);
    failNext = false;
    await writeTransaction(handle, (trx) => insert(trx, "c"));
    expect(syncs.offThread).toBe(2);
  });

  it("syncs a write made outside any group before the statement returns, and no read", async () => {
    await sql`insert into scratch (v) values ('solo')`.execute(handle.db);
    expect(syncs.inline).toBe(2);
    await sql`select * from scratch`.execute(handle.db);
    expect(syncs.inline).toBe(2);
    // Kysely's own transactions (the migrator uses them) are synced at their COMMIT, once.
    await handle.db.transaction().execute(async (trx) => {
      await insert(trx, "t1");
      await insert(trx, "t2");
    });
    expect(syncs.inline).toBe(3);
    expect(seen()).toEqual(["solo", "t1", "t2"]);
  });
});

describe("group commit metrics", () => {
  /** The value of one sample line of the Prometheus text, e.g. `name_sum`. */
  const sample = (body: string, name: string) =>
    Number(new RegExp(`^${name} (\\S+)$`, "m").exec(body)?.[1] ?? NaN);

  it("counts the writes per commit and times each WAL sync, for /metrics", async () => {
    const t = await createTestApp("sqlite");
    try {
      const shares = await Promise.all(Array.from({ length: 12 }, () => buildShare()));
      const created = await Promise.all(shares.map((s) => createShare(t.app, s.body)));
      expect(created.map((r) => r.statusCode)).toEqual(shares.map(() => 201));
      const body = await t.metrics.registry.metrics();
      const groups = sample(body, "hushlink_sqlite_group_commit_writes_count");
      // Every create is one write in some group; the signed-out creates carry no other writes.
      expect(sample(body, "hushlink_sqlite_group_commit_writes_sum")).toBe(12);
      expect(groups).toBeGreaterThanOrEqual(1);
      expect(groups).toBeLessThanOrEqual(12);
      expect(sample(body, "hushlink_sqlite_wal_sync_seconds_count")).toBe(groups);
      expect(sample(body, "hushlink_sqlite_wal_sync_seconds_sum")).toBeGreaterThan(0);
    } finally {
      await t.close();
    }
  });
});
