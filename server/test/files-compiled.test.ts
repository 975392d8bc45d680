/**
 * Issue 17: a download reads its blob one 1 MiB chunk at a time with the same query, compiled once
 * (db/compiled-query.ts) rather than built by Kysely chunk after chunk, and on SQLite run straight
 * on the kept statement (db/direct-sqlite.ts). Counted here: Kysely compilations (a whole download
 * makes as many as a one-chunk range: none per chunk) and, on SQLite, statements run directly (one
 * per chunk). The bytes still arrive whole and in order. Database store, SQLite and PostgreSQL.
 */
import { Readable } from "node:stream";

import { decryptStream, eachOf } from "@hushlink/protocol";
import { afterEach, describe, expect, it } from "vitest";

import { directRuns } from "../src/db/direct-sqlite.js";
import { buildShare } from "./helpers/builders.js";
import { testDialects } from "./helpers/databases.js";
import { download, filesSuiteApp, makeFile, sha256, uploadFile } from "./helpers/files.js";
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

    const parts: Uint8Array[] = [];
    const source = Readable.toWeb(Readable.from([whole.rawPayload])) as ReadableStream<Uint8Array>;
    await eachOf(source.pipeThrough(decryptStream(file.key)), (part) => parts.push(part));
    expect(sha256(Buffer.concat(parts))).toBe(sha256(file.plaintext));
  });
});
