/** Files for tests, through the real protocol code, as a browser or the CLI would make them. */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";

import {
  decryptStream,
  eachOf,
  encryptedSize,
  encryptStream,
  randomBytes,
  toBase64Url,
  type EncryptedChunk,
} from "@hushlink/protocol";

import SQLite from "better-sqlite3";

import type { ManualClock } from "../../src/clock.js";
import { CHUNK_FILE } from "../../src/features/blobs/store/chunk-file-store.js";
import type { Dialect } from "../../src/db/database.js";
import { createTestApp, type TestApp } from "./app.js";
import { testDialects } from "./databases.js";
import { startS3, type TestS3 } from "./s3.js";
import { madeBeforeAll } from "./suite.js";

export interface TestFile {
  blobId: string;
  key: Uint8Array;
  plaintext: Buffer;
  chunks: EncryptedChunk[];
  declaration: { id: string; size: number };
}

/** A file of `size` bytes, made of a repeating pattern with a random start (cheap for large sizes). */
export async function makeFile(size: number): Promise<TestFile> {
  const plaintext = Buffer.alloc(size);
  const seed = randomBytes(1)[0]!;
  for (let i = 0; i < size; i++) plaintext[i] = (seed + i * 7) % 251;
  const key = randomBytes(32);
  const chunks: EncryptedChunk[] = [];
  const source = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new Uint8Array(plaintext));
      controller.close();
    },
  });
  await eachOf(source.pipeThrough(encryptStream(key)), (c) => chunks.push(c));
  const blobId = toBase64Url(randomBytes(16));
  return { blobId, key, plaintext, chunks, declaration: { id: blobId, size: encryptedSize(size) } };
}

export function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/**
 * SHA-256 of what a downloaded body decrypts to with the file's key, as a browser would decrypt
 * it: in pieces of arbitrary size, as a network delivers them, and held to the file's size.
 */
export async function decryptedSha256(file: TestFile, body: Uint8Array): Promise<string> {
  const parts: Uint8Array[] = [];
  const source = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let at = 0; at < body.length; at += 100_003)
        controller.enqueue(body.subarray(at, at + 100_003));
      controller.close();
    },
  });
  await eachOf(
    source.pipeThrough(decryptStream(file.key, { expectedSize: file.plaintext.length })),
    (p) => parts.push(p),
  );
  return sha256(Buffer.concat(parts));
}

export function putChunk(
  app: TestApp,
  args: { id: string; blobId: string; n: number; token: string; bytes: Uint8Array },
) {
  return app.app.inject({
    method: "PUT",
    url: `/api/v1/shares/${args.id}/blobs/${args.blobId}/${args.n}`,
    headers: { "content-type": "application/octet-stream", "x-upload-token": args.token },
    payload: Buffer.from(args.bytes),
  });
}

export async function uploadFile(app: TestApp, id: string, token: string, file: TestFile) {
  for (const chunk of file.chunks) {
    const answer = await putChunk(app, {
      id,
      blobId: file.blobId,
      n: chunk.index,
      token,
      bytes: chunk.bytes,
    });
    if (answer.statusCode !== 204) {
      throw new Error(`chunk ${chunk.index}: ${answer.statusCode} ${answer.body}`);
    }
  }
}

export function download(
  app: TestApp,
  args: { id: string; blobId: string; token: string; range?: string },
) {
  return app.app.inject({
    method: "GET",
    url: `/api/v1/shares/${args.id}/blobs/${args.blobId}`,
    headers: { "x-download-token": args.token, ...(args.range ? { range: args.range } : {}) },
  });
}

/** Chunk rows and stored bytes of one share, whatever the store. */
export async function storedChunks(app: TestApp, shareId: string) {
  const rows = await app.database.db
    .selectFrom("blob_chunks")
    .select(["n", "data"])
    .where("share_id", "=", shareId)
    .execute();
  return { rows: rows.length, withBytes: rows.filter((r) => r.data !== null).length };
}

/**
 * Chunks in the chunk file beside a SQLite database (the database store's bytes there, see
 * chunk-file-store.ts) of one owner, read from the file itself; 0 with any other store.
 */
export async function chunkFileCount(
  app: Pick<TestApp, "database">,
  owner: { shareId: string } | { requestId: string },
): Promise<number> {
  const main = app.database.file;
  const file = main ? join(dirname(main), CHUNK_FILE) : null;
  if (!file || !existsSync(file)) return Promise.resolve(0);
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    db.pragma("busy_timeout = 5000");
    const name = "requestId" in owner ? `r/${owner.requestId}` : `s/${owner.shareId}`;
    const row = db.prepare("select count(*) as n from chunks where owner = ?").get(name);
    return Promise.resolve((row as { n: number }).n);
  } finally {
    db.close();
  }
}

/** Every database under test with each blob store: the rows of a files suite's describe.each. */
export const databasesAndStores = testDialects.flatMap((dialect) =>
  (["database", "s3"] as const).map((store) => [dialect, store] as const),
);

/**
 * The app of a files suite on `dialect` and `store`, made before its tests and closed after (an
 * S3 server on 127.0.0.1 first for the S3 store, as `s3`), with room for 64 MiB files and 8 MiB
 * for someone without an account.
 */
export function filesSuiteApp(
  dialect: Dialect,
  store: "database" | "s3",
  clock: ManualClock,
): TestApp & { s3: TestS3 | null } {
  return madeBeforeAll(
    async () => {
      const s3 = store === "s3" ? await startS3() : null;
      const app = await createTestApp(dialect, {
        clock,
        env: {
          ...s3?.env,
          MAX_FILE_BYTES: String(64 * 1024 * 1024),
          ANONYMOUS_MAX_FILE_BYTES: String(8 * 1024 * 1024),
        },
      });
      return { ...app, s3 };
    },
    async (t) => {
      try {
        await t.close();
      } finally {
        await t.s3?.close();
      }
    },
  );
}
