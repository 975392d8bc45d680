/**
 * Every other path that destroys files, on a full disk (SQLite, a 32 MiB tmpfs filled to its last
 * block; disk-full-files.test.ts has the link holder's delete, destroy now and the expiry sweep):
 * "delete all expired", deleting an organization, deleting an account, the lock after too many
 * wrong passwords, the unfinished-upload sweep, the expiry of a request with an answer's files
 * (by the sweep, and found on read), and a request's deletion by its requester or manage token.
 * Each owner holds several MiB, in the chunk file and (one of each) in main's rows, as written
 * before the chunk file. Each path must answer 2xx and leave no chunk in main nor in the chunk
 * file; where the chunk file's bytes go in a sweep (orphans), the sweep is run.
 */
import { createRequestKeys, sealAnswer, toBase64Url } from "@hushlink/protocol";
import { afterEach, expect, it } from "vitest";

import { UNFINISHED_UPLOAD_MS } from "../src/features/blobs/blobs.sweeper.js";
import { GOOD_PASSWORD, orgIdOf, signup, type Client } from "./helpers/accounts.js";
import { buildShare } from "./helpers/builders.js";
import { makeFile, uploadFile, type TestFile } from "./helpers/files.js";
import { fullDiskSuite } from "./helpers/full-disk.js";
import { chunksLeft, fullDiskApp, moveToRows, type FullDiskApp } from "./helpers/full-disk-app.js";
import { createShare, json, reveal } from "./helpers/http.js";
import { clockPerTest } from "./helpers/suite.js";

const MiB = 1024 * 1024;
const FILE_BYTES = 3 * MiB;
let current: FullDiskApp | null = null;

