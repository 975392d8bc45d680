import { constants, PerformanceObserver, type PerformanceEntry } from "node:perf_hooks";

import { describe, expect, it } from "vitest";

import { fileBytesMoved, SCAVENGE_EVERY_BYTES } from "./transfer-memory.js";

/** The young-generation collections V8 reports while `fn` runs. */
async function scavengesDuring(fn: () => void): Promise<number> {
  const seen: PerformanceEntry[] = [];
  const observer = new PerformanceObserver((list) => seen.push(...list.getEntries()));
  observer.observe({ entryTypes: ["gc"] });
  fn();
  // Entries are delivered asynchronously.
  await new Promise((resolve) => setTimeout(resolve, 50));
  observer.disconnect();
  return seen.filter(
    (e) =>
      (e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind ===
      constants.NODE_PERFORMANCE_GC_MINOR,
  ).length;
}

describe("fileBytesMoved", () => {
  it("collects the young generation once per SCAVENGE_EVERY_BYTES of file bytes", async () => {
    const chunk = 1024 * 1024;
    const perScavenge = SCAVENGE_EVERY_BYTES / chunk;
    // Whatever an earlier caller left counted, a full period of chunks crosses one boundary.
    expect(
      await scavengesDuring(() => fileBytesMoved(SCAVENGE_EVERY_BYTES)),
    ).toBeGreaterThanOrEqual(1);
    const during = await scavengesDuring(() => {
      for (let i = 0; i < 4 * perScavenge; i++) fileBytesMoved(chunk);
    });
    expect(during).toBeGreaterThanOrEqual(4);
  });

  it("does nothing below the threshold", async () => {
    fileBytesMoved(SCAVENGE_EVERY_BYTES); // crosses, and starts counting from zero
    expect(await scavengesDuring(() => fileBytesMoved(SCAVENGE_EVERY_BYTES / 2 - 1))).toBe(0);
  });
});
