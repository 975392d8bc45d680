/**
 * Destroying shares on a full disk (SQLite, a 4 MiB tmpfs as in faults.test.ts). Destruction is
 * the safe direction: a sender who shared a secret with the wrong person must still be able to
 * kill the link. With secure_delete, a DELETE writes zeroed pages and WAL frames, so a full disk
 * refused it; the server's disk reserve (db/disk-reserve.ts) is given back for destructions only,
 * creates keep answering 503, and the reserve is written again once there is room.
 */
import { existsSync, readFileSync, statSync, unlinkSync } from "node:fs";
import { join } from "node:path";

import SQLite from "better-sqlite3";
import { afterAll, afterEach, expect, it } from "vitest";

import { DISK_RESERVE_BYTES, DISK_RESERVE_FILE } from "../src/db/disk-reserve.js";
import { buildShare, type BuiltShare } from "./helpers/builders.js";
import { fullDiskSuite } from "./helpers/full-disk.js";
import { call, errorCode, waitFor } from "./helpers/remote.js";
import { processScope, startServer } from "./helpers/server-process.js";
import { fillDisk } from "./helpers/tmpfs.js";

const METRICS_TOKEN = "m".repeat(32);
const { servers, killServers, removeDirs } = processScope("hushlink-disk-full-");
afterEach(killServers);
afterAll(removeDirs);

const create = async (base: string, share: BuiltShare) => {
  const answer = await call(base, "POST", "/api/v1/shares", { body: share.body });
  return { ...answer, manageToken: answer.body.manageToken as string | undefined };
};
const metadata = (base: string, share: BuiltShare) =>
  call(base, "GET", `/api/v1/shares/${share.body.id}`);
const reveal = (base: string, share: BuiltShare) =>
  call(base, "POST", `/api/v1/shares/${share.body.id}/reveal`, {
    body: { viewToken: share.body.viewToken },
  });
const destroy = (base: string, share: BuiltShare, headers: Record<string, string>) =>
  call(base, "DELETE", `/api/v1/shares/${share.body.id}`, { headers });
const reserveMetric = async (base: string) => {
  const answer = await call(base, "GET", "/metrics", {
    headers: { authorization: `Bearer ${METRICS_TOKEN}` },
  });
  const text = typeof answer.body.text === "string" ? answer.body.text : "";
  return Number(/^hushlink_sqlite_disk_reserve_bytes (\d+)/m.exec(text)?.[1]);
};

fullDiskSuite(
  "destroying shares on a full disk (SQLite)",
  { size: "4m", beforeUnmount: killServers },
  (mountPoint) => {
    it("DELETE, a one-view reveal and the manage token still destroy; creates answer 503; the reserve comes back with room", async ({
      annotate,
    }) => {
      const dataDir = join(mountPoint(), "data");
      const server = await startServer(
        { DATA_DIR: dataDir, SWEEP_INTERVAL: "1", METRICS_TOKEN },
        30_000,
      );
      servers.push(server);
      const reserve = join(dataDir, DISK_RESERVE_FILE);
      expect(statSync(reserve).size).toBe(DISK_RESERVE_BYTES);
      expect(await reserveMetric(server.url)).toBe(DISK_RESERVE_BYTES);

      // The largest secret the default MAX_SECRET_BYTES (64 KiB) lets through, and smaller ones.
      const byManager = await buildShare({ text: "m".repeat(48 * 1024) });
      const byHolder = await buildShare({ maxViews: 3 });
      const oneView = await buildShare({ maxViews: 1 });
      const created = await create(server.url, byManager);
      expect(created.status).toBe(201);
      for (const s of [byHolder, oneView]) expect((await create(server.url, s)).status).toBe(201);

      // The WAL emptied first (as a sweep's checkpoint would), so the filler takes its room too.
      const file = join(dataDir, "hushlink.sqlite");
      const onDisk = () =>
        [file, `${file}-wal`]
          .filter((f) => existsSync(f))
          .map((f) => readFileSync(f).toString("latin1"))
          .join("");
      const needles = [byManager, byHolder, oneView].map((s) => s.body.ciphertext.slice(0, 48));
      const side = new SQLite(file, { fileMustExist: true });
      side.pragma("wal_checkpoint(TRUNCATE)");
      side.close();
      expect(needles.filter((n) => onDisk().includes(n))).toEqual(needles);
      const filler = join(mountPoint(), "filler");
      const { written, freeBlocks } = fillDisk(mountPoint(), filler);
      await annotate(`disk full: filler ${written} bytes, ${freeBlocks} blocks free`);

      const refusedBefore = await create(server.url, await buildShare({ text: "y".repeat(8192) }));
      expect({ status: refusedBefore.status, code: errorCode(refusedBefore) }).toEqual({
        status: 503,
        code: "unavailable",
      });

      // The manage page's "destroy now" (the manage token), a link holder's DELETE, a one-view reveal.
      const deleted = await destroy(server.url, byManager, {
        "x-manage-token": created.manageToken ?? "",
      });
      await annotate(`disk full: DELETE with the manage token answered ${deleted.status}`);
      expect(deleted.status).toBe(204);
      expect(await metadata(server.url, byManager)).toMatchObject({
        status: 410,
        body: { error: { reason: "deleted" } },
      });
      const byLink = await destroy(server.url, byHolder, {
        "x-view-token": byHolder.body.viewToken,
      });
      expect(byLink.status).toBe(204);
      const revealed = await reveal(server.url, oneView);
      expect(revealed).toMatchObject({ status: 200, body: { viewsRemaining: 0 } });
      expect(await metadata(server.url, oneView)).toMatchObject({
        status: 410,
        body: { error: { reason: "viewed" } },
      });

      // Creates still answer 503: the reserve's room is for destructions only. (The checkpoint after
      // the destructions gave the WAL's room back: taken again, as a full disk would.)
      fillDisk(mountPoint(), filler);
      const refused = await buildShare();
      const refusedAfter = await create(server.url, refused);
      expect({ status: refusedAfter.status, code: errorCode(refusedAfter) }).toEqual({
        status: 503,
        code: "unavailable",
      });
      expect(server.output()).toContain("disk full: the disk reserve was given back");

      // After the sweep's checkpoint the destroyed bytes are in neither the main file nor the WAL.
      await waitFor("the destroyed ciphertexts gone from the database files", () =>
        needles.every((n) => !onDisk().includes(n)) ? true : undefined,
      );

      // Room again: the reserve is written back, and creates work without a restart.
      unlinkSync(filler);
      expect((await create(server.url, refused)).status).toBe(201);
      await waitFor("the reserve written back", () =>
        existsSync(reserve) && statSync(reserve).size === DISK_RESERVE_BYTES ? true : undefined,
      );
      expect(await reserveMetric(server.url)).toBe(DISK_RESERVE_BYTES);
      expect(server.output()).toContain("disk reserve restored");
      expect(server.output()).not.toContain("unhandled error");
    });
  },
);
