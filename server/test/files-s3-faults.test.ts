/**
 * The S3 blob store when S3 is not what the configuration says (SPEC F12, BLOB_STORE=s3): a
 * bucket that does not exist, keys S3 refuses, an S3 that accepts connections and never answers.
 * A chunk is then answered 503 `unavailable` with Retry-After (never a 500, never a request held
 * until the socket is cut without an answer), the log names the S3 error for the operator, and
 * nothing is recorded as received: the client's retry, once S3 is right, stores the chunk.
 * A download that finds S3 gone before its first byte is the same 503 `unavailable` as JSON,
 * not the blob's headers over Fastify's own 500.
 */
import { createServer, type Server, type Socket } from "node:net";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createS3BlobStore } from "../src/features/blobs/store/s3-store.js";
import { createTestApp, testConfig, type TestApp } from "./helpers/app.js";
import { buildShare } from "./helpers/builders.js";
import { download, makeFile, putChunk, uploadFile, type TestFile } from "./helpers/files.js";
import { createShare, errorCode, json, reveal } from "./helpers/http.js";
import { waitFor } from "./helpers/remote.js";
import { startS3, type TestS3 } from "./helpers/s3.js";
import { startTcpProxy } from "./helpers/tcp-proxy.js";

describe("the S3 blob store when S3 refuses or does not answer", () => {
  let s3: TestS3;
  let silent: Server;
  const sockets = new Set<Socket>();
  let silentUrl = "";
  beforeAll(async () => {
    s3 = await startS3();
    // Accepts every connection, reads the request, never answers.
    silent = createServer((socket) => {
      sockets.add(socket);
      socket.on("data", () => undefined);
    });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    silentUrl = `http://127.0.0.1:${(silent.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
    await s3.close();
  });

  async function appWith(
    env: Record<string, string>,
    timeouts?: { connectMs: number; requestMs: number },
  ) {
    const full = { ...s3.env, ...env };
    const blobStore = createS3BlobStore(testConfig(full).files.s3, timeouts);
    const app = await createTestApp("sqlite", { env: full, blobStore });
    return { app, close: async () => (await app.close(), await blobStore.close()) };
  }

  async function shareWith(app: TestApp, file: TestFile) {
    const share = await buildShare();
    const res = await createShare(app.app, { ...share.body, blobs: [file.declaration] });
    expect(res.statusCode, res.body).toBe(201);
    return { id: share.body.id, token: json<{ uploadToken: string }>(res).uploadToken };
  }

  function putFirstChunk(app: TestApp, s: { id: string; token: string }, file: TestFile) {
    const bytes = file.chunks[0]!.bytes;
    return putChunk(app, { id: s.id, blobId: file.blobId, n: 0, token: s.token, bytes });
  }

  async function received(app: TestApp, s: { id: string; token: string }) {
    const res = await app.app.inject({
      method: "GET",
      url: `/api/v1/shares/${s.id}/upload`,
      headers: { "x-upload-token": s.token },
    });
    expect(res.statusCode, res.body).toBe(200);
    return json<{ blobs: { received: number[] }[] }>(res).blobs.flatMap((b) => b.received);
  }

  it.each([
    ["a bucket that does not exist", { S3_BUCKET: "no-such-bucket" }, "S3_NoSuchBucket"],
    ["an access key S3 does not know", { S3_ACCESS_KEY_ID: "NOT-A-KEY" }, "S3_InvalidAccessKeyId"],
  ])("%s: 503 unavailable, the S3 error in the log, nothing recorded", async (_, env, logged) => {
    const { app, close } = await appWith(env);
    try {
      const file = await makeFile(10);
      const s = await shareWith(app, file);
      const res = await putFirstChunk(app, s, file);
      expect(res.statusCode, res.body).toBe(503);
      expect(errorCode(res)).toBe("unavailable");
      expect(res.headers["retry-after"]).toBe("5");
      const log = app.logs.join("");
      expect(log).toContain(`"errorCode":"${logged}"`);
      expect(log).not.toContain("unhandled error");
      expect(log).not.toContain(s3.env.S3_SECRET_ACCESS_KEY);
      expect(await received(app, s)).toEqual([]);
      // Said at start too, before anyone uploads: the bucket check's error line.
      const checked = app.logs.find((l) => l.includes("S3 bucket not usable"));
      expect(checked).toMatch(/"level":50/);
      expect(checked).toMatch(/"errorCode":"S3_\w+"/);
      expect(checked).toContain("check S3_BUCKET");
    } finally {
      await close();
    }
  });

  it("the bucket as configured: the start-up check says it is reachable", async () => {
    const { app, close } = await appWith({});
    try {
      await waitFor("the bucket check", () =>
        app.logs.some((l) => l.includes("S3 bucket reachable")) ? true : undefined,
      );
      expect(app.logs.join("")).not.toContain("S3 bucket not usable");
    } finally {
      await close();
    }
  });

  it("an S3 that never answers: 503 within the store's timeouts, not a request held open", async () => {
    const { app, close } = await appWith(
      { S3_ENDPOINT: silentUrl },
      { connectMs: 1_000, requestMs: 1_000 },
    );
    try {
      const file = await makeFile(10);
      const s = await shareWith(app, file);
      const started = Date.now();
      const res = await putFirstChunk(app, s, file);
      // Two attempts of 1 s each, and the SDK's back-off between them.
      expect(Date.now() - started).toBeLessThan(8_000);
      expect(res.statusCode, res.body).toBe(503);
      expect(app.logs.join("")).toMatch(/"errorCode":"S3_(ETIMEDOUT|TimeoutError)"/);
      expect(await received(app, s)).toEqual([]);
    } finally {
      await close();
    }
  }, 30_000);

  it("S3 gone when a download starts: 503 `unavailable` as JSON, not the blob's headers on a 500", async () => {
    const target = new URL(s3.env.S3_ENDPOINT ?? "");
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port) });
    const { app, close } = await appWith(
      { S3_ENDPOINT: proxy.urlFor(s3.env.S3_ENDPOINT ?? "").replace(/\/$/, "") },
      { connectMs: 1_000, requestMs: 1_000 },
    );
    try {
      const file = await makeFile(10);
      const share = await buildShare();
      const created = await createShare(app.app, { ...share.body, blobs: [file.declaration] });
      const { uploadToken } = json<{ uploadToken: string }>(created);
      await uploadFile(app, share.body.id, uploadToken, file);
      const revealed = await reveal(app.app, share.body.id, { viewToken: share.body.viewToken });
      const { downloadToken } = json<{ downloadToken: string }>(revealed);
      const args = { id: share.body.id, blobId: file.blobId, token: downloadToken };

      proxy.cut("reset");
      for (const range of [undefined, "bytes=0-3"]) {
        const res = await download(app, { ...args, range });
        expect(res.statusCode, res.body).toBe(503);
        expect(res.headers["content-type"]).toMatch(/^application\/json/);
        expect(res.headers["content-range"]).toBeUndefined();
        expect(res.headers["content-disposition"]).toBeUndefined();
        expect(res.headers["retry-after"]).toBe("5");
        expect(errorCode(res)).toBe("unavailable");
      }
      expect(app.logs.join("")).not.toContain("unhandled error");

      // S3 back: the same token downloads the file.
      proxy.restore();
      const again = await download(app, args);
      expect(again.statusCode).toBe(200);
      expect(again.rawPayload.equals(Buffer.from(file.chunks[0]!.bytes))).toBe(true);
    } finally {
      await close();
      await proxy.close();
    }
  }, 30_000);
});
