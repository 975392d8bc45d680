import { describe, expect, it } from "vitest";

import { describeLimits, formatBytes, formatDuration, formatTimeUntil, utf8Length } from "./format";

describe("formatDuration", () => {
  it.each([
    [30, "less than a minute"],
    [5 * 60, "5 minutes"],
    [59 * 60 + 50, "1 hour"],
    [3600, "1 hour"],
    [23 * 3600, "23 hours"],
    [23 * 3600 + 45 * 60, "1 day"],
    [86400, "1 day"],
    [14 * 86400, "14 days"],
  ])("%i s is %s", (seconds, words) => {
    expect(formatDuration(seconds)).toBe(words);
  });
});

describe("describeLimits", () => {
  it("names both limits", () => {
    expect(describeLimits("1 day", 1)).toBe("Expires in 1 day or after 1 view");
    expect(describeLimits("7 days", 3)).toBe("Expires in 7 days or after 3 views");
  });

  it("says when views are unlimited", () => {
    expect(describeLimits("1 hour", null)).toBe(
      "Expires in 1 hour; it can be viewed any number of times until then",
    );
  });
});

describe("formatTimeUntil", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");
  it("counts down in words", () => {
    expect(formatTimeUntil("2026-01-02T00:00:00Z", now)).toBe("in 1 day");
    expect(formatTimeUntil("2026-01-01T00:00:30Z", now)).toBe("in less than a minute");
    expect(formatTimeUntil("2025-12-31T00:00:00Z", now)).toBe("now");
  });
});

describe("sizes", () => {
  it("counts UTF-8 bytes, not characters", () => {
    expect(utf8Length("abc")).toBe(3);
    expect(utf8Length("é")).toBe(2);
    expect(utf8Length("🔑")).toBe(4);
  });

  it("formats bytes", () => {
    expect(formatBytes(1)).toBe("1 byte");
    expect(formatBytes(64 * 1024)).toBe("64 KB");
  });
});
