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
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, describe, expect, it } from "vitest";

import { requireBuiltServer, SHIPPED_MAIN } from "./helpers/server-process.js";

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

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
  const started = performance.now();
  while (performance.now() - started < 3_000) {
    for (let k = 0; k < 2_000; k++) {
      const body = JSON.stringify({ k, v: "y".repeat(80) });
      ring[r++ % ring.length] = { headers: { a: "x".repeat(20) + k, b: [k, 2 * k] }, body, parsed: JSON.parse(body) };
    }
    const space = getHeapSpaceStatistics().find((s) => s.space_name === "old_space");
    oldSpace = Math.max(oldSpace, space.space_size);
  }
  ring.fill(null);
  globalThis.gc();
  writeFileSync(process.env.HEAP_FILE, JSON.stringify({
    oldSpaceMB: oldSpace / MB,
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
}

async function allocateInServer(): Promise<Growth> {
  requireBuiltServer(SHIPPED_MAIN);
  const dir = mkdtempSync(join(tmpdir(), "hushlink-heap-growth-"));
  temps.push(dir);
  const preload = join(dir, "preload.mjs");
  writeFileSync(preload, PRELOAD);
  const heapFile = join(dir, "heap.json");
  const child = spawn(process.execPath, ["--expose-gc", "--import", preload, SHIPPED_MAIN], {
    env: {
      PATH: process.env.PATH ?? "",
      HOST: "127.0.0.1",
      PORT: "0",
      DATA_DIR: join(dir, "data"),
      LOG_LEVEL: "info",
      HEAP_FILE: heapFile,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise((resolve) => child.once("exit", resolve));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "listening" in 30 s:\n${out}`)), 30_000);
    child.stdout.on("data", () => {
      if (/"msg":"listening"/.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  child.kill("SIGUSR2");
  await exited;
  return JSON.parse(readFileSync(heapFile, "utf8")) as Growth;
}

describe("the old generation under load", () => {
  it("grows by about half its live size between full collections, not 4× it", async () => {
    const { oldSpaceMB, liveMB } = await allocateInServer();
    // Measured (about 50 MB alive: the 32 MB set and the server's own): V8's own factor let the
    // old space reach 242 MB; capped at 1.5×, 98 MB (twice). The bound leaves room for the young
    // generation's capacity (16 MB) that V8 adds to the limit and for what is allocated while a
    // collection runs.
    expect(liveMB).toBeGreaterThan(30);
    expect(oldSpaceMB).toBeLessThan(liveMB * 1.5 + 40);
  }, 60_000);
});
