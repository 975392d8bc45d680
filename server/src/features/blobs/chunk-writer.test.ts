/**
 * Unit tier: a chunk's memory is freed at once, and only when the Buffer is all of it; the writer
 * sends every byte before freeing, and stops reading when the response closes early.
 */
import { createHash, randomBytes } from "node:crypto";
import { once } from "node:events";
import { createServer, get, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { setImmediate as aTurnLater, setTimeout } from "node:timers/promises";

import { afterEach, describe, expect, it, vi } from "vitest";

import { ChunkWriter, freeNow, type Piece } from "./chunk-writer.js";

const MiB = 1024 * 1024;
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

describe("freeNow", () => {
  it("frees a Buffer that is all of its memory before returning", () => {
    const chunk = Buffer.allocUnsafeSlow(8 * MiB);
    const before = process.memoryUsage().arrayBuffers;
    expect(freeNow(chunk)).toBe(true);
    expect(before - process.memoryUsage().arrayBuffers).toBeGreaterThanOrEqual(8 * MiB);
    expect(chunk.length).toBe(0);
  });

  it("leaves a slice of Node's pool or of a larger Buffer alone", () => {
    const pooled = Buffer.from("from the pool");
    const whole = randomBytes(4096);
    const slice = whole.subarray(100, 200);
    expect(freeNow(pooled)).toBe(false);
    expect(freeNow(slice)).toBe(false);
    expect(pooled.toString()).toBe("from the pool");
    expect(whole.length).toBe(4096);
  });

  it("answers false for a Buffer freed already, without throwing (Node 24 would)", () => {
    const chunk = Buffer.allocUnsafeSlow(MiB);
    expect(freeNow(chunk)).toBe(true);
    expect(freeNow(chunk)).toBe(false);
    expect(freeNow(Buffer.allocUnsafeSlow(0))).toBe(false);
  });
});

describe("ChunkWriter", () => {
  let server: Server | undefined;
  afterEach(() => server?.close());

  /** Serves `pieces` through a ChunkWriter piped into the response, as Fastify does. */
  async function serve(pieces: () => AsyncIterable<Piece>) {
    server = createServer((_req, res) => new ChunkWriter(pieces()).pipe(res));
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  }

  it("sends every piece in full, then frees each chunk", async () => {
    const chunks = Array.from({ length: 12 }, () => randomBytes(MiB + 16));
    const expected = sha256(Buffer.concat([chunks[0]!.subarray(10), ...chunks.slice(1)]));
    const url = await serve(async function* () {
      // Read as a store reads: a turn of the event loop per chunk.
      await aTurnLater();
      yield { bytes: chunks[0]!.subarray(10), chunk: chunks[0]! };
      for (const chunk of chunks.slice(1)) {
        await aTurnLater();
        yield { bytes: chunk, chunk };
      }
    });
    const res = await fetch(url);
    expect(sha256(new Uint8Array(await res.arrayBuffer()))).toBe(expected);
    // The last write's callback may come a turn after the client has the bytes (one process).
    await vi.waitFor(() => expect(chunks.map((c) => c.length)).toEqual(chunks.map(() => 0)));
  });

  it("stops reading the pieces when the response closes early", async () => {
    let read = 0;
    let closed!: () => void;
    const sourceClosed = new Promise<void>((resolve) => (closed = resolve));
    const url = await serve(async function* () {
      try {
        for (;;) {
          read++;
          await aTurnLater();
          const chunk = randomBytes(MiB);
          yield { bytes: chunk, chunk };
        }
      } finally {
        closed();
      }
    });
    await new Promise<void>((resolve) => {
      const req = get(url, (res) => {
        let received = 0;
        res.on("data", (part: Buffer) => {
          received += part.length;
          if (received >= 4 * MiB) {
            req.destroy();
            resolve();
          }
        });
      });
    });
    await sourceClosed;
    expect(read).toBeLessThan(32);
  });

  it("frees a chunk read while the response closed once, without an unhandled rejection", async () => {
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on("unhandledRejection", onRejection);
    try {
      const given: Buffer[] = [];
      let responseClosed!: () => void;
      const closed = new Promise<void>((resolve) => (responseClosed = resolve));
      async function* pieces(): AsyncGenerator<Piece> {
        const first = randomBytes(64 * 1024);
        given.push(first);
        yield { bytes: first, chunk: first };
        // The next chunk is still being read (as from PostgreSQL) when the response closes.
        await closed;
        const second = randomBytes(MiB);
        given.push(second);
        yield { bytes: second, chunk: second };
      }
      server = createServer((_req, res) => {
        res.once("close", () => responseClosed());
        new ChunkWriter(pieces()).pipe(res);
      });
      server.listen(0, "127.0.0.1");
      await once(server, "listening");
      const req = get(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, (res) =>
        res.once("data", () => req.destroy()),
      );
      req.on("error", () => undefined);
      await vi.waitFor(() => expect(given.map((c) => c.length)).toEqual([0, 0]));
      await setTimeout(50);
      expect(rejections).toEqual([]);
    } finally {
      process.off("unhandledRejection", onRejection);
    }
  });

  it("a piece that fails while the writer waits for 'drain' ends the body, never unhandled", async () => {
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on("unhandledRejection", onRejection);
    try {
      async function* pieces(): AsyncGenerator<Piece> {
        const first = randomBytes(MiB);
        yield { bytes: first, chunk: first };
        // The store fails (a lost connection, an I/O error) while the first piece is written.
        await aTurnLater();
        throw new Error("the store failed");
      }
      const body = new ChunkWriter(pieces());
      const failed = new Promise((resolve) => body.on("error", resolve));
      // A slow socket: the writer waits for 'drain' while the read ahead fails.
      body.pipe(
        new Writable({ write: (_piece, _encoding, done) => globalThis.setTimeout(done, 30) }),
      );
      await expect(failed).resolves.toMatchObject({ message: "the store failed" });
      await setTimeout(20);
      // Before: the read ahead's rejection had no handler until 'drain', and Node's default
      // (--unhandled-rejections=throw) ends the server for it.
      expect(rejections).toEqual([]);
    } finally {
      process.off("unhandledRejection", onRejection);
    }
  });
});
