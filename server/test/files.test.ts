/**
 * Files (SPEC F12, §3.1) through the real app: declared at create, uploaded chunk by chunk,
 * revealed, downloaded and decrypted, then destroyed on every path; on SQLite and PostgreSQL, with
 * the database store and with the S3 store against a real S3 server on 127.0.0.1.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import net from "node:net";

import {
  createRequestKeys,
  ENCRYPTED_CHUNK_BYTES,
  FILE_CHUNK_BYTES,
  sealAnswer,
} from "@hushlink/protocol";
import { describe, expect, it } from "vitest";

import { createTestApp } from "./helpers/app.js";
import { clockPerTest } from "./helpers/suite.js";
import { buildShare, FAST_KDF } from "./helpers/builders.js";
import {
  chunkFileCount,
  databasesAndStores,
  decryptedSha256,
  download,
  filesSuiteApp,
  makeFile,
  putChunk,
  sha256,
  storedChunks,
  uploadFile,
  type TestFile,
} from "./helpers/files.js";
import { createShare, deleteShare, getShare, json, reveal } from "./helpers/http.js";
import { UNFINISHED_UPLOAD_MS } from "../src/features/blobs/blobs.sweeper.js";

const MiB = FILE_CHUNK_BYTES;

describe.each(databasesAndStores)("files on %s, %s store", (dialect, store) => {
  const clock = clockPerTest();
  const app = filesSuiteApp(dialect, store, clock);

  async function createWith(files: TestFile[], overrides: Parameters<typeof buildShare>[0] = {}) {
    const share = await buildShare(overrides);
    const res = await createShare(app.app, {
      ...share.body,
      blobs: files.map((f) => f.declaration),
    });
    expect(res.statusCode, res.body).toBe(201);
    const { uploadToken } = json<{ uploadToken: string }>(res);
    return { share, id: share.body.id, uploadToken };
  }

  /** Everything of a share's files, wherever the store keeps it. */
  async function leftOf(id: string) {
    const chunks = await storedChunks(app, id);
    // Outside the rows: S3's objects, or the chunk file's chunks (SQLite's database store).
    const objects = app.s3 ? app.s3.objectCount(id) : await chunkFileCount(app, { shareId: id });
    return { ...chunks, objects };
  }

  it("round-trips an empty file, 5 bytes, exactly 1 MiB and 1 MiB + 1 byte", async () => {
    const files = await Promise.all([0, 5, MiB, MiB + 1].map(makeFile));
    const { share, id, uploadToken } = await createWith(files);
    expect(uploadToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(json(await getShare(app.app, id))).toMatchObject({ ready: false });
    const early = await reveal(app.app, id, { viewToken: share.body.viewToken });
    expect(early.statusCode).toBe(409);
    expect(json(early)).toMatchObject({ error: { code: "upload_incomplete" } });

    for (const file of files) await uploadFile(app, id, uploadToken, file);
    expect(json(await getShare(app.app, id))).toMatchObject({ ready: true });

    const res = await reveal(app.app, id, { viewToken: share.body.viewToken });
    expect(res.statusCode, res.body).toBe(200);
    const answer = json<{
      blobs: { id: string; size: number }[];
      downloadToken: string;
      downloadExpiresAt: string;
    }>(res);
    expect(answer.blobs).toEqual(files.map((f) => f.declaration));
    expect(new Date(answer.downloadExpiresAt).getTime()).toBe(app.clock.now() + 3600_000);
    for (const file of files) {
      const got = await download(app, { id, blobId: file.blobId, token: answer.downloadToken });
      expect(got.statusCode).toBe(200);
      expect(got.headers["content-length"]).toBe(String(file.declaration.size));
      expect(got.headers["cache-control"]).toBe("no-store");
      expect(got.headers["content-type"]).toBe("application/octet-stream");
      expect(got.headers["content-disposition"]).toBe("attachment");
      expect(await decryptedSha256(file, got.rawPayload)).toBe(sha256(file.plaintext));
    }
  });

  it("round-trips 20 files and serves ranges (206) across chunk boundaries", async () => {
    const files = await Promise.all(
      Array.from({ length: 20 }, (_, i) => makeFile(i * 1000 + (i === 19 ? 2 * MiB : 0))),
    );
    const { share, id, uploadToken } = await createWith(files);
    await Promise.all(files.map((f) => uploadFile(app, id, uploadToken, f)));
    const answer = json<{ downloadToken: string }>(
      await reveal(app.app, id, { viewToken: share.body.viewToken }),
    );
    for (const file of files) {
      const got = await download(app, { id, blobId: file.blobId, token: answer.downloadToken });
      expect(await decryptedSha256(file, got.rawPayload)).toBe(sha256(file.plaintext));
    }
    const big = files[19]!;
    const whole = Buffer.concat(big.chunks.map((c) => Buffer.from(c.bytes)));
    const start = ENCRYPTED_CHUNK_BYTES - 10;
    const part = await download(app, {
      id,
      blobId: big.blobId,
      token: answer.downloadToken,
      range: `bytes=${start}-${start + 19}`,
    });
    expect(part.statusCode).toBe(206);
    expect(part.headers["content-range"]).toBe(`bytes ${start}-${start + 19}/${whole.length}`);
    expect(part.headers["content-length"]).toBe("20");
    expect(part.rawPayload.equals(whole.subarray(start, start + 20))).toBe(true);
    const tail = await download(app, {
      id,
      blobId: big.blobId,
      token: answer.downloadToken,
      range: "bytes=-5",
    });
    expect(tail.rawPayload.equals(whole.subarray(whole.length - 5))).toBe(true);
    const beyond = await download(app, {
      id,
      blobId: big.blobId,
      token: answer.downloadToken,
      range: `bytes=${whole.length}-`,
    });
    expect(beyond.statusCode).toBe(416);
    expect(beyond.headers["content-range"]).toBe(`bytes */${whole.length}`);
  });

  it("refuses every bad upload with a 4xx and a code, and stores nothing", async () => {
    const file = await makeFile(MiB + 100);
    const { id, uploadToken } = await createWith([file]);
    const chunk = file.chunks[0]!;
    const attempts = [
      [{ token: "x".repeat(43) }, 404, "share_not_found"],
      [{ bytes: chunk.bytes.subarray(1) }, 400, "chunk_length_mismatch"],
      [{ bytes: file.chunks[1]!.bytes, n: 0 }, 400, "chunk_length_mismatch"],
      [{ n: 2 }, 400, "chunk_out_of_range"],
      [{ blobId: "A".repeat(22) }, 404, "blob_not_found"],
      [{ bytes: new Uint8Array(ENCRYPTED_CHUNK_BYTES + 1) }, 413, "payload_too_large"],
    ] as const;
    for (const [change, status, code] of attempts) {
      const res = await putChunk(app, {
        id,
        blobId: file.blobId,
        n: 0,
        token: uploadToken,
        bytes: chunk.bytes,
        ...change,
      });
      expect([res.statusCode, json(res)], JSON.stringify(change).slice(0, 80)).toMatchObject([
        status,
        { error: { code } },
      ]);
    }
    const json415 = await app.app.inject({
      method: "PUT",
      url: `/api/v1/shares/${id}/blobs/${file.blobId}/0`,
      headers: { "x-upload-token": uploadToken },
      payload: { not: "bytes" },
    });
    expect([json415.statusCode, json(json415)]).toMatchObject([
      415,
      { error: { code: "unsupported_media_type" } },
    ]);
    // The chunk's own bytes labelled JSON: refused for the type, not parsed as JSON (400).
    const labelledJson = await app.app.inject({
      method: "PUT",
      url: `/api/v1/shares/${id}/blobs/${file.blobId}/0`,
      headers: { "x-upload-token": uploadToken, "content-type": "application/json" },
      payload: Buffer.from(chunk.bytes),
    });
    expect([labelledJson.statusCode, json(labelledJson)]).toMatchObject([
      415,
      { error: { code: "unsupported_media_type" } },
    ]);
    // The refusal names the type this route takes, not the JSON of every other route.
    for (const refused of [json415, labelledJson]) {
      expect(json<{ error: { message: string } }>(refused).error.message).toBe(
        "Send the body as application/octet-stream.",
      );
    }
    expect(await leftOf(id)).toEqual({ rows: 0, withBytes: 0, objects: 0 });

    await uploadFile(app, id, uploadToken, file);
    const again = await putChunk(app, {
      id,
      blobId: file.blobId,
      n: 0,
      token: uploadToken,
      bytes: chunk.bytes,
    });
    expect([again.statusCode, json(again)]).toMatchObject([
      409,
      { error: { code: "upload_complete" } },
    ]);
  });

  it("refuses files over the limits at create, naming the limit", async () => {
    const small = await makeFile(5);
    const share = await buildShare();
    const tooMany = await createShare(app.app, {
      ...share.body,
      blobs: Array.from({ length: 21 }, (_, i) => ({
        // Distinct canonical ids: the last character of 16 bytes carries 2 bits (A, Q, g, w).
        id: `${"A".repeat(20)}${"ABCDEFGHIJKLMNOPQRSTUVWXYZ"[i]}A`,
        size: 21,
      })),
    });
    expect([tooMany.statusCode, json(tooMany)]).toMatchObject([
      413,
      { error: { code: "too_large", limit: "MAX_FILES", max: 20 } },
    ]);
    const anonymous = await createShare(app.app, {
      ...share.body,
      blobs: [{ id: small.blobId, size: 8 * MiB + 1 + 16 * 9 }],
    });
    expect([anonymous.statusCode, json(anonymous)]).toMatchObject([
      413,
      { error: { code: "too_large", limit: "ANONYMOUS_MAX_FILE_BYTES", max: 8 * MiB } },
    ]);
    const impossible = await createShare(app.app, {
      ...share.body,
      blobs: [{ id: small.blobId, size: MiB + 17 }],
    });
    expect([impossible.statusCode, json(impossible)]).toMatchObject([
      400,
      { error: { code: "invalid_request" } },
    ]);
    expect((await getShare(app.app, share.body.id)).statusCode).toBe(404);
  });

  it("resumes an upload cut off half way, and the download matches", async () => {
    const file = await makeFile(3 * MiB + 12345);
    const { share, id, uploadToken } = await createWith([file]);
    await app.app.listen({ port: 0, host: "127.0.0.1" });
    try {
      const { port } = app.app.server.address() as net.AddressInfo;
      await putChunk(app, {
        id,
        blobId: file.blobId,
        n: 0,
        token: uploadToken,
        bytes: file.chunks[0]!.bytes,
      });
      // Chunk 1 is cut half way: the connection dies with half its bytes sent.
      await new Promise<void>((resolve) => {
        const socket = net.connect(port, "127.0.0.1", () => {
          socket.write(
            `PUT /api/v1/shares/${id}/blobs/${file.blobId}/1 HTTP/1.1\r\nHost: x\r\n` +
              `Content-Type: application/octet-stream\r\nX-Upload-Token: ${uploadToken}\r\n` +
              `Content-Length: ${ENCRYPTED_CHUNK_BYTES}\r\n\r\n`,
          );
          socket.write(
            Buffer.from(file.chunks[1]!.bytes.subarray(0, ENCRYPTED_CHUNK_BYTES / 2)),
            () => {
              socket.destroy();
              resolve();
            },
          );
        });
      });
    } finally {
      // Stops listening at once; the test goes on through inject.
      app.app.server.close();
    }
    const status = await app.app.inject({
      method: "GET",
      url: `/api/v1/shares/${id}/upload`,
      headers: { "x-upload-token": uploadToken },
    });
    expect(json(status)).toEqual({
      ready: false,
      blobs: [{ ...file.declaration, chunks: 4, received: [0] }],
    });
    const received = new Set(json<{ blobs: { received: number[] }[] }>(status).blobs[0]!.received);
    for (const chunk of file.chunks) {
      if (received.has(chunk.index)) continue;
      const res = await putChunk(app, {
        id,
        blobId: file.blobId,
        n: chunk.index,
        token: uploadToken,
        bytes: chunk.bytes,
      });
      expect(res.statusCode).toBe(204);
    }
    const answer = json<{ downloadToken: string }>(
      await reveal(app.app, id, { viewToken: share.body.viewToken }),
    );
    const got = await download(app, { id, blobId: file.blobId, token: answer.downloadToken });
    expect(await decryptedSha256(file, got.rawPayload)).toBe(sha256(file.plaintext));
  });

  it("gives exactly one download token to 32 concurrent reveals of a one-view share; 410 after the window", async () => {
    const file = await makeFile(1000);
    const { share, id, uploadToken } = await createWith([file], { maxViews: 1 });
    await uploadFile(app, id, uploadToken, file);
    const answers = await Promise.all(
      Array.from({ length: 32 }, () => reveal(app.app, id, { viewToken: share.body.viewToken })),
    );
    const won = answers.filter((a) => a.statusCode === 200);
    expect(won).toHaveLength(1);
    expect(answers.filter((a) => a.statusCode === 410)).toHaveLength(31);
    const token = json<{ downloadToken: string }>(won[0]!).downloadToken;
    const grants = await app.database.db
      .selectFrom("download_grants")
      .select("token_hash")
      .where("share_id", "=", id)
      .execute();
    expect(grants).toHaveLength(1);

    // The last view destroyed the text; the files stay for the window, then go.
    expect((await download(app, { id, blobId: file.blobId, token })).statusCode).toBe(200);
    await app.services.blobSweeper.runOnce();
    expect((await leftOf(id)).rows).toBe(1);
    app.clock.advance(3600_000);
    const late = await download(app, { id, blobId: file.blobId, token });
    expect([late.statusCode, json(late)]).toMatchObject([
      410,
      { error: { code: "download_expired" } },
    ]);
    await app.services.blobSweeper.runOnce();
    expect(await leftOf(id)).toEqual({ rows: 0, withBytes: 0, objects: 0 });
    // Once the files are gone the token is still answered for what it was, not as unknown.
    const swept = await download(app, { id, blobId: file.blobId, token });
    expect([swept.statusCode, json(swept)]).toMatchObject([
      410,
      { error: { code: "download_expired" } },
    ]);
  });

  it("destroys the files at once on delete, expiry and lock, and unfinished uploads after 24 hours", async () => {
    const made = async (overrides: Parameters<typeof buildShare>[0] = {}) => {
      const file = await makeFile(MiB + 7);
      const created = await createWith([file], overrides);
      await uploadFile(app, created.id, created.uploadToken, file);
      expect(await leftOf(created.id)).toEqual(
        store === "s3"
          ? { rows: 2, withBytes: 0, objects: 2 }
          : // On SQLite the rows hold an empty mark and the chunk file the bytes.
            { rows: 2, withBytes: 2, objects: dialect === "sqlite" ? 2 : 0 },
      );
      return { ...created, file };
    };
    // Deleted: the bytes leave in the delete's transaction (database store), the objects right after.
    const deleted = await made();
    expect(
      (await deleteShare(app.app, deleted.id, { "x-view-token": deleted.share.body.viewToken }))
        .statusCode,
    ).toBe(204);
    expect((await leftOf(deleted.id)).withBytes).toBe(0);
    await app.services.blobSweeper.runOnce();
    expect(await leftOf(deleted.id)).toEqual({ rows: 0, withBytes: 0, objects: 0 });

    // Deleted by its link holder after a reveal, while the download window is still open:
    // the window keeps the files only for a share whose views ran out, never for a deleted one.
    const revealedThenDeleted = await made({ maxViews: 2 });
    const viewToken = revealedThenDeleted.share.body.viewToken;
    const revealedFirst = await reveal(app.app, revealedThenDeleted.id, { viewToken });
    expect(revealedFirst.statusCode).toBe(200);
    expect(
      (await deleteShare(app.app, revealedThenDeleted.id, { "x-view-token": viewToken }))
        .statusCode,
    ).toBe(204);
    await app.services.blobSweeper.runOnce();
    expect(await leftOf(revealedThenDeleted.id)).toEqual({ rows: 0, withBytes: 0, objects: 0 });
    const grant = json<{ downloadToken: string }>(revealedFirst).downloadToken;
    const afterDelete = await download(app, {
      id: revealedThenDeleted.id,
      blobId: revealedThenDeleted.file.blobId,
      token: grant,
    });
    expect([afterDelete.statusCode, json(afterDelete)]).toMatchObject([
      410,
      { error: { code: "share_gone", reason: "deleted" } },
    ]);

    // Locked after too many wrong passwords.
    const locked = await made({ password: "right" });
    for (let i = 0; i < app.config.limits.passwordAttempts; i++) {
      await reveal(app.app, locked.id, {
        viewToken: locked.share.body.viewToken,
        verifier: "A".repeat(43),
      });
    }
    expect(json(await getShare(app.app, locked.id))).toMatchObject({
      error: { reason: "locked" },
    });
    expect((await leftOf(locked.id)).withBytes).toBe(0);
    await app.services.blobSweeper.runOnce();
    expect(await leftOf(locked.id)).toEqual({ rows: 0, withBytes: 0, objects: 0 });

    // Expired, by the sweeper; and an upload left unfinished for 24 hours.
    const expiring = await made({ expiresIn: 60 });
    const unfinished = await makeFile(2 * MiB);
    const pending = await createWith([unfinished], { expiresIn: 3 * 24 * 3600 });
    await putChunk(app, {
      id: pending.id,
      blobId: unfinished.blobId,
      n: 0,
      token: pending.uploadToken,
      bytes: unfinished.chunks[0]!.bytes,
    });
    app.clock.advance(61_000);
    await app.services.sweeper.runOnce();
    expect((await leftOf(expiring.id)).withBytes).toBe(0);
    await app.services.blobSweeper.runOnce();
    expect(await leftOf(expiring.id)).toEqual({ rows: 0, withBytes: 0, objects: 0 });
    expect((await leftOf(pending.id)).rows).toBe(1);
    app.clock.advance(UNFINISHED_UPLOAD_MS);
    await app.services.blobSweeper.runOnce();
    await app.services.blobSweeper.runOnce();
    expect(await leftOf(pending.id)).toEqual({ rows: 0, withBytes: 0, objects: 0 });
    expect(json(await getShare(app.app, pending.id))).toMatchObject({
      error: { reason: "expired" },
    });
  });

  if (dialect === "sqlite" && store === "database") {
    it("leaves no byte of a deleted share's chunks in any file of DATA_DIR (main, WAL, chunk file)", async () => {
      const file = await makeFile(2 * MiB);
      const { share, id, uploadToken } = await createWith([file]);
      await uploadFile(app, id, uploadToken, file);
      // Short probes at several offsets: a chunk spans many pages, each with a small header.
      const probes = file.chunks.flatMap((c) =>
        [100, 5_000, 100_000, 700_000].map((at) => Buffer.from(c.bytes.subarray(at, at + 16))),
      );
      const onDisk = () => {
        const dir = dirname(app.database.file!);
        const contents = readdirSync(dir).map((name) => {
          try {
            return readFileSync(join(dir, name));
          } catch {
            return Buffer.alloc(0);
          }
        });
        return probes.filter((probe) => contents.some((c) => c.includes(probe))).length;
      };
      await app.services.sweeper.runOnce();
      expect(onDisk()).toBeGreaterThanOrEqual(probes.length - 2);
      await deleteShare(app.app, id, { "x-view-token": share.body.viewToken });
      await app.services.blobSweeper.runOnce();
      await app.services.sweeper.runOnce();
      expect(onDisk()).toBe(0);
    });
  }
});

