/**
 * The disk reserve in the group commit (db/disk-reserve.ts, group-commit.ts), on a 1 MiB tmpfs:
 * destructions that do not fit on a full disk run again on the reserve's room, together or one at
 * a time; one that does not fit even then changes nothing; other writes are never retried.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { sql, type Kysely } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import {
  checkpoint,
  openDatabase,
  writeStatement,
  type DatabaseHandle,
} from "../src/db/database.js";
import { DISK_RESERVE_FILE } from "../src/db/disk-reserve.js";
import type { Database } from "../src/db/schema.js";
import { isUnavailable } from "../src/plugins/error-handler.js";
import { cannotMountTmpfs, fillDisk, mountTmpfs, unmountTmpfs } from "./helpers/tmpfs.js";

const ROW_BYTES = 150 * 1024;

const cannotMount = cannotMountTmpfs();
if (cannotMount) console.warn(`disk reserve tests: not run: cannot mount a tmpfs (${cannotMount})`);

for (const _ of cannotMount ? [] : [1]) {
  describe("the disk reserve in the group commit (SQLite)", () => {
    let mountPoint = "";
    let handle: DatabaseHandle;
    let events: string[];
    const open = (bytes: number) => {
      events = [];
      handle = openDatabase({
        databaseUrl: null,
        dataDir: join(mountPoint, "data"),
        diskReserve: { bytes, onEvent: (event) => events.push(event) },
      });
    };
    const insert = (db: Kysely<Database>, id: number, bytes: number) =>
      sql`insert into scratch (id, body) values (${id}, ${randomBytes(bytes)})`.execute(db);
    const remove = (id: number) =>
      writeStatement(handle, (db) => sql`delete from scratch where id = ${id}`.execute(db), {
        destroys: true,
      });
    const ids = async () =>
      (await sql<{ id: number }>`select id from scratch order by id`.execute(handle.db)).rows.map(
        (r) => r.id,
      );
    /** Two rows of ROW_BYTES, the WAL emptied, then the disk filled to its last block. */
    const fullDiskWithTwoRows = async () => {
      await sql`create table scratch (id integer primary key, body blob not null)`.execute(
        handle.db,
      );
      for (const id of [1, 2]) await writeStatement(handle, (db) => insert(db, id, ROW_BYTES));
      await checkpoint(handle);
      fillDisk(mountPoint, join(mountPoint, "filler"));
    };

    beforeEach(() => {
      mountPoint = mkdtempSync(join(tmpdir(), "hushlink-reserve-"));
      const failed = mountTmpfs(mountPoint, "1m");
      if (failed) throw new Error(`mount failed: ${failed}`);
    });
    afterEach(async () => {
      await handle?.close();
      unmountTmpfs(mountPoint);
    });

    it("runs two destructions that do not fit together one at a time, and never retries a create", async () => {
      open(256 * 1024);
      const reserve = join(mountPoint, "data", DISK_RESERVE_FILE);
      expect(statSync(reserve).size).toBe(256 * 1024);
      await fullDiskWithTwoRows();

      const create = writeStatement(handle, (db) => insert(db, 3, 16 * 1024));
      // The same turn: one group, whose ~310 kB of zeroed pages exceed the 256 KiB reserve.
      const [created, first, second] = await Promise.allSettled([create, remove(1), remove(2)]);
      expect(created.status).toBe("rejected");
      expect(isUnavailable((created as PromiseRejectedResult).reason)).toBe(true);
      expect([first.status, second.status]).toEqual(["fulfilled", "fulfilled"]);
      expect(await ids()).toEqual([]);
      expect(events[0]).toBe("released");

      // Room again: the next write puts the reserve back first.
      unlinkSync(join(mountPoint, "filler"));
      await writeStatement(handle, (db) => insert(db, 4, 1024));
      expect(existsSync(reserve) && statSync(reserve).size).toBe(256 * 1024);
      expect(await ids()).toEqual([4]);
    });

    it("refuses every other write at once while the reserve is spent, and restores it with room", async () => {
      open(256 * 1024);
      await fullDiskWithTwoRows();
      await remove(1);
      // The rescue wrote the reserve back; then something else took the room it freed.
      expect(handle.diskReserve?.held()).toBe(true);
      handle.diskReserve?.release();
      fillDisk(mountPoint, join(mountPoint, "filler-2"));
      const refused = await writeStatement(handle, (db) => insert(db, 5, 10)).catch(
        (e: unknown) => e,
      );
      expect(isUnavailable(refused)).toBe(true);
      expect((refused as Error).message).toContain("only destructions are written");
      // No room at all, and no reserve: the destruction answers 503 and changes nothing.
      expect(isUnavailable(await remove(2).catch((e: unknown) => e))).toBe(true);
      expect(await ids()).toEqual([2]);
      unlinkSync(join(mountPoint, "filler-2"));
      unlinkSync(join(mountPoint, "filler"));
      await writeStatement(handle, (db) => insert(db, 6, 10));
      expect(handle.diskReserve?.held()).toBe(true);
      await remove(2);
      expect(await ids()).toEqual([6]);
      expect(events).toContain("restored");
    });

    it("while the reserve is spent, a destruction that fits gives its WAL back before the next", async () => {
      open(256 * 1024);
      await fullDiskWithTwoRows();
      // The reserve spent and not written back: the room left (192 KiB) is less than the reserve.
      handle.diskReserve?.release();
      writeFileSync(join(mountPoint, "filler-2"), Buffer.alloc(64 * 1024));
      const wal = join(mountPoint, "data", "hushlink.sqlite-wal");
      // Each fits in that room alone (~155 KB of zeroed pages), never two in one WAL: each must
      // hand its WAL back to the file system before the next begins, though neither failed.
      await remove(1);
      expect(statSync(wal).size).toBe(0);
      await remove(2);
      expect(statSync(wal).size).toBe(0);
      expect(await ids()).toEqual([]);
      expect(handle.diskReserve?.held()).toBe(false);
      // Room again: the next write puts the reserve back first.
      unlinkSync(join(mountPoint, "filler-2"));
      unlinkSync(join(mountPoint, "filler"));
      await writeStatement(handle, (db) => insert(db, 7, 10));
      expect(handle.diskReserve?.held()).toBe(true);
    });

    it("a destruction too large even for the reserve changes nothing, and answers 503", async () => {
      open(16 * 1024);
      await fullDiskWithTwoRows();
      const failed = await remove(1).catch((e: unknown) => e);
      expect(isUnavailable(failed)).toBe(true);
      expect(await ids()).toEqual([1, 2]);
    });
  });
}
