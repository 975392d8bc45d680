/**
 * `share --attach`'s upload after the share exists (file-commands.ts): a server that answers 429
 * is waited for as long as its Retry-After says before the upload resumes, whether the chunk or
 * the upload-status read was refused, and progress does not use up the attempts.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { chunkCount, newShareFile } from "@hushlink/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { ApiClient } from "../src/lib/api-client.js";
import { ApiError, EXIT } from "../src/lib/errors.js";
import { uploadWithRetries } from "../src/lib/file-commands.js";
import type { LocalFile } from "../src/lib/files.js";
import { fakeContext } from "./helpers.js";

const MiB = 1024 * 1024;
let work = "";
let file: LocalFile;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "hushlink-cli-retries-"));
  const path = join(work, "five-mib.bin");
  await writeFile(path, Buffer.alloc(5 * MiB, 7));
  file = { path, meta: newShareFile({ name: "five-mib.bin", type: "", size: 5 * MiB }) };
});

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

function rateLimited(retryAfter: number) {
  const error = new ApiError("Too many requests.", EXIT.error, 429, "rate_limited");
  error.retryAfter = retryAfter;
  return error;
}

/**
 * A server that takes `perWindow` requests (chunks and status reads alike) in each window of
 * `windowMs`, and answers 429 with the rest of the window as Retry-After beyond that.
 */
function limitedServer(perWindow: number, windowMs: number) {
  const stored = new Set<number>();
  let windowStart = Date.now();
  let used = 0;
  const admit = () => {
    const now = Date.now();
    if (now - windowStart >= windowMs) {
      windowStart = now;
      used = 0;
    }
    if (++used > perWindow) throw rateLimited(Math.ceil((windowStart + windowMs - now) / 1000));
  };
  // A call's answer as the client sees it: refused (rejected) beyond the window's share.
  const answer = <T>(value: () => T) =>
    new Promise<T>((resolve) => {
      admit();
      resolve(value());
    });
  const api = {
    putChunk: (_id: string, _blob: string, n: number) =>
      answer(() => {
        stored.add(n);
      }),
    uploadStatus: () =>
      answer(() => ({
        ready: stored.size === chunkCount(file.meta.size),
        blobs: [{ id: file.meta.blob, size: 0, chunks: 0, received: [...stored] }],
      })),
    deleteShare: () => Promise.resolve(),
  } as unknown as ApiClient;
  return { api, stored };
}

describe("uploadWithRetries on a rate-limited server", () => {
  it("waits for Retry-After and resumes until every chunk is in", async () => {
    const { api, stored } = limitedServer(2, 1000);
    const ctx = fakeContext({});
    const started = Date.now();
    await uploadWithRetries(ctx, api, {
      created: { id: "share", uploadToken: "token" },
      files: [file],
    });
    expect([...stored].sort()).toEqual([0, 1, 2, 3, 4]);
    // Five chunks and three status reads at two a second: three windows waited out, more breaks
    // than UPLOAD_ATTEMPTS, each of which stored more.
    expect(Date.now() - started).toBeGreaterThanOrEqual(2500);
    expect(ctx.err()).toMatch(/resuming in 1 s/);
  }, 30_000);
});