fullDiskSuite("every destruction path on a full disk (SQLite)", { size: "32m" }, (mountPoint) => {
  const clock = clockPerTest();
  afterEach(async () => {
    await current?.dispose();
    current = null;
  });

  async function start() {
    current = await fullDiskApp(mountPoint(), clock);
    return current;
  }

  /** A share with a file of FILE_BYTES, uploaded (all of it, or its first `chunks`). */
  async function shareWithFile(
    app: FullDiskApp,
    options: { by?: Client; orgId?: string; password?: string; chunks?: number } = {},
  ) {
    const share = await buildShare(options.password ? { password: options.password } : {});
    const file = await makeFile(FILE_BYTES);
    const body = {
      ...share.body,
      blobs: [file.declaration],
      ...(options.orgId ? { orgId: options.orgId } : {}),
    };
    const res = await createShare(options.by ?? app.app, body);
    expect(res.statusCode, res.body).toBe(201);
    const { uploadToken } = json<{ uploadToken: string }>(res);
    const part = { ...file, chunks: file.chunks.slice(0, options.chunks ?? file.chunks.length) };
    await uploadFile(app, share.body.id, uploadToken, part);
    return { id: share.body.id, share };
  }

  /** A request of `by` (or made without an account) answered with a file of FILE_BYTES. */
  async function requestWithFile(app: FullDiskApp, by: Client | FullDiskApp["app"]) {
    const made = await answeredRequest(app, by);
    return made.id;
  }

  async function answeredRequest(app: FullDiskApp, by: Client | FullDiskApp["app"]) {
    const keys = await createRequestKeys();
    const created = await by.inject({
      method: "POST",
      url: "/api/v1/requests",
      payload: { expiresIn: 3600, ...keys.body },
    });
    expect(created.statusCode, created.body).toBe(201);
    const { id, manageToken } = json<{ id: string; manageToken?: string }>(created);
    const file: TestFile = await makeFile(FILE_BYTES);
    const sealed = await sealAnswer(keys.body.publicKey, {
      text: "",
      files: [{ blob: file.blobId, name: "f", type: "x/y", size: 1, key: toBase64Url(file.key) }],
    });
    const submitted = await app.app.inject({
      method: "POST",
      url: `/api/v1/requests/${id}/submit`,
      payload: { ...sealed, blobs: [file.declaration] },
    });
    expect(submitted.statusCode, submitted.body).toBe(200);
    const { uploadToken } = json<{ uploadToken: string }>(submitted);
    for (const chunk of file.chunks) {
      const put = await app.app.inject({
        method: "PUT",
        url: `/api/v1/requests/${id}/blobs/${file.blobId}/${chunk.index}`,
        headers: { "content-type": "application/octet-stream", "x-upload-token": uploadToken },
        payload: Buffer.from(chunk.bytes),
      });
      expect(put.statusCode, put.body).toBe(204);
    }
    return { id, manageToken };
  }

  /** Fills the disk; a create then answers 503, as on the server. */
  async function fillDisk(app: FullDiskApp) {
    await app.fill();
    const refused = await createShare(app.app, (await buildShare({ text: "y".repeat(8192) })).body);
    expect(refused.statusCode).toBe(503);
  }

  const none = { main: 0, chunkFile: 0 };

  it('"delete all expired" removes expired shares with files', async () => {
    const app = await start();
    const alice = await signup(app);
    const orgId = await orgIdOf(alice);
    const shares = [
      await shareWithFile(app, { by: alice, orgId }),
      await shareWithFile(app, { by: alice, orgId }),
    ];
    expect(moveToRows(app, { shareId: shares[1]!.id })).toBe(3);
    clock.advance(3600 * 1000 + 1000);
    await fillDisk(app);
    const res = await alice.inject({
      method: "DELETE",
      url: `/api/v1/shares/expired?orgId=${orgId}`,
    });
    expect([res.statusCode, res.body]).toEqual([200, JSON.stringify({ deleted: 2 })]);
    await app.services.blobSweeper.runOnce();
    for (const s of shares) expect(await chunksLeft(app, { shareId: s.id })).toEqual(none);
  }, 60_000);

  /**
   * A member with two shares and an answered request, each with FILE_BYTES of files (the share
   * `inRows` and the request's answer kept in main's rows, as written before the chunk file),
   * on a full disk; `deleteAll` deletes them all (204), then no chunk of any may be left.
   */
  async function ownerWithFiles(
    app: FullDiskApp,
    inRows: 0 | 1,
    deleteAll: (alice: Client, orgId: string) => Promise<{ statusCode: number; body: string }>,
  ) {
    const alice = await signup(app);
    const orgId = await orgIdOf(alice);
    const shares = [
      await shareWithFile(app, { by: alice, orgId }),
      await shareWithFile(app, { by: alice, orgId }),
    ];
    const requestId = await requestWithFile(app, alice);
    moveToRows(app, { shareId: shares[inRows]!.id });
    moveToRows(app, { requestId });
    await fillDisk(app);
    const res = await deleteAll(alice, orgId);
    expect(res.statusCode, res.body).toBe(204);
    await app.services.blobSweeper.runOnce();
    for (const s of shares) expect(await chunksLeft(app, { shareId: s.id })).toEqual(none);
    expect(await chunksLeft(app, { requestId })).toEqual(none);
  }

  it("deleting an organization removes its shares' and requests' files", async () => {
    const app = await start();
    await ownerWithFiles(app, 1, async (alice, orgId) => {
      const me = json<{ orgs: { id: string; name: string }[] }>(
        await alice.inject({ url: "/api/v1/auth/me" }),
      );
      return alice.inject({
        method: "DELETE",
        url: `/api/v1/orgs/${orgId}`,
        payload: { name: me.orgs[0]!.name },
      });
    });
  }, 60_000);

  it("deleting an account removes its shares' and requests' files", async () => {
    const app = await start();
    await ownerWithFiles(app, 0, (alice) =>
      alice.inject({
        method: "DELETE",
        url: "/api/v1/auth/me",
        payload: { password: GOOD_PASSWORD },
      }),
    );
  }, 60_000);

  it("the last wrong password locks the share and removes its files", async () => {
    const app = await start();
    const { id, share } = await shareWithFile(app, { password: "right" });
    moveToRows(app, { shareId: id });
    await fillDisk(app);
    const codes: string[] = [];
    for (let i = 0; i < app.config.limits.passwordAttempts; i++) {
      const res = await reveal(app.app, id, {
        viewToken: share.body.viewToken,
        verifier: "A".repeat(43),
      });
      codes.push(`${res.statusCode}`);
    }
    expect(codes.at(-1)).toBe("403");
    expect(json(await app.app.inject({ url: `/api/v1/shares/${id}` }))).toMatchObject({
      error: { reason: "locked" },
    });
    await app.services.blobSweeper.runOnce();
    expect(await chunksLeft(app, { shareId: id })).toEqual(none);
  }, 60_000);

  it("the unfinished-upload sweep expires a share with part of its files", async () => {
    const app = await start();
    const inFile = await shareWithFile(app, { chunks: 2 });
    const inRows = await shareWithFile(app, { chunks: 2 });
    moveToRows(app, { shareId: inRows.id });
    clock.advance(UNFINISHED_UPLOAD_MS + 1000);
    await fillDisk(app);
    await app.services.blobSweeper.runOnce();
    for (const s of [inFile, inRows]) {
      expect(json(await app.app.inject({ url: `/api/v1/shares/${s.id}` }))).toMatchObject({
        error: { reason: "expired" },
      });
      expect(await chunksLeft(app, { shareId: s.id })).toEqual(none);
    }
  }, 60_000);

  it("the expiry sweep removes a request with an answer's files", async () => {
    const app = await start();
    const alice = await signup(app);
    const inFile = await requestWithFile(app, alice);
    const inRows = await requestWithFile(app, alice);
    moveToRows(app, { requestId: inRows });
    clock.advance(3600 * 1000 + 1000);
    await fillDisk(app);
    await app.services.sweeper.runOnce();
    await app.services.blobSweeper.runOnce();
    for (const requestId of [inFile, inRows]) {
      expect(await chunksLeft(app, { requestId })).toEqual(none);
      expect((await alice.inject({ url: `/api/v1/requests/${requestId}` })).statusCode).toBe(404);
    }
  }, 60_000);

  it("a requester's delete, and a manage token's, remove a request with an answer's files", async () => {
    const app = await start();
    const alice = await signup(app);
    const byAlice = await requestWithFile(app, alice);
    const anonymous = await answeredRequest(app, app.app);
    expect(anonymous.manageToken).toEqual(expect.any(String));
    moveToRows(app, { requestId: byAlice });
    moveToRows(app, { requestId: anonymous.id });
    await fillDisk(app);
    const deleted = await alice.inject({ method: "DELETE", url: `/api/v1/requests/${byAlice}` });
    expect(deleted.statusCode, deleted.body).toBe(204);
    const managed = await app.app.inject({
      method: "DELETE",
      url: `/api/v1/requests/${anonymous.id}`,
      headers: { "x-manage-token": anonymous.manageToken! },
    });
    expect(managed.statusCode, managed.body).toBe(204);
    await app.services.blobSweeper.runOnce();
    for (const requestId of [byAlice, anonymous.id])
      expect(await chunksLeft(app, { requestId })).toEqual(none);
  }, 60_000);

  it("a request found expired on read is removed with its answer's files", async () => {
    const app = await start();
    const alice = await signup(app);
    const requestId = await requestWithFile(app, alice);
    moveToRows(app, { requestId });
    clock.advance(3600 * 1000 + 1000);
    await fillDisk(app);
    expect((await alice.inject({ url: `/api/v1/requests/${requestId}` })).statusCode).toBe(404);
    await app.services.blobSweeper.runOnce();
    expect(await chunksLeft(app, { requestId })).toEqual(none);
  }, 60_000);
});
