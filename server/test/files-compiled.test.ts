/**
 * Issue 17: a download reads its blob one 1 MiB chunk at a time with the same query, and an upload
 * writes it with the same five statements per chunk, compiled once (db/compiled-query.ts) rather
 * than built by Kysely chunk after chunk, and on SQLite run straight on the kept statements
 * (db/direct-sqlite.ts). Counted here: Kysely compilations (a whole download makes as many as a
 * one-chunk range, an upload's later chunks none) and, on SQLite, statements run directly. The
 * bytes still arrive whole and in order. Database store, SQLite and PostgreSQL.
 */
import { afterEach, describe, expect, it } from "vitest";

import { directRuns } from "../src/db/direct-sqlite.js";
import { buildShare } from "./helpers/builders.js";
import { testDialects } from "./helpers/databases.js";
import {
  decryptedSha256,
  download,
  filesSuiteApp,
  makeFile,
  putChunk,
  sha256,
  uploadFile,
} from "./helpers/files.js";
import { createShare, json, reveal } from "./helpers/http.js";
import { clockPerTest } from "./helpers/suite.js";

const MiB = 1_048_576;

/**
 * Counts Kysely's compilations from now on, on every executor (a group commit's transaction
 * has an executor of its own, sharing the same prototype method).
 */
function countCompilations(executor: object) {
  let proto = Object.getPrototypeOf(executor) as Record<string, unknown>;
  while (!Object.hasOwn(proto, "compileQuery")) proto = Object.getPrototypeOf(proto) as never;
  const original = proto.compileQuery as (...args: unknown[]) => unknown;
  const counter = { count: 0, restore: () => (proto.compileQuery = original) };
  proto.compileQuery = function (this: unknown, ...args: unknown[]) {
    counter.count++;
    return original.apply(this, args);
  };
  return counter;
}

describe.each(testDialects)("a download's queries on %s", (dialect) => {
  const clock = clockPerTest();
  const app = filesSuiteApp(dialect, "database", clock);
  let restore: (() => void) | null = null;
  afterEach(() => {
    restore?.();
    restore = null;
  });

  it("a download's chunk reads are compiled once, not per chunk", async () => {
    const file = await makeFile(4 * MiB + 5);
    expect(file.chunks.length).toBe(5);
    const share = await buildShare();
    const created = await createShare(app.app, { ...share.body, blobs: [file.declaration] });
    expect(created.statusCode, created.body).toBe(201);
    const id = share.body.id;
    const token = json<{ uploadToken: string }>(created).uploadToken;
    await uploadFile(app, id, token, file);

    const revealed = await reveal(app.app, id, { viewToken: share.body.viewToken });
    expect(revealed.statusCode, revealed.body).toBe(200);
    const downloadToken = json<{ downloadToken: string }>(revealed).downloadToken;
    const args = { id, blobId: file.blobId, token: downloadToken };
    const compiled = countCompilations(app.database.db.getExecutor());
    restore = compiled.restore;
    // One chunk, then all five: the same compilations (the grant's lookup), none per chunk.
    expect((await download(app, { ...args, range: "bytes=0-0" })).statusCode).toBe(206);
    const beforeOne = compiled.count;
    const directOne = directRuns.count;
    expect((await download(app, { ...args, range: "bytes=0-0" })).statusCode).toBe(206);
    const forOne = compiled.count - beforeOne;
    const directForOne = directRuns.count - directOne;
    const beforeAll = compiled.count;
    const directAll = directRuns.count;
    const whole = await download(app, args);
    expect(whole.statusCode).toBe(200);
    expect(compiled.count - beforeAll).toBe(forOne);
    // Four more chunks read, each straight on SQLite's statement.
    expect(directRuns.count - directAll - directForOne).toBe(dialect === "sqlite" ? 4 : 0);

    expect(await decryptedSha256(file, whole.rawPayload)).toBe(sha256(file.plaintext));
  });
  it("an upload's chunks after the first are compiled once, not per chunk", async () => {
    const file = await makeFile(4 * MiB + 5);
    const share = await buildShare();
    const created = await createShare(app.app, { ...share.body, blobs: [file.declaration] });
    expect(created.statusCode, created.body).toBe(201);
    const id = share.body.id;
    const token = json<{ uploadToken: string }>(created).uploadToken;
    const put = (n: number) =>
      putChunk(app, { id, blobId: file.blobId, n, token, bytes: file.chunks[n]!.bytes });
    // The first chunk, sent twice (a resend is replaced), compiles each shape once; then three
    // more chunks and chunk 3 again.
    for (const n of [0, 0]) expect((await put(n)).statusCode).toBe(204);
    const compiled = countCompilations(app.database.db.getExecutor());
    restore = compiled.restore;
    const direct = directRuns.count;
    for (const n of [1, 2, 3, 3]) expect((await put(n)).statusCode).toBe(204);
    expect(compiled.count).toBe(0);
    // Per chunk the share's read, the blob's, the row's INSERT and the two counts (the share's, its
    // links'); the resent one finds its row, replaces it and counts nothing more: 5 statements
    // each, every one straight on SQLite's statement.
    expect(directRuns.count - direct).toBe(dialect === "sqlite" ? 20 : 0);
    expect((await put(4)).statusCode).toBe(204);

    const revealed = await reveal(app.app, id, { viewToken: share.body.viewToken });
    expect(revealed.statusCode, revealed.body).toBe(200);
    const downloadToken = json<{ downloadToken: string }>(revealed).downloadToken;
    const whole = await download(app, { id, blobId: file.blobId, token: downloadToken });
    expect(whole.statusCode).toBe(200);
    expect(await decryptedSha256(file, whole.rawPayload)).toBe(sha256(file.plaintext));
  });
});