describe("files: limits and switches", () => {
  it("anonymous files off (ANONYMOUS_MAX_FILE_BYTES=0) answers 401 login_required", async () => {
    const app = await createTestApp("sqlite", { env: { ANONYMOUS_MAX_FILE_BYTES: "0" } });
    try {
      const file = await makeFile(5);
      const share = await buildShare();
      const res = await createShare(app.app, { ...share.body, blobs: [file.declaration] });
      expect([res.statusCode, json(res)]).toMatchObject([
        401,
        { error: { code: "login_required" } },
      ]);
      expect((await getShare(app.app, share.body.id)).statusCode).toBe(404);
    } finally {
      await app.close();
    }
  });

  it("anonymous files off: an answer with files to a request made without an account is told why, not to sign in", async () => {
    const app = await createTestApp("sqlite", { env: { ANONYMOUS_MAX_FILE_BYTES: "0" } });
    try {
      const keys = await createRequestKeys();
      const created = await app.app.inject({
        method: "POST",
        url: "/api/v1/requests",
        payload: { expiresIn: 3600, ...keys.body },
      });
      const { id } = json<{ id: string }>(created);
      const file = await makeFile(5);
      const sealed = await sealAnswer(keys.body.publicKey, { text: "" });
      const res = await app.app.inject({
        method: "POST",
        url: `/api/v1/requests/${id}/submit`,
        payload: { ...sealed, blobs: [file.declaration] },
      });
      const refusal = json<{ error: { code: string; message: string } }>(res).error;
      expect([res.statusCode, refusal]).toMatchObject([
        413,
        { code: "too_large", limit: "ANONYMOUS_MAX_FILE_BYTES", max: 0 },
      ]);
      expect(refusal.message).toBe(
        "This request was made without an account: its answer cannot carry files, send text only.",
      );
    } finally {
      await app.close();
    }
  });

  it("keeps the small body limit on every other route", async () => {
    const app = await createTestApp("sqlite");
    try {
      const share = await buildShare({}, {});
      const big = await reveal(app.app, share.body.id, {
        viewToken: share.body.viewToken,
        pad: "x".repeat(20_000),
      });
      expect(big.statusCode).toBe(413);
      void FAST_KDF;
    } finally {
      await app.close();
    }
  });
});
