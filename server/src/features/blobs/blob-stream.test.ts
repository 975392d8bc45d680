/**
 * Unit tier: a download asks the store for the next chunk before the current one is written
 * (the read overlaps the socket's write), never holds more than three of the store's chunks at
 * once, and frees the chunk it read ahead when the response stops early.
 */
import { Writable } from "node:stream";
import { setImmediate as aTurnLater, setTimeout as sleep } from "node:timers/promises";

import { ENCRYPTED_CHUNK_BYTES } from "@hushlink/protocol";
import { describe, expect, it, vi } from "vitest";

import { blobStream } from "./blobs.rules.js";

const CHUNKS = 6;

/** A store of CHUNKS chunks, each read a turn later into a Buffer of its own, as the stores do. */
function store(events: string[] = []) {
  const given: Buffer[] = [];
  const live = () => given.filter((b) => b.length > 0).length;
  let mostLive = 0;
  const read = async (n: number) => {
    events.push(`read ${n}`);
    await aTurnLater();
    const chunk = Buffer.allocUnsafeSlow(ENCRYPTED_CHUNK_BYTES);
    given.push(chunk);
    mostLive = Math.max(mostLive, live());
    return chunk;
  };
  return { read, given, live, mostLive: () => mostLive };
}

/** A response that takes `delayMs` to write each piece. */
function response(events: string[], delayMs = 0) {
  return new Writable({
    write(_piece: Buffer, _encoding, done) {
      events.push("write");
      setTimeout(done, delayMs);
    },
  });
}

function stream(read: (n: number) => Promise<Buffer | null>) {
  const answer = blobStream({
    size: CHUNKS * ENCRYPTED_CHUNK_BYTES,
    range: undefined,
    read,
    count: () => undefined,
  });
  if (answer.unsatisfiable) throw new Error("unexpected");
  return answer.stream;
}

describe("blobStream", () => {
  it("asks for the next chunk before the current one is written", async () => {
    const events: string[] = [];
    const { read } = store(events);
    const out = response(events);
    stream(read).pipe(out);
    await new Promise((resolve) => out.on("finish", resolve));
    expect(events.filter((e) => e === "write")).toHaveLength(CHUNKS);
    // Before the change: read 0, write, read 1, …: the store idled while the socket wrote.
    expect(events.indexOf("read 1")).toBeLessThan(events.indexOf("write"));
  });

  it("holds at most three of the store's chunks at once, and frees each once written", async () => {
    const { read, given, mostLive } = store();
    const out = response([], 5);
    stream(read).pipe(out);
    await new Promise((resolve) => out.on("finish", resolve));
    expect(given).toHaveLength(CHUNKS);
    expect(mostLive()).toBeLessThanOrEqual(3);
    await vi.waitFor(() => expect(given.map((b) => b.length)).toEqual(given.map(() => 0)));
  });

  it("frees the chunk read ahead when the response closes early, and reads no further", async () => {
    const { read, given } = store();
    // A socket that closes while it writes the first piece (that write never completes).
    const out = new Writable({
      write() {
        setImmediate(() => out.destroy());
      },
    });
    stream(read).pipe(out);
    await new Promise((resolve) => out.on("close", resolve));
    await sleep(50);
    // The piece being written, the one the writer read ahead, the one the store was reading.
    expect(given.length).toBeLessThanOrEqual(3);
    // The first may still be libuv's when a socket closes: the collector's. The others freed.
    await vi.waitFor(() => expect(given.slice(1).map((b) => b.length)).toEqual([0, 0]));
  });

  it("a read ahead that fails while the response waits ends it without an unhandled rejection", async () => {
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on("unhandledRejection", onRejection);
    try {
      const { read } = store();
      const failing = (n: number) =>
        n === 1 ? Promise.reject(new Error("the store failed")) : read(n);
      const body = stream(failing);
      const failed = new Promise((resolve) => body.on("error", resolve));
      // A slow socket: chunk 1's read fails long before the writer asks for it.
      body.pipe(response([], 30));
      await expect(failed).resolves.toMatchObject({ message: "the store failed" });
      await sleep(20);
      expect(rejections).toEqual([]);
    } finally {
      process.off("unhandledRejection", onRejection);
    }
  });
});
