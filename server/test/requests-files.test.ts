/**
 * Files in answers to end-to-end requests (SPEC F13 with §3.1) through the real app: declared at
 * submit (which reserves the request), uploaded with the upload token, opened with the reading
 * secret and downloaded (ranges too), decrypted to the same bytes; refused over the limits, on
 * the wrong kind of request and against the policy; removed on every path a request ends by
 * (delete with the manage token, by the requester, expiry, its account deleted, an upload left
 * unfinished for 24 hours), counted in chunk rows and S3 objects. SQLite and PostgreSQL, the
 * database store and the S3 store against a real S3 server on 127.0.0.1.
 */
import {
  createRequestKeys,
  deriveReadingKeys,
  ENCRYPTED_CHUNK_BYTES,
  FILE_CHUNK_BYTES,
  openAnswer,
  sealAnswer,
  toBase64Url,
  type OpenRequestResponse,
  type RequestKeys,
  type SharePayload,
} from "@hushlink/protocol";
import { describe, expect, it } from "vitest";

import { GOOD_PASSWORD, orgIdOf, signup, type Client } from "./helpers/accounts.js";
import type { TestApp } from "./helpers/app.js";
import {
  chunkFileCount,
  databasesAndStores,
  decryptedSha256,
  filesSuiteApp,
  makeFile,
  sha256,
  type TestFile,
} from "./helpers/files.js";
import { json } from "./helpers/http.js";
import { clockPerTest } from "./helpers/suite.js";
import { UNFINISHED_UPLOAD_MS } from "../src/features/blobs/blobs.sweeper.js";

const MiB = FILE_CHUNK_BYTES;
type Anyone = Pick<TestApp["app"], "inject">;
type Opened = OpenRequestResponse;

/** What the answering page puts in the ciphertext for these files (SPEC §3.1). */
function payloadFor(text: string, files: TestFile[]): SharePayload {
  return {
    text,
    files: files.map((f, i) => ({
      blob: f.blobId,
      name: `file-${i}.bin`,
      type: "application/octet-stream",
      size: f.plaintext.length,
      key: toBase64Url(f.key),
    })),
  };
}

