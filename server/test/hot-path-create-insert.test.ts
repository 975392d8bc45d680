/**
 * Issue 24: a create's INSERT has no RETURNING clause. The count of rows it wrote tells a taken id
 * (0 rows: ON CONFLICT DO NOTHING) on both dialects, and on SQLite a RETURNING clause gathers its
 * rows and makes a row object per create for nothing. A collision still answers false, on the
 * short path (a group's statement on better-sqlite3, PostgreSQL's pool) and through Kysely.
 */
import { afterEach, describe, expect, it } from "vitest";

import { openDatabase, writeStatement, writeTransaction } from "../src/db/database.js";
import { findShare, insertShare } from "../src/features/shares/shares.repository.js";
import { createTestDatabase, testDialects, type TestDatabase } from "./helpers/databases.js";
import { shareRow } from "./helpers/rows.js";

let t: TestDatabase | undefined;
afterEach(async () => {
  await t?.drop();
  t = undefined;
});

describe("a create's INSERT on SQLite", () => {
  it("asks for no rows back", async () => {
    t = await createTestDatabase("sqlite");
    const ran: string[] = [];
    const handle = openDatabase({
      databaseUrl: null,
      dataDir: t.dataDir,
      traceStatements: (text) => ran.push(text),
    });
    try {
      expect(await writeStatement(handle, (db) => insertShare(db, shareRow("r1")))).toBe(true);
      const inserts = ran.filter((text) => /^insert into "shares"/i.test(text));
      expect(inserts).toHaveLength(1);
      // It was `… on conflict ("id") do nothing returning "id"`.
      expect(inserts[0]).not.toMatch(/returning/i);
    } finally {
      await handle.close();
    }
  });
});

describe.each(testDialects)("a create's INSERT, %s", (dialect) => {
  it("answers true for a new id and false for a taken one, alone and in a transaction", async () => {
    t = await createTestDatabase(dialect);
    const { handle } = t;
    expect(await writeStatement(handle, (db) => insertShare(db, shareRow("n1")))).toBe(true);
    expect(await writeStatement(handle, (db) => insertShare(db, shareRow("n1")))).toBe(false);
    expect(await writeTransaction(handle, (trx) => insertShare(trx, shareRow("n2")))).toBe(true);
    expect(await writeTransaction(handle, (trx) => insertShare(trx, shareRow("n2")))).toBe(false);
    // The taken id keeps its first row.
    expect((await findShare(handle.db, "n1"))?.id).toBe("n1");
  });
});
