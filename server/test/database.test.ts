/**
 * The SQLite write path: group commit (several write transactions, one COMMIT) and the
 * prepared-statement cache. A second better-sqlite3 connection on the same file sees only what
 * is committed, which is how these tests tell "written" from "durable".
 */
import { join } from "node:path";

import SQLite from "better-sqlite3";
import { type Kysely, sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { MAX_GROUP_COMMIT, writeTransaction } from "../src/db/database.js";
import type { Database } from "../src/db/schema.js";
import { createTestDatabase, type TestDatabase } from "./helpers/databases.js";

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
    const order: string[] = [];
    await writeTransaction(database.handle, async (trx) => {
      await insert(trx, "outer");
      // Queued from inside a group: it must not wait for a group that is waiting for it.
      void writeTransaction(database.handle, (inner) => insert(inner, "queued")).then(() =>
        order.push("queued"),
      );
      order.push("outer");
    });
    await new Promise((resolve) => setImmediate(resolve));
    await writeTransaction(database.handle, (trx) => insert(trx, "later"));
    expect(order).toEqual(["outer", "queued"]);
    expect(committed()).toEqual(["outer", "queued", "later"]);
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
