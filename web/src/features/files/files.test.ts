import { describe, expect, it } from "vitest";

import { filesProblem } from "./components/FilesField";
import { progressText } from "./components/TransferProgress";
import { PROGRESS_INTERVAL_MS, progressReporter, rateMeter, type Progress } from "./transfer";

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

  /** A clock the test moves by hand, with the timers the reporter sets on it. */
  function manualClock() {
    let now = 0;
    let timers: { at: number; run: () => void }[] = [];
    return {
      now: () => now,
      setTimeout: (run: () => void, ms: number) => {
        const timer = { at: now + ms, run };
        timers.push(timer);
        return timer;
      },
      clearTimeout: (timer: unknown) => {
        timers = timers.filter((t) => t !== timer);
      },
      /** Moves the clock on, running each timer that falls due. */
      advance(ms: number) {
        const until = now + ms;
        for (;;) {
          const due = timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0];
          if (!due) break;
          timers = timers.filter((t) => t !== due);
          now = due.at;
          due.run();
        }
        now = until;
      },
      pending: () => timers.length,
    };
  }

  it("is shown about ten times a second, not per chunk or per percent: 256 MiB at 100 MB/s", () => {
    const clock = manualClock();
    const shown: { at: number; done: number }[] = [];
    const report = progressReporter((p) => shown.push({ at: clock.now(), done: p.done }), clock);
    const total = 256 * MiB;
    report(0, total);
    // A chunk every 10 ms (100 MiB/s) for 2.56 s: the whole-percent rule showed 101 of them.
    for (let done = MiB; done <= total; done += MiB) {
      clock.advance(10);
      report(done, total);
    }
    report.stop();
    expect(shown.length).toBeGreaterThanOrEqual(25);
    expect(shown.length).toBeLessThanOrEqual(27);
    for (let i = 1; i < shown.length - 1; i++) {
      expect(shown[i]!.at - shown[i - 1]!.at).toBeGreaterThanOrEqual(PROGRESS_INTERVAL_MS);
    }
    // The end is shown as soon as it is reported, whenever the one before it was.
    expect(shown.at(-1)).toEqual({ at: 2560, done: total });
    expect(clock.pending()).toBe(0);
  });

  it("shows a held-back value when its interval is up, so the last one is always shown", () => {
    const clock = manualClock();
    const shown: Progress[] = [];
    const report = progressReporter((p) => shown.push(p), clock);
    report(0, 10 * MiB);
    clock.advance(10);
    report(MiB, 10 * MiB);
    clock.advance(10);
    report(2 * MiB, 10 * MiB);
    expect(shown.map((p) => p.done)).toEqual([0]);
    // Then the transfer stalls: the latest value still appears, 100 ms after the first.
    clock.advance(80);
    expect(shown.map((p) => p.done)).toEqual([0, 2 * MiB]);
    clock.advance(1000);
    expect(shown).toHaveLength(2);
  });

  it("stop shows what was held back and nothing after, so no update lands after the outcome", () => {
    const clock = manualClock();
    const shown: number[] = [];
    const report = progressReporter((p) => shown.push(p.done), clock);
    report(0, 10 * MiB);
    clock.advance(10);
    report(3 * MiB, 10 * MiB);
    report.stop();
    expect(shown).toEqual([0, 3 * MiB]);
    expect(clock.pending()).toBe(0);
    report(4 * MiB, 10 * MiB);
    report(10 * MiB, 10 * MiB);
    clock.advance(1000);
    expect(shown).toEqual([0, 3 * MiB]);
  });

  it("shows a small or empty file's end at once", () => {
    const clock = manualClock();
    const small: number[] = [];
    const smallReport = progressReporter((p) => small.push(p.done), clock);
    for (const done of [0, MiB, 2 * MiB, 2 * MiB + 5]) smallReport(done, 2 * MiB + 5);
    expect(small).toEqual([0, 2 * MiB + 5]);
    const empty: Progress[] = [];
    progressReporter((p) => empty.push(p), clock)(0, 0);
    expect(empty).toEqual([{ done: 0, total: 0, rate: 0 }]);
  });
});