describe.each(databasesAndStores)(
  "files in answers to requests on %s, %s store",
  (dialect, store) => {
    const clock = clockPerTest();
    const app = filesSuiteApp(dialect, store, clock);

    async function newRequest(c: Anyone, body: Record<string, unknown> = {}) {
      const keys = await createRequestKeys();
      const res = await c.inject({
        method: "POST",
        url: "/api/v1/requests",
        payload: { expiresIn: 3600, ...keys.body, ...body },
      });
      expect(res.statusCode, res.body).toBe(201);
      return { keys, ...json<{ id: string; manageToken?: string }>(res) };
    }

    function submit(c: Anyone, id: string, payload: object) {
      return c.inject({ method: "POST", url: `/api/v1/requests/${id}/submit`, payload });
    }

    async function answerWith(id: string, keys: RequestKeys, files: TestFile[], text = "") {
      const sealed = await sealAnswer(keys.body.publicKey, payloadFor(text, files));
      const res = await submit(app.app, id, {
        ...sealed,
        blobs: files.map((f) => f.declaration),
      });
      expect(res.statusCode, res.body).toBe(200);
      return json<{ uploadToken: string }>(res).uploadToken;
    }

    function putChunk(args: {
      id: string;
      blobId: string;
      n: number;
      token: string;
      bytes: Uint8Array;
    }) {
      return app.app.inject({
        method: "PUT",
        url: `/api/v1/requests/${args.id}/blobs/${args.blobId}/${args.n}`,
        headers: { "content-type": "application/octet-stream", "x-upload-token": args.token },
        payload: Buffer.from(args.bytes),
      });
    }

    async function upload(id: string, token: string, file: TestFile) {
      for (const chunk of file.chunks) {
        const res = await putChunk({
          id,
          blobId: file.blobId,
          n: chunk.index,
          token,
          bytes: chunk.bytes,
        });
        expect(res.statusCode, res.body).toBe(204);
      }
    }

    async function open(id: string, keys: RequestKeys) {
      const { readToken } = await deriveReadingKeys(keys.readingSecret);
      const res = await app.app.inject({
        method: "POST",
        url: `/api/v1/requests/${id}/open`,
        payload: { readToken },
      });
      expect(res.statusCode, res.body).toBe(200);
      return json<Opened>(res);
    }

    function download(id: string, blobId: string, token: string, range?: string) {
      return app.app.inject({
        method: "GET",
        url: `/api/v1/requests/${id}/blobs/${blobId}`,
        headers: { "x-download-token": token, ...(range ? { range } : {}) },
      });
    }

    /** Everything of a request's files, wherever the store keeps it. */
    async function leftOf(id: string) {
      const rows = await app.database.db
        .selectFrom("request_blob_chunks")
        .select(["n", "data"])
        .where("request_id", "=", id)
        .execute();
      // Outside the rows: S3's objects, or the chunk file's chunks (SQLite's database store).
      const objects = app.s3
        ? app.s3.objectsUnder(`request-blobs/${id}`)
        : await chunkFileCount(app, { requestId: id });
      return { rows: rows.length, withBytes: rows.filter((r) => r.data !== null).length, objects };
    }

    const nothing = { rows: 0, withBytes: 0, objects: 0 };
    const held = (chunks: number) =>
      store === "s3"
        ? { rows: chunks, withBytes: 0, objects: chunks }
        : { rows: chunks, withBytes: chunks, objects: dialect === "sqlite" ? chunks : 0 };

    it("without an account: submit reserves, chunks arrive, open hands out the files, downloads decrypt", async () => {
      const { keys, id, manageToken } = await newRequest(app.app, { expiresIn: 7200 });
      const files = await Promise.all([0, 5, MiB + 1].map(makeFile));
      const token = await answerWith(id, keys, files, "see attached");
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);

      // Reserved: the sender's page says answered, a second answer is refused, the reader waits;
      // the page's metadata says the files are still on their way, as open and the list do.
      const meta = async () => json(await app.app.inject({ url: `/api/v1/requests/${id}` }));
      expect(await meta()).toMatchObject({ status: "fulfilled", uploading: true });
      const second = await submit(
        app.app,
        id,
        await sealAnswer(keys.body.publicKey, { text: "x" }),
      );
      expect([second.statusCode, json(second)]).toMatchObject([
        409,
        { error: { code: "request_fulfilled" } },
      ]);
      const early = await open(id, keys);
      expect(early).toMatchObject({ status: "open", uploading: true });
      expect(early).not.toHaveProperty("answer");
      expect(early).not.toHaveProperty("downloadToken");

      await upload(id, token, files[0]!);
      await putChunk({
        id,
        blobId: files[2]!.blobId,
        n: 1,
        token,
        bytes: files[2]!.chunks[1]!.bytes,
      });
      const status = await app.app.inject({
        url: `/api/v1/requests/${id}/upload`,
        headers: { "x-upload-token": token },
      });
      expect(json(status)).toEqual({
        ready: false,
        blobs: [
          { ...files[0]!.declaration, chunks: 1, received: [0] },
          { ...files[1]!.declaration, chunks: 1, received: [] },
          { ...files[2]!.declaration, chunks: 2, received: [1] },
        ],
      });
      await upload(id, token, files[1]!);
      const last = files[2]!.chunks[0]!;
      expect(
        (await putChunk({ id, blobId: files[2]!.blobId, n: 0, token, bytes: last.bytes }))
          .statusCode,
      ).toBe(204);
      expect(await leftOf(id)).toEqual(held(4));
      const late = await putChunk({
        id,
        blobId: files[0]!.blobId,
        n: 0,
        token,
        bytes: files[0]!.chunks[0]!.bytes,
      });
      expect([late.statusCode, json(late)]).toMatchObject([
        409,
        { error: { code: "upload_complete" } },
      ]);

      const opened = await open(id, keys);
      expect(opened.status).toBe("fulfilled");
      expect(opened).not.toHaveProperty("uploading");
      expect(await meta()).toMatchObject({ status: "fulfilled" });
      expect(await meta()).not.toHaveProperty("uploading");
      expect(opened.blobs).toEqual(files.map((f) => f.declaration));
      expect(new Date(opened.downloadExpiresAt!).getTime()).toBe(app.clock.now() + 3600_000);
      const payload = await openAnswer(keys.readingSecret, opened, opened.answer!);
      expect(payload).toEqual(payloadFor("see attached", files));
      for (const file of files) {
        const got = await download(id, file.blobId, opened.downloadToken!);
        expect(got.statusCode).toBe(200);
        expect(got.headers["content-length"]).toBe(String(file.declaration.size));
        expect(got.headers["cache-control"]).toBe("no-store");
        expect(await decryptedSha256(file, got.rawPayload)).toBe(sha256(file.plaintext));
      }
      const big = files[2]!;
      const whole = Buffer.concat(big.chunks.map((c) => Buffer.from(c.bytes)));
      const start = ENCRYPTED_CHUNK_BYTES - 10;
      const part = await download(
        id,
        big.blobId,
        opened.downloadToken!,
        `bytes=${start}-${start + 19}`,
      );
      expect(part.statusCode).toBe(206);
      expect(part.headers["content-range"]).toBe(`bytes ${start}-${start + 19}/${whole.length}`);
      expect(part.rawPayload.equals(whole.subarray(start, start + 20))).toBe(true);

      // Download tokens: unknown, or another request's, answer as an unknown request.
      const other = await newRequest(app.app);
      for (const [reqId, tok] of [
        [id, "x".repeat(43)],
        [other.id, opened.downloadToken!],
      ] as const) {
        const res = await download(reqId, big.blobId, tok);
        expect([res.statusCode, json(res)]).toMatchObject([
          404,
          { error: { code: "request_not_found" } },
        ]);
      }
      // The window ends; a new open grants a new one.
      app.clock.advance(3600_000);
      const expired = await download(id, big.blobId, opened.downloadToken!);
      expect([expired.statusCode, json(expired)]).toMatchObject([
        410,
        { error: { code: "download_expired" } },
      ]);
      const again = await open(id, keys);
      expect((await download(id, big.blobId, again.downloadToken!)).statusCode).toBe(200);

      // Deleted with the manage token: the bytes at once, the objects right after.
      const deleted = await app.app.inject({
        method: "DELETE",
        url: `/api/v1/requests/${id}`,
        headers: { "x-manage-token": manageToken! },
      });
      expect(deleted.statusCode).toBe(204);
      expect((await leftOf(id)).withBytes).toBe(0);
      await app.services.blobSweeper.runOnce();
      expect(await leftOf(id)).toEqual(nothing);
      const gone = await download(id, big.blobId, again.downloadToken!);
      expect(gone.statusCode).toBe(404);
    });

    it("refuses bad uploads and bad declarations with a 4xx and a code, storing nothing", async () => {
      const { keys, id } = await newRequest(app.app);
      const file = await makeFile(MiB + 100);
      const sealed = await sealAnswer(keys.body.publicKey, payloadFor("", [file]));
      const refusals: [object, number, string, Record<string, unknown>?][] = [
        [
          { blobs: Array.from({ length: 21 }, () => file.declaration) },
          413,
          "too_large",
          { limit: "MAX_FILES" },
        ],
        [
          { blobs: [{ id: file.blobId, size: 8 * MiB + 1 + 16 * 9 }] },
          413,
          "too_large",
          { limit: "ANONYMOUS_MAX_FILE_BYTES", max: 8 * MiB },
        ],
        [{ blobs: [{ id: file.blobId, size: MiB + 17 }] }, 400, "invalid_request"],
        [{ blobs: [file.declaration, file.declaration] }, 400, "invalid_request"],
        [{ blobs: [{ id: "short", size: 16 }] }, 400, "invalid_request"],
      ];
      for (const [extra, status, code, details] of refusals) {
        const res = await submit(app.app, id, { ...sealed, ...extra });
        expect([res.statusCode, json(res)], JSON.stringify(extra).slice(0, 60)).toMatchObject([
          status,
          { error: { code, ...details } },
        ]);
      }
      // Nothing was reserved by any of them.
      expect(
        json<{ status: string }>(await app.app.inject({ url: `/api/v1/requests/${id}` })).status,
      ).toBe("open");

      const token = await answerWith(id, keys, [file]);
      const chunk = file.chunks[0]!;
      const attempts = [
        [{ token: "x".repeat(43) }, 404, "request_not_found"],
        [{ id: "B".repeat(22) }, 404, "request_not_found"],
        [{ bytes: chunk.bytes.subarray(1) }, 400, "chunk_length_mismatch"],
        [{ n: 2 }, 400, "chunk_out_of_range"],
        [{ blobId: "A".repeat(22) }, 404, "blob_not_found"],
      ] as const;
      for (const [change, status, code] of attempts) {
        const res = await putChunk({
          id,
          blobId: file.blobId,
          n: 0,
          token,
          bytes: chunk.bytes,
          ...change,
        });
        expect([res.statusCode, json(res)], JSON.stringify(change).slice(0, 60)).toMatchObject([
          status,
          { error: { code } },
        ]);
      }
      expect(await leftOf(id)).toEqual(nothing);
    });

    it("refuses files on an old-style request and with a value in the clear", async () => {
      const member = await signup(app);
      const file = await makeFile(10);
      const old = await member.inject({
        method: "POST",
        url: "/api/v1/requests",
        payload: { expiresIn: 3600 },
      });
      const oldId = json<{ id: string }>(old).id;
      const keys = await createRequestKeys();
      const sealed = await sealAnswer(keys.body.publicKey, payloadFor("", [file]));
      const kind = await submit(app.app, oldId, { ...sealed, blobs: [file.declaration] });
      expect([kind.statusCode, json(kind)]).toMatchObject([
        400,
        { error: { code: "answer_kind_mismatch" } },
      ]);
      const clear = await submit(app.app, oldId, { value: "x", blobs: [file.declaration] });
      expect([clear.statusCode, json(clear)]).toMatchObject([
        400,
        { error: { code: "invalid_request" } },
      ]);
      const { keys: k2, id } = await newRequest(app.app);
      const clearE2e = await submit(app.app, id, { value: "x", blobs: [file.declaration] });
      expect(clearE2e.statusCode).toBe(400);
      expect(
        json<{ status: string }>(await app.app.inject({ url: `/api/v1/requests/${id}` })).status,
      ).toBe("open");
      expect(k2).toBeDefined();
    });

    it("a member's request: the larger limit, the policy, mail once the files are in, and the account's deletion", async () => {
      const member = await signup(app);
      const { keys, id } = await newRequest(member, { name: "logs" });
      const big = await makeFile(9 * MiB);
      const outbox = async () =>
        Number(
          (
            await app.database.db
              .selectFrom("mail_outbox")
              .select((eb) => eb.fn.countAll<number>().as("n"))
              .executeTakeFirst()
          )?.n ?? 0,
        );
      const before = await outbox();
      const token = await answerWith(id, keys, [big]);
      expect(await outbox()).toBe(before);
      const listed = async () =>
        json<{ items: { id: string; status: string; uploading?: boolean }[] }>(
          await member.inject({ url: "/api/v1/requests" }),
        ).items.find((i) => i.id === id);
      expect(await listed()).toMatchObject({ status: "open", uploading: true });
      await upload(id, token, big);
      expect(await outbox()).toBe(before + 1);
      expect(await listed()).toMatchObject({ status: "fulfilled" });
      expect(await listed()).not.toHaveProperty("uploading");
      expect(await leftOf(id)).toEqual(held(9));

      // The organization's policy forbids files: refused with the rule named.
      const orgId = await orgIdOf(member);
      const policy = await member.inject({
        method: "PUT",
        url: `/api/v1/orgs/${orgId}/policy`,
        payload: { allowFiles: false },
      });
      expect(policy.statusCode, policy.body).toBe(200);
      const next = await newRequest(member);
      const small = await makeFile(5);
      const sealed = await sealAnswer(next.keys.body.publicKey, payloadFor("", [small]));
      const refused = await submit(app.app, next.id, { ...sealed, blobs: [small.declaration] });
      expect([refused.statusCode, json(refused)]).toMatchObject([
        403,
        { error: { code: "policy_violation", rule: "allowFiles" } },
      ]);
      await member.inject({ method: "PUT", url: `/api/v1/orgs/${orgId}/policy`, payload: {} });

      // The account goes, and with it its request's files.
      await deleteAccount(member);
      expect((await leftOf(id)).withBytes).toBe(0);
      await app.services.blobSweeper.runOnce();
      expect(await leftOf(id)).toEqual(nothing);
    });

    it("removes the files when the requester deletes the request, and when it expires", async () => {
      const member = await signup(app);
      const file = await makeFile(MiB + 7);
      const a = await newRequest(member);
      await upload(a.id, await answerWith(a.id, a.keys, [file]), file);
      expect(await leftOf(a.id)).toEqual(held(2));
      expect(
        (await member.inject({ method: "DELETE", url: `/api/v1/requests/${a.id}` })).statusCode,
      ).toBe(204);
      expect((await leftOf(a.id)).withBytes).toBe(0);
      await app.services.blobSweeper.runOnce();
      expect(await leftOf(a.id)).toEqual(nothing);

      const b = await newRequest(app.app, { expiresIn: 600 });
      await upload(b.id, await answerWith(b.id, b.keys, [file]), file);
      expect(await leftOf(b.id)).toEqual(held(2));
      app.clock.advance(601_000);
      await app.services.sweeper.runOnce();
      expect((await leftOf(b.id)).withBytes).toBe(0);
      await app.services.blobSweeper.runOnce();
      expect(await leftOf(b.id)).toEqual(nothing);
    });

    it("lets go of an upload unfinished after 24 hours: the request is open again and takes a new answer", async () => {
      const { keys, id } = await newRequest(app.app, { expiresIn: 3 * 24 * 3600 });
      const file = await makeFile(2 * MiB);
      const token = await answerWith(id, keys, [file]);
      await putChunk({ id, blobId: file.blobId, n: 0, token, bytes: file.chunks[0]!.bytes });
      expect(await leftOf(id)).toEqual(held(1));
      app.clock.advance(UNFINISHED_UPLOAD_MS - 1000);
      await app.services.blobSweeper.runOnce();
      expect(await leftOf(id)).toEqual(held(1));
      app.clock.advance(1000);
      await app.services.blobSweeper.runOnce();
      expect(await leftOf(id)).toEqual(nothing);
      expect(
        json<{ status: string }>(await app.app.inject({ url: `/api/v1/requests/${id}` })).status,
      ).toBe("open");
      const stale = await putChunk({
        id,
        blobId: file.blobId,
        n: 1,
        token,
        bytes: file.chunks[1]!.bytes,
      });
      expect([stale.statusCode, json(stale)]).toMatchObject([
        404,
        { error: { code: "request_not_found" } },
      ]);
      const opened = await open(id, keys);
      expect(opened).toMatchObject({ status: "open" });
      expect(opened).not.toHaveProperty("uploading");

      const fresh = await makeFile(300);
      await upload(id, await answerWith(id, keys, [fresh], "second try"), fresh);
      const done = await open(id, keys);
      expect(await openAnswer(keys.readingSecret, done, done.answer!)).toMatchObject({
        text: "second try",
      });
      const got = await download(id, fresh.blobId, done.downloadToken!);
      expect(await decryptedSha256(fresh, got.rawPayload)).toBe(sha256(fresh.plaintext));
    });

    async function deleteAccount(c: Client) {
      const res = await c.inject({
        method: "DELETE",
        url: "/api/v1/auth/me",
        payload: { password: GOOD_PASSWORD },
      });
      expect(res.statusCode, res.body).toBe(204);
    }
  },
);
