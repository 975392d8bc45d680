/**
 * The hot queries compiled once per shape (compiled-query.ts) send exactly what Kysely would
 * compile for the same call: the same SQL and the same parameters, for every shape of their
 * arguments, and on the second call of a shape (values bound into the kept query) as on the first.
 */
import {
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type KyselyPlugin,
} from "kysely";
import { describe, expect, it } from "vitest";

import { answerFiles, shareFiles } from "../features/blobs/blobs.owner.js";
import * as blobs from "../features/blobs/blobs.repository.js";
import * as shareFilesRepo from "../features/blobs/share-files.repository.js";
import * as repo from "../features/shares/shares.repository.js";
import { compilations } from "./compiled-query.js";
import type { Database } from "./schema.js";

type Sent = { sql: string; parameters: readonly unknown[] };

/** A Kysely whose driver records what it is sent and answers with one empty row. */
function recordingDb(kind: "sqlite" | "postgres"): { db: Kysely<Database>; sent: Sent[] } {
  const sent: Sent[] = [];
  const connection: DatabaseConnection = {
    executeQuery(query) {
      sent.push({ sql: query.sql, parameters: query.parameters });
      return Promise.resolve({ rows: [{} as never], numAffectedRows: 1n });
    },
    streamQuery() {
      throw new Error("not used");
    },
  };
  const dialect: Dialect = {
    createAdapter: () => (kind === "sqlite" ? new SqliteAdapter() : new PostgresAdapter()),
    createDriver: () => ({
      init: () => Promise.resolve(),
      acquireConnection: () => Promise.resolve(connection),
      beginTransaction: () => Promise.resolve(),
      commitTransaction: () => Promise.resolve(),
      rollbackTransaction: () => Promise.resolve(),
      releaseConnection: () => Promise.resolve(),
      destroy: () => Promise.resolve(),
    }),
    createIntrospector: (db) =>
      kind === "sqlite" ? new SqliteIntrospector(db) : new PostgresIntrospector(db),
    createQueryCompiler: () =>
      kind === "sqlite" ? new SqliteQueryCompiler() : new PostgresQueryCompiler(),
  };
  return { db: new Kysely<Database>({ dialect }), sent };
}

/** Any plugin turns the cache off, so the same calls through one are compiled the usual way. */
const passThrough: KyselyPlugin = {
  transformQuery: (args) => args.node,
  transformResult: (args) => Promise.resolve(args.result),
};

const view = (over: Partial<repo.ViewRequest> = {}): repo.ViewRequest => ({
  id: "share-a",
  viewTokenHash: "token-hash-a",
  verifierHash: null,
  emailCodeHash: null,
  spentCodeHash: null,
  now: 1_000,
  viewerId: null,
  ...over,
});

/** Calls of each hot query in every shape the app uses, each twice with other values. */
function calls(i: number): ((db: Kysely<Database>) => Promise<unknown>)[] {
  const v = (s: string) => `${s}-${i}`;
  const views = [
    view({ id: v("id"), now: 1_000 + i }),
    view({ id: v("id"), viewerId: v("user"), viewTokenHash: v("t") }),
    view({ id: v("id"), verifierHash: v("verifier") }),
    view({ id: v("id"), emailCodeHash: v("code"), spentCodeHash: v("spent") }),
    view({ id: v("id"), emailCodeHash: v("code"), spentCodeHash: v("spent"), forDelete: true }),
    view({ id: v("id"), emailCodeHash: v("code"), spentCodeHash: null, forDelete: true }),
  ];
  return [
    ...views.map((args) => (db: Kysely<Database>) => repo.consumeView(db, args)),
    ...views.map(
      (args) => (db: Kysely<Database>) =>
        repo.revealInOneStatement(db, { ...args, ip: v("ip"), eventId: v("event") }),
    ),
    // Callers pass the whole link-holder request, with the viewer object in it.
    (db) =>
      repo.consumeView(db, {
        ...view({ id: v("id") }),
        viewer: { ip: "203.0.113.9", userId: null },
      } as repo.ViewRequest),
    (db) => repo.findShare(db, v("id")),
    (db) =>
      repo.addEvent(db, { shareId: v("id"), type: "revealed", at: i, ip: v("ip"), userId: null }),
    (db) => repo.addEvent(db, { shareId: v("id"), type: "revealed", at: i, ip: null }),
    (db) =>
      repo.insertShare(db, {
        id: v("id"),
        org_id: null,
        creator_id: null,
        name: i % 2 ? v("name") : null,
        access: "anyone",
        ciphertext: v("c"),
        iv: v("iv"),
        view_token_hash: v("t"),
        verifier_hash: null,
        kdf_m: null,
        kdf_t: null,
        kdf_p: null,
        manage_token_hash: v("m"),
        max_views: i % 2 ? null : i,
        password_attempts_left: null,
        notify_on_view: 0,
        allow_external_recipients: 0,
        restrict_to_recipients: 0,
        show_sender: 0,
        created_at: i,
        created_ip: "127.0.0.1",
        expires_at: i + 60,
      }),
    // Without the optional columns: another column list, so another shape.
    (db) =>
      repo.insertShare(db, {
        id: v("id"),
        access: "anyone",
        created_at: i,
        expires_at: i + 60,
      }),
    // An upload's per chunk (issue 17): the share, the blob, the chunk's row, the counts.
    (db) => shareFilesRepo.findFileShare(db, v("id")),
    ...[true, false].map(
      (added) => (db: Kysely<Database>) =>
        shareFilesRepo.countChunk(db, { id: v("id"), tokenHash: v("t"), now: i, added }),
    ),
    (db) => shareFilesRepo.countChunkForLinks(db, { parentId: v("id"), added: 1 }),
    ...[shareFiles, answerFiles].flatMap((files) => [
      (db: Kysely<Database>) => blobs.findBlob(db, files, v("id"), v("blob")),
      ...[Buffer.from(v("bytes")), null].map(
        (data) => (db: Kysely<Database>) =>
          blobs.storeChunk(db, files, {
            ownerId: v("id"),
            blobId: v("blob"),
            n: i,
            size: 5 + i,
            data,
            at: i,
          }),
      ),
    ]),
  ];
}

describe.each(["sqlite", "postgres"] as const)("queries compiled once, %s", (kind) => {
  it("send the SQL and parameters Kysely compiles for the same call, on every call", async () => {
    const cached = recordingDb(kind);
    const plain = recordingDb(kind);
    const plainDb = plain.db.withPlugin(passThrough);
    for (let i = 0; i < 3; i++) {
      for (const call of calls(i)) {
        await call(cached.db);
        await call(plainDb);
      }
    }
    // The access log's event ids are fresh on every call.
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    const normal = (sent: Sent[]) =>
      sent.map((s) => ({
        sql: s.sql,
        parameters: s.parameters.map((p) => (typeof p === "string" && uuid.test(p) ? "uuid" : p)),
      }));
    expect(cached.sent.length).toBe(plain.sent.length);
    expect(normal(cached.sent)).toEqual(normal(plain.sent));
    // The values reached the parameters (a marker left behind would differ from the plain run).
    expect(cached.sent.some((s) => s.parameters.includes("id-2"))).toBe(true);
  });

  it("compile each shape once", async () => {
    const { db } = recordingDb(kind);
    // calls(0) and calls(1) hold every shape (name and max_views null in one, set in the other).
    for (const call of [...calls(0), ...calls(1)]) await call(db);
    const before = compilations.count;
    for (let i = 2; i < 6; i++) for (const call of calls(i)) await call(db);
    expect(compilations.count - before).toBe(0);
  });
});
