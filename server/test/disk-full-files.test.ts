/**
 * Destroying shares with files (BLOB_STORE=database) on a full disk (SQLite, a tmpfs filled to its
 * last block as in disk-full.test.ts). With secure_delete every freed page of a chunk is zeroed
 * through the WAL: destroying a share with 4 MiB of files in one statement needs more room than the
 * 2 MiB disk reserve (db/disk-reserve.ts) gives back. The link holder's delete, the manage page's
 * "destroy now" and the expiry sweep must still destroy the share and its chunks, answering 2xx.
 */
import { join } from "node:path";

import SQLite from "better-sqlite3";
import { afterAll, afterEach, expect, it } from "vitest";

import { buildShare, type BuiltShare } from "./helpers/builders.js";
import { makeFile, type TestFile } from "./helpers/files.js";
import { fullDiskSuite } from "./helpers/full-disk.js";
import { call, errorCode, waitFor } from "./helpers/remote.js";
import { processScope, startServer } from "./helpers/server-process.js";
import { fillDisk } from "./helpers/tmpfs.js";

const MiB = 1024 * 1024;
const FILE_BYTES = 4 * MiB;
const { servers, killServers, removeDirs } = processScope("hushlink-disk-full-files-");
afterEach(killServers);
afterAll(removeDirs);

interface Uploaded {
  share: BuiltShare;
  file: TestFile;
  manageToken: string;
}

async function createWithFile(base: string): Promise<Uploaded> {
  const share = await buildShare();
  const file = await makeFile(FILE_BYTES);
  const created = await call(base, "POST", "/api/v1/shares", {
    body: { ...share.body, blobs: [file.declaration] },
  });
  expect(created.status).toBe(201);
  const { uploadToken, manageToken } = created.body as Record<string, string>;
  for (const chunk of file.chunks) {
    const res = await fetch(
      `${base}/api/v1/shares/${share.body.id}/blobs/${file.blobId}/${chunk.index}`,
      {
        method: "PUT",
        headers: { "x-upload-token": uploadToken!, "content-type": "application/octet-stream" },
        body: chunk.bytes as Uint8Array<ArrayBuffer>,
      },
    );
    expect(res.status, await res.text()).toBe(204);
  }
  expect((await call(base, "GET", `/api/v1/shares/${share.body.id}`)).body.ready).toBe(true);
  return { share, file, manageToken: manageToken! };
}

fullDiskSuite(
  "destroying shares with files on a full disk (SQLite, BLOB_STORE=database)",
  { size: "32m", beforeUnmount: killServers },
  (mountPoint) => {
    it("a link holder's DELETE, destroy now and the expiry sweep destroy the share and its chunks", async ({
      annotate,
    }) => {
      const dataDir = join(mountPoint(), "data");
      const server = await startServer({ DATA_DIR: dataDir, SWEEP_INTERVAL: "1" }, 30_000);
      servers.push(server);
      const [byHolder, byManager, expiring] = [
        await createWithFile(server.url),
        await createWithFile(server.url),
        await createWithFile(server.url),
      ] as [Uploaded, Uploaded, Uploaded];

      const file = join(dataDir, "hushlink.sqlite");
      const side = new SQLite(file, { fileMustExist: true });
      const chunksOf = (u: Uploaded) =>
        (
          side
            .prepare("select count(*) as n from blob_chunks where share_id = ?")
            .get(u.share.body.id) as { n: number }
        ).n;
      const statusOf = (u: Uploaded) =>
        (
          side.prepare("select status from shares where id = ?").get(u.share.body.id) as {
            status: string;
          }
        ).status;
      try {
        for (const u of [byHolder, byManager, expiring])
          expect(chunksOf(u)).toBe(u.file.chunks.length);
        // The third expires in a few seconds, after the disk is full: the sweep (every second) finds it.
        side
          .prepare("update shares set expires_at = ? where id = ?")
          .run(Date.now() + 4000, expiring.share.body.id);
        // The WAL emptied first (as a sweep's checkpoint would), so the filler takes its room too.
        side.pragma("wal_checkpoint(TRUNCATE)");
        const { written, freeBlocks } = fillDisk(mountPoint(), join(mountPoint(), "filler"));
        await annotate(`disk full: filler ${written} bytes, ${freeBlocks} blocks free`);

        const refused = await call(server.url, "POST", "/api/v1/shares", {
          body: (await buildShare({ text: "y".repeat(8192) })).body,
        });
        expect({ status: refused.status, code: errorCode(refused) }).toEqual({
          status: 503,
          code: "unavailable",
        });

        const deleted = await call(
          server.url,
          "DELETE",
          `/api/v1/shares/${byHolder.share.body.id}`,
          {
            headers: { "x-view-token": byHolder.share.body.viewToken },
          },
        );
        await annotate(`disk full: a link holder's DELETE answered ${deleted.status}`);
        const destroyed = await call(
          server.url,
          "DELETE",
          `/api/v1/shares/${byManager.share.body.id}`,
          {
            headers: { "x-manage-token": byManager.manageToken },
          },
        );
        await annotate(`disk full: destroy now (the manage token) answered ${destroyed.status}`);
        // What the disk reserve went through, for a failure's report (db/disk-reserve.ts).
        const reserveLines = server.output().match(/"msg":"(disk full|disk reserve)[^"]{0,40}/g);
        await annotate(`disk reserve: ${(reserveLines ?? []).join(" | ")}`);
        expect([deleted.status, destroyed.status]).toEqual([204, 204]);
        for (const u of [byHolder, byManager]) {
          expect(await call(server.url, "GET", `/api/v1/shares/${u.share.body.id}`)).toMatchObject({
            status: 410,
            body: { error: { reason: "deleted" } },
          });
          expect(chunksOf(u)).toBe(0);
        }

        await waitFor(
          "the sweep expiring the third share",
          () => (statusOf(expiring) === "expired" ? true : undefined),
          20_000,
        );
        expect(chunksOf(expiring)).toBe(0);
        expect(
          await call(server.url, "GET", `/api/v1/shares/${expiring.share.body.id}`),
        ).toMatchObject({
          status: 410,
          body: { error: { reason: "expired" } },
        });
        expect(server.output()).not.toContain("unhandled error");
        expect(server.output()).not.toContain("sweep failed");
      } finally {
        side.close();
      }
    }, 90_000);
  },
);
