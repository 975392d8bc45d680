/**
 * Issue 24: on SQLite the hot compiled queries run straight on better-sqlite3's kept statements
 * (db/direct-sqlite.ts), and that changes nothing they see or do: a read outside a transaction
 * still waits while a group commit holds uncommitted rows, and a failed write is still rolled back
 * to its savepoint. The metadata's read without a promise (findMetadataNow, shares.metadata.ts)
 * reads at once only where the promised read would not have waited, and only the columns its
 * answer needs.
 */
import { afterEach, describe, expect, it } from "vitest";

import { writeTransaction, type DatabaseHandle } from "../src/db/database.js";
import { directRuns } from "../src/db/direct-sqlite.js";
import {
  findMetadataNow,
  findShare,
  insertShare,
  METADATA_COLUMNS,
} from "../src/features/shares/shares.repository.js";
import { createTestDatabase, type TestDatabase } from "./helpers/databases.js";
import { shareRow } from "./helpers/rows.js";

/** Whether `promise` settled within a few turns of the event loop. */
async function settlesSoon(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  void promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
  return settled;
}

/**
 * A write group that has inserted share `id` and holds it uncommitted until `finish()`; `write`
 * settles once it has committed.
 */
async function holdInsertedShare(handle: DatabaseHandle, id: string) {
  let inserted!: () => void;
  const insertedNow = new Promise<void>((resolve) => (inserted = resolve));
  let finish!: () => void;
  const held = new Promise<void>((resolve) => (finish = resolve));
  const write = writeTransaction(handle, async (trx) => {
    await insertShare(trx, shareRow(id));
    inserted();
    await held;
  });
  await insertedNow;
  return { finish, write };
}

describe("the hot queries straight on SQLite's statements", () => {
  let t: TestDatabase | undefined;
  afterEach(async () => {
    await t?.drop();
    t = undefined;
  });

  it("a create's INSERT and a metadata SELECT skip Kysely's executor", async () => {
    t = await createTestDatabase("sqlite");
    const { handle } = t;
    const before = directRuns.count;
    expect(await writeTransaction(handle, (trx) => insertShare(trx, shareRow("s1")))).toBe(true);
    expect(directRuns.count).toBe(before + 1);
    expect((await findShare(handle.db, "s1"))?.ciphertext).toBe("Y2lwaGVy");
    expect(directRuns.count).toBe(before + 2);
    // The same id again: the conflict clause answers false, as through Kysely.
    expect(await writeTransaction(handle, (trx) => insertShare(trx, shareRow("s1")))).toBe(false);
  });

  it("a read waits while a group holds uncommitted rows, and then sees them committed", async () => {
    t = await createTestDatabase("sqlite");
    const { handle } = t;
    const { finish, write } = await holdInsertedShare(handle, "s2");
    const before = directRuns.count;
    const read = findShare(handle.db, "s2");
    // Straight on the connection it would answer at once, with the row not yet committed.
    expect(await settlesSoon(read)).toBe(false);
    finish();
    await write;
    expect((await read)?.id).toBe("s2");
    expect(directRuns.count).toBe(before);
  });

  it("a read without a promise answers at once, except while a group holds uncommitted rows", async () => {
    t = await createTestDatabase("sqlite");
    const { handle } = t;
    expect(findMetadataNow(handle.db, "s5")).toEqual({ row: undefined });
    const { finish, write } = await holdInsertedShare(handle, "s5");
    // The connection holds the group's row, not yet committed: no answer now (the caller awaits).
    expect(findMetadataNow(handle.db, "s5")).toBeUndefined();
    finish();
    await write;
    expect(findMetadataNow(handle.db, "s5")?.row?.id).toBe("s5");
  });

  it("the metadata's read takes only the columns its answer needs, not the ciphertext", async () => {
    t = await createTestDatabase("sqlite");
    const { handle } = t;
    await writeTransaction(handle, (trx) => insertShare(trx, shareRow("s6")));
    const row = findMetadataNow(handle.db, "s6")?.row;
    expect(row?.id).toBe("s6");
    expect(Object.keys(row!).sort()).toEqual([...METADATA_COLUMNS].sort());
    for (const column of ["ciphertext", "iv", "view_token_hash", "manage_token_hash"])
      expect(row).not.toHaveProperty(column);
  });

  it("a write that fails after its direct INSERT leaves nothing behind", async () => {
    t = await createTestDatabase("sqlite");
    const { handle } = t;
    const failing = writeTransaction(handle, async (trx) => {
      await insertShare(trx, shareRow("s3"));
      throw new Error("after the insert");
    });
    const other = writeTransaction(handle, (trx) => insertShare(trx, shareRow("s4")));
    await expect(failing).rejects.toThrow("after the insert");
    expect(await other).toBe(true);
    expect(await findShare(handle.db, "s3")).toBeUndefined();
    expect((await findShare(handle.db, "s4"))?.id).toBe("s4");
  });
});
