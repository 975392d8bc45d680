import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { activateLocale } from "../i18n/i18n";
import { AREAS } from "../i18n/page-areas";
import {
  describeLimits,
  formatBytes,
  formatDate,
  formatDuration,
  formatTimeUntil,
  formatViewsLeft,
  utf8Length,
  viewsLabel,
} from "./format";

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
    expect(formatBytes(3)).toBe("3 bytes");
    // Intl's English symbol for the kilobyte is the SI "kB" (it was a hand-made "KB").
    expect(formatBytes(64 * 1024)).toBe("64 kB");
    expect(formatBytes(12.5 * 1024 * 1024)).toBe("12.5 MB");
  });
});

describe("counts", () => {
  it("says views left with each language's plural forms", () => {
    expect(formatViewsLeft(1)).toBe("1 view left");
    expect(formatViewsLeft(2)).toBe("2 views left");
    expect(viewsLabel(null)).toBe("Unlimited");
  });
});

/** Intl separates numbers and units with (narrow) no-break spaces in some languages. */
const spaced = (text: string) => text.replace(/[\u00a0\u202f]/g, " ");

// The same words in three languages that differ most from English: German (decimal comma,
// capitalised nouns), Japanese (no plural, counters), Arabic (six plural forms, right to left).
describe("in other languages", () => {
  afterAll(() => activateLocale("en", AREAS));
  const now = Date.parse("2026-01-01T00:00:00Z");

  describe("German", () => {
    beforeAll(() => activateLocale("de", AREAS));
    it("formats sizes, durations and counts", () => {
      expect(spaced(formatBytes(1))).toBe("1 Byte");
      expect(spaced(formatBytes(12.5 * 1024 * 1024))).toBe("12,5 MB");
      expect(spaced(formatDuration(5 * 60))).toBe("5 Minuten");
      expect(spaced(formatDuration(30))).toBe("weniger als einer Minute");
      expect(spaced(formatTimeUntil("2026-01-02T00:00:00Z", now))).toBe("in 1 Tag");
      expect(spaced(formatTimeUntil("2026-01-01T00:00:30Z", now))).toBe(
        "in weniger als einer Minute",
      );
      expect(spaced(formatTimeUntil("2025-12-31T00:00:00Z", now))).toBe("jetzt");
      expect(spaced(formatViewsLeft(1))).toBe("Noch 1 Aufruf");
      expect(spaced(formatViewsLeft(2))).toBe("Noch 2 Aufrufe");
      expect(spaced(describeLimits("7 Tagen", 3))).toBe("Läuft in 7 Tagen oder nach 3 Aufrufen ab");
      expect(spaced(formatDate("2026-06-12T12:00:00Z"))).toMatch(/Juni 2026/);
      expect(spaced(formatDate("not a date"))).toBe("einem unbekannten Datum");
    });
  });

  describe("Japanese", () => {
    beforeAll(() => activateLocale("ja", AREAS));
    it("formats sizes, durations and counts", () => {
      expect(spaced(formatBytes(1))).toBe("1 バイト");
      expect(spaced(formatDuration(86400))).toBe("1 日");
      expect(spaced(formatTimeUntil("2026-01-01T23:00:00Z", now))).toBe("23 時間後");
      expect(spaced(formatViewsLeft(2))).toBe("残り 2 回閲覧できます");
      expect(spaced(viewsLabel(null))).toBe("無制限");
      expect(spaced(formatDate("2026-06-12T12:00:00Z"))).toMatch(/2026年6月12日/);
    });
  });

  describe("Arabic", () => {
    beforeAll(() => activateLocale("ar", AREAS));
    it("formats sizes, durations and counts", () => {
      expect(spaced(formatBytes(64 * 1024))).toBe("64 كيلوبايت");
      expect(spaced(formatDuration(5 * 60))).toBe("5 دقائق");
      expect(spaced(formatTimeUntil("2026-01-02T00:00:00Z", now))).toBe("خلال يوم واحد");
      expect(spaced(formatTimeUntil("2025-12-31T00:00:00Z", now))).toBe("الآن");
      expect(spaced(formatViewsLeft(1))).toBe("تتبقّى مشاهدة واحدة");
      expect(spaced(formatViewsLeft(2))).toBe("تتبقّى مشاهدتان");
      expect(spaced(formatViewsLeft(5))).toBe("تتبقّى 5 مشاهدات");
      expect(spaced(formatViewsLeft(11))).toBe("تتبقّى 11 مشاهدة");
    });
  });
});
