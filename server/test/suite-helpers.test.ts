/**
 * The shared test setup itself (helpers/suite.ts): `clockPerTest` gives every test a clock of its
 * own, so a test that moves time cannot move it for the tests after it.
 */
import { describe, expect, it } from "vitest";

import { clockPerTest } from "./helpers/suite.js";

describe("clockPerTest", () => {
  const clock = clockPerTest();
  let start: number | undefined;

  it("moves for the test that moves it", () => {
    start = clock.now();
    clock.advance(8 * 24 * 3600 * 1000);
    expect(clock.now()).toBe(start + 8 * 24 * 3600 * 1000);
  });

  it("starts the next test at the same instant, whatever the last one did", () => {
    expect(clock.now()).toBe(start);
    clock.set(0);
  });

  it("and again after a test that set it", () => {
    expect(clock.now()).toBe(start);
  });
});
