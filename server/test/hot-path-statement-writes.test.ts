/**
 * Issue 24: on SQLite a write of one statement (writeStatement: a create's INSERT, the sweeper's
 * UPDATE, "delete all expired") joins the group commit without the SAVEPOINT and RELEASE a write
 * of several statements gets: SQLite backs a failed statement out by itself and keeps the
 * transaction, as PostgreSQL runs such a write alone. What a write sees and leaves is unchanged:
 * a failed statement leaves none of its rows and its neighbours commit; a failure that ends
 * SQLite's transaction loses the whole group, as before.
 */
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";

import { openDatabase, writeStatement, writeTransaction } from "../src/db/database.js";
import { findShare, insertShare } from "../src/features/shares/shares.repository.js";
import { createTestDatabase, testDialects, type TestDatabase } from "./helpers/databases.js";
import { shareRow } from "./helpers/rows.js";

const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

let t: TestDatabase | undefined;
afterEach(async () => {
  await t?.drop();
  t = undefined;
});

describe("SQLite's group commit runs a one-statement write without a savepoint", () => {
  it("a group of 8 creates runs 10 statements: BEGIN, the 8 INSERTs, COMMIT", async () => {
    t = await createTestDatabase("sqlite");
    const ran: string[] = [];
    const handle = openDatabase({
      databaseUrl: null,
      dataDir: t.dataDir,
      traceStatements: (text) => ran.push(text.split(" ")[0]!.toLowerCase()),
    });
    ran.length = 0; // the pragmas of opening
    try {
      // One turn of the event loop: the 8 writes share one group.
      const writes = ids("c", 8).map((id) =>
        writeStatement(handle, (db) => insertShare(db, shareRow(id))),
      );
      expect(await Promise.all(writes)).toEqual(Array(8).fill(true));
      // With a savepoint and its release around each INSERT it was 26.
      expect(ran).toEqual(["begin", ...Array<string>(8).fill("insert"), "commit"]);
      for (const id of ids("c", 8)) expect((await findShare(handle.db, id))?.id).toBe(id);
    } finally {
      await handle.close();
    }
  });

  it("a statement that ends SQLite's transaction loses its whole group, as before", async () => {
    t = await createTestDatabase("sqlite");
    const { handle } = t;
    // SQLite rolls the transaction back itself on an I/O error or a full disk; here by hand.
    const ending = writeStatement(handle, async (db) => {
      await sql`rollback`.execute(db);
      throw new Error("the transaction is gone");
    });
    const single = writeStatement(handle, (db) => insertShare(db, shareRow("g1")));
    const several = writeTransaction(handle, (trx) => insertShare(trx, shareRow("g2")));
    await expect(ending).rejects.toThrow("the transaction is gone");
    await expect(single).rejects.toThrow("the transaction is gone");
    await expect(several).rejects.toThrow("the transaction is gone");
    expect(await findShare(handle.db, "g1")).toBeUndefined();
    expect(await findShare(handle.db, "g2")).toBeUndefined();
    // The next group commits as usual.
    expect(await writeStatement(handle, (db) => insertShare(db, shareRow("g3")))).toBe(true);
  });
});

describe.each(testDialects)("a one-statement write that fails, %s", (dialect) => {
  it("leaves none of its rows, and the writes beside it commit", async () => {
    t = await createTestDatabase(dialect);
    const { handle } = t;
    expect(await writeStatement(handle, (db) => insertShare(db, shareRow("f0")))).toBe(true);
    const before = writeStatement(handle, (db) => insertShare(db, shareRow("f1")));
    // Two rows in one INSERT: the first is new, the second's id is taken, so the statement fails
    // after it wrote its first row.
    const failing = writeStatement(handle, (db) =>
      db
        .insertInto("shares")
        .values([shareRow("f2"), shareRow("f0")])
        .execute(),
    );
    const after = writeTransaction(handle, (trx) => insertShare(trx, shareRow("f3")));
    await expect(failing).rejects.toThrow(/unique|primary/i);
    expect(await before).toBe(true);
    expect(await after).toBe(true);
    expect(await findShare(handle.db, "f2")).toBeUndefined();
    for (const id of ["f0", "f1", "f3"]) expect((await findShare(handle.db, id))?.id).toBe(id);
  });
});
