/**
 * How far the server lets V8's old generation grow between two full collections (issue 24,
 * nineteenth round: peak RSS under load). V8 would let it reach up to 4× what a collection left
 * alive, plus the young generation's capacity: PostgreSQL's load scenarios peaked at 195 MB RSS
 * for about 22 MB of live objects. startup-heap.ts caps the growth at half the live size once the
 * server listens.
 *
 * The shipped server is started, and once it listens a preload allocates in its process what a
 * loaded server does: a live set that stays (32 MB here), and a stream of short-lived objects of
 * which a ring of the last 10,000 lives long enough to be promoted, so the old space fills with
 * dead objects until a full collection. The old space's largest size is what is measured.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { afterAll, describe, expect, it } from "vitest";

import { startWithPreload } from "./helpers/preload-server.js";
import { processScope } from "./helpers/server-process.js";

const { tempDir, removeDirs } = processScope("hushlink-heap-growth-");
afterAll(removeDirs);

/** Runs the allocation on SIGUSR2 (sent once the server listens), writes its figures, exits. */
const PRELOAD = `
import { writeFileSync } from "node:fs";
import { getHeapSpaceStatistics } from "node:v8";
const MB = 1024 * 1024;
process.on("SIGUSR2", () => {
  const live = Array.from({ length: 200_000 }, (_, i) => ({ i, s: "live-" + i, a: [i, i + 1] }));
  const ring = new Array(10_000).fill(null);
  let r = 0;
  let oldSpace = 0;
  let newSpace = 0;
  const started = performance.now();
  while (performance.now() - started < 3_000) {
    for (let k = 0; k < 2_000; k++) {
      const body = JSON.stringify({ k, v: "y".repeat(80) });
      ring[r++ % ring.length] = { headers: { a: "x".repeat(20) + k, b: [k, 2 * k] }, body, parsed: JSON.parse(body) };
    }
    const spaces = getHeapSpaceStatistics();
    oldSpace = Math.max(oldSpace, spaces.find((s) => s.space_name === "old_space").space_size);
    newSpace = Math.max(newSpace, spaces.find((s) => s.space_name === "new_space").space_size);
  }
  ring.fill(null);
  globalThis.gc();
  writeFileSync(process.env.HEAP_FILE, JSON.stringify({
    oldSpaceMB: oldSpace / MB,
    newSpaceMB: newSpace / MB,
    liveMB: process.memoryUsage().heapUsed / MB,
    kept: live.length,
  }));
  process.exit(0);
});
`;

interface Growth {
  /** The old space's largest size during the allocation. */
  oldSpaceMB: number;
  /** The heap alive after it (the live set and the server's own). */
  liveMB: number;
  /** The young generation's largest size (both semi-spaces), which V8 sizes per Node major. */
  newSpaceMB: number;
}

async function allocateInServer(): Promise<Growth> {
  const dir = tempDir();
  const heapFile = join(dir, "heap.json");
  const server = await startWithPreload(dir, PRELOAD, { HEAP_FILE: heapFile }, ["--expose-gc"]);
  server.kill("SIGUSR2");
  await server.exited;
  return JSON.parse(readFileSync(heapFile, "utf8")) as Growth;
}

describe("the old generation under load", () => {
  it("grows by about half its live size between full collections, not 4× it", async () => {
    const { oldSpaceMB, liveMB, newSpaceMB } = await allocateInServer();
    // V8 adds the young generation's capacity to the old generation's limit, and that capacity
    // depends on the Node major: 2 × 16 MB on Node 20, 2 × 64 MB on Node 24 on a machine with
    // this much RAM. Measured with about 50 MB alive (the 32 MB set and the server's own):
    //   Node 20: uncapped 242 MB, capped 98 MB (young generation 32 MB);
    //   Node 24: uncapped 357 MB, capped 175 MB (young generation 128 MB).
    // The bound is the 1.5× cap plus the young generation plus 40 MB for what is allocated while
    // a collection runs: 147 MB on Node 20, 244 MB on Node 24, each well under the uncapped figure.
    expect(liveMB).toBeGreaterThan(30);
    expect(oldSpaceMB).toBeLessThan(liveMB * 1.5 + newSpaceMB + 40);
  }, 60_000);
});
