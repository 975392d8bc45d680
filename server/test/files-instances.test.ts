/**
 * Files across instances (SPEC F12, §5 scale-out): two server processes on one PostgreSQL
 * database and one S3 bucket (a real S3 server on 127.0.0.1) serve one share whichever of them
 * each request reaches: chunks uploaded through both, the upload status read on either, the
 * reveal on one and the downloads (whole and ranged) on the other, and the delete on one
 * clearing the bucket for both. Needs PostgreSQL (TEST_DATABASE_URL) and the build.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { decryptFile, FILE_CHUNK_BYTES } from "@hushlink/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { buildShare } from "./helpers/builders.js";
import { createTestDatabase, type TestDatabase } from "./helpers/databases.js";
import { makeFile, sha256 } from "./helpers/files.js";
import { call, waitFor } from "./helpers/remote.js";
import { startS3, type TestS3 } from "./helpers/s3.js";
import { startServer, type ServerProcess } from "./helpers/server-process.js";
import { suitesNeeding } from "./helpers/services.js";

const ROOT_KEY = Buffer.alloc(32, 17).toString("base64");
const MiB = FILE_CHUNK_BYTES;

for (const services of await suitesNeeding("files on two instances", ["postgres"])) {
  void services;
  describe("two instances on one PostgreSQL database and one S3 bucket", () => {
    let testDb: TestDatabase;
    let s3: TestS3;
    const dirs: string[] = [];
    const instances: ServerProcess[] = [];

    beforeAll(async () => {
      testDb = await createTestDatabase("postgres");
      s3 = await startS3();
      for (let i = 0; i < 2; i++) {
        const dir = mkdtempSync(join(tmpdir(), "hushlink-files-instances-"));
        dirs.push(dir);
        instances.push(
          await startServer(
            {
              ...s3.env,
              DATA_DIR: dir,
              DATABASE_URL: testDb.url ?? "",
              DATABASE_POOL_SIZE: "4",
              HUSHLINK_ROOT_KEY: ROOT_KEY,
            },
            30_000,
          ),
        );
      }
    }, 90_000);
    afterAll(async () => {
      for (const s of instances) await s.stop().catch(() => undefined);
      await s3?.close();
      await testDb?.drop();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    });

    const put = (base: string, path: string, token: string, bytes: Uint8Array) =>
      fetch(`${base}${path}`, {
        method: "PUT",
        headers: { "x-upload-token": token, "content-type": "application/octet-stream" },
        body: bytes as Uint8Array<ArrayBuffer>,
      });

    it("serves one share with files whichever instance each request reaches", async () => {
      const [a, b] = instances.map((s) => s.url) as [string, string];
      const files = await Promise.all([0, 5, MiB, 3 * MiB + 1].map(makeFile));
      const share = await buildShare();
      const created = await call(a, "POST", "/api/v1/shares", {
        body: { ...share.body, blobs: files.map((f) => f.declaration) },
      });
      expect(created.status).toBe(201);
      const id = share.body.id;
      const uploadToken = created.body.uploadToken as string;

      // Chunks alternate between the instances; the status is read on the other one.
      let turn = 0;
      for (const file of files) {
        for (const chunk of file.chunks) {
          const base = turn++ % 2 ? b : a;
          const res = await put(
            base,
            `/api/v1/shares/${id}/blobs/${file.blobId}/${chunk.index}`,
            uploadToken,
            chunk.bytes,
          );
          expect(res.status, await res.text()).toBe(204);
          if (chunk.index === 0 && file === files[2]) {
            const status = await call(turn % 2 ? a : b, "GET", `/api/v1/shares/${id}/upload`, {
              headers: { "x-upload-token": uploadToken },
            });
            expect(status.body.ready).toBe(false);
          }
        }
      }
      expect((await call(b, "GET", `/api/v1/shares/${id}`)).body.ready).toBe(true);
      expect(s3.objectCount(id)).toBe(files.reduce((n, f) => n + f.chunks.length, 0));

      const revealed = await call(a, "POST", `/api/v1/shares/${id}/reveal`, {
        body: { viewToken: share.body.viewToken },
      });
      expect(revealed.status).toBe(200);
      const downloadToken = revealed.body.downloadToken as string;
      for (const file of files) {
        const res = await fetch(`${b}/api/v1/shares/${id}/blobs/${file.blobId}`, {
          headers: { "x-download-token": downloadToken },
        });
        expect(res.status).toBe(200);
        const bytes = new Uint8Array(await res.arrayBuffer());
        expect(sha256(await decryptFile(file.key, bytes))).toBe(sha256(file.plaintext));
      }
      // A range across a chunk boundary, on the instance that did not reveal.
      const big = files[3]!;
      const ranged = await fetch(`${b}/api/v1/shares/${id}/blobs/${big.blobId}`, {
        headers: { "x-download-token": downloadToken, range: `bytes=${MiB}-${MiB + 99}` },
      });
      expect(ranged.status).toBe(206);
      const expected = Buffer.concat(big.chunks.map((c) => Buffer.from(c.bytes))).subarray(
        MiB,
        MiB + 100,
      );
      expect(Buffer.from(await ranged.arrayBuffer()).equals(expected)).toBe(true);
    }, 120_000);

    it("a delete on one instance empties the bucket for both", async () => {
      const [a, b] = instances.map((s) => s.url) as [string, string];
      const file = await makeFile(2 * MiB);
      const share = await buildShare({ maxViews: 2 });
      const created = await call(b, "POST", "/api/v1/shares", {
        body: { ...share.body, blobs: [file.declaration] },
      });
      const { uploadToken, manageToken } = created.body as Record<string, string>;
      const id = share.body.id;
      for (const chunk of file.chunks) {
        const res = await put(
          a,
          `/api/v1/shares/${id}/blobs/${file.blobId}/${chunk.index}`,
          uploadToken!,
          chunk.bytes,
        );
        expect(res.status).toBe(204);
      }
      const revealed = await call(b, "POST", `/api/v1/shares/${id}/reveal`, {
        body: { viewToken: share.body.viewToken },
      });
      expect(s3.objectCount(id)).toBe(file.chunks.length);
      expect(
        (
          await call(a, "DELETE", `/api/v1/shares/${id}`, {
            headers: { "x-manage-token": manageToken! },
          })
        ).status,
      ).toBe(204);
      await waitFor(
        "the bucket to empty",
        () => (s3.objectCount(id) === 0 ? true : undefined),
        10_000,
      );
      const gone = await fetch(`${b}/api/v1/shares/${id}/blobs/${file.blobId}`, {
        headers: { "x-download-token": revealed.body.downloadToken as string },
      });
      expect(gone.status).toBe(410);
    }, 60_000);
  });
}
