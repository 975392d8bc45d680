import { describe, expect, it } from "vitest";

import { filesProblem } from "./components/FilesField";
import { progressText } from "./components/TransferProgress";
import { progressReporter, rateMeter, type Progress } from "./transfer";

const MiB = 1024 * 1024;
const files = (...sizes: number[]) => sizes.map((size) => ({ size }));

describe("filesProblem: the limits checked before anything is sent", () => {
  const limits = { maxFiles: 3, maxBytes: 10 * MiB, signedIn: true };

  it("passes files within the count and the total, and no files at all", () => {
    expect(filesProblem([], limits)).toBeNull();
    expect(filesProblem(files(0, 5, 10 * MiB - 5), limits)).toBeNull();
  });

  it("names the count and the total when either is over", () => {
    expect(filesProblem(files(1, 1, 1, 1), limits)).toBe(
      "4 files chosen; at most 3 files fit in one secret.",
    );
    expect(filesProblem(files(10 * MiB, 1), limits)).toBe(
      "The files take 10 MB; the limit is 10 MB.",
    );
    expect(filesProblem(files(11 * MiB), { ...limits, signedIn: false })).toBe(
      "The files take 11 MB; the limit is 10 MB without signing in.",
    );
  });

  it("says to sign in when the server takes no files from visitors", () => {
    expect(filesProblem(files(1), { ...limits, maxBytes: 0, signedIn: false })).toMatch(
      /^Sign in to share files/,
    );
    expect(filesProblem(files(1), { ...limits, maxBytes: 0 })).toBe(
      "This server does not take files.",
    );
  });
});

describe("progress in words", () => {
  it("gives bytes, percent and rate", () => {
    expect(progressText({ done: 5 * MiB, total: 20 * MiB, rate: 2.5 * MiB })).toBe(
      "5 MB of 20 MB (25%), 2.5 MB/s",
    );
    expect(progressText({ done: 0, total: 0, rate: 0 })).toBe("0 bytes of 0 bytes (100%)");
    expect(progressText({ done: 1, total: 3, rate: 9 }, false)).toBe("1 byte of 3 bytes (33%)");
  });

  it("measures the rate over a sliding window, so a stall shows", () => {
    let now = 0;
    const meter = rateMeter(3000, () => now);
    expect(meter(0)).toBe(0);
    now = 1000;
    expect(meter(MiB)).toBe(MiB);
    now = 2000;
    expect(meter(2 * MiB)).toBe(MiB);
    // Nothing more for five seconds: the old samples leave the window.
    now = 7000;
    expect(meter(2 * MiB)).toBe(0);
  });

  it("is shown when the whole percent changes, not per chunk, and always at the start and end", () => {
    let now = 0;
    const shown: Progress[] = [];
    const report = progressReporter(
      (p) => shown.push(p),
      () => now,
    );
    const total = 256 * MiB;
    report(0, total);
    for (let done = MiB; done <= total; done += MiB) {
      now += 10;
      report(done, total);
    }
    // 256 chunks: the first report and one per percent, the last (100%) among them.
    expect(shown).toHaveLength(101);
    expect(shown.map((p) => Math.floor((p.done / total) * 100))).toEqual(
      Array.from({ length: 101 }, (_, i) => i),
    );
    expect(shown.at(-1)).toEqual({ done: total, total, rate: 100 * MiB });
    // A small file still moves with each chunk, and an empty one is shown done.
    const small: number[] = [];
    const smallReport = progressReporter(
      (p) => small.push(p.done),
      () => now,
    );
    for (const done of [0, MiB, 2 * MiB, 2 * MiB + 5]) smallReport(done, 2 * MiB + 5);
    expect(small).toEqual([0, MiB, 2 * MiB, 2 * MiB + 5]);
    const empty: Progress[] = [];
    progressReporter(
      (p) => empty.push(p),
      () => now,
    )(0, 0);
    expect(empty).toEqual([{ done: 0, total: 0, rate: 0 }]);
  });
});
