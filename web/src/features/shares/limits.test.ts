import { describe, expect, it } from "vitest";

import { CUSTOM, defaultCustomExpiry, resolveLimits, toLocalInput, UNLIMITED } from "./limits";

const LIMITS = { maxExpiresIn: 30 * 86400, maxViews: 1000 };
const NOW = new Date(2026, 11, 1, 21, 47, 30).getTime();

describe("resolveLimits", () => {
  it("passes presets through", () => {
    expect(
      resolveLimits({ expiry: 3600, expiresAt: "", views: "3", customViews: "" }, LIMITS, NOW),
    ).toEqual({ ok: true, expiresIn: 3600, maxViews: 3 });
    expect(
      resolveLimits(
        { expiry: 3600, expiresAt: "", views: UNLIMITED, customViews: "" },
        LIMITS,
        NOW,
      ),
    ).toEqual({ ok: true, expiresIn: 3600, maxViews: null });
  });

  it("turns a custom date and time into seconds from now", () => {
    const at = toLocalInput(new Date(2026, 11, 3, 9, 0));
    const result = resolveLimits(
      { expiry: CUSTOM, expiresAt: at, views: CUSTOM, customViews: "7" },
      LIMITS,
      NOW,
    );
    expect(result).toEqual({
      ok: true,
      expiresIn: (new Date(2026, 11, 3, 9, 0).getTime() - NOW) / 1000,
      maxViews: 7,
    });
  });

  it("refuses a custom expiry in the past, too soon, or beyond the limit", () => {
    const base = { expiry: CUSTOM, views: "1", customViews: "" } as const;
    for (const at of [
      toLocalInput(new Date(2026, 11, 1, 21, 0)),
      toLocalInput(new Date(NOW)),
      "",
    ]) {
      expect(resolveLimits({ ...base, expiresAt: at }, LIMITS, NOW)).toMatchObject({
        ok: false,
        field: "expiresAt",
      });
    }
    const late = toLocalInput(new Date(2027, 0, 2, 0, 0));
    const refused = resolveLimits({ ...base, expiresAt: late }, LIMITS, NOW);
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.message).toMatch(/^Pick a time no later than/);
  });

  it("refuses a custom view count outside 1 to the limit", () => {
    const base = { expiry: 3600, expiresAt: "", views: CUSTOM } as const;
    for (const customViews of ["0", "-2", "2.5", "", "1001"]) {
      expect(resolveLimits({ ...base, customViews }, LIMITS, NOW)).toMatchObject({
        ok: false,
        field: "customViews",
      });
    }
    expect(resolveLimits({ ...base, customViews: "1000" }, LIMITS, NOW)).toMatchObject({
      ok: true,
      maxViews: 1000,
    });
  });

  it("offers tomorrow at a full hour first, and never beyond the limit", () => {
    expect(defaultCustomExpiry(NOW, LIMITS.maxExpiresIn)).toBe("2026-12-02T21:00");
    expect(defaultCustomExpiry(NOW, 3600)).toBe("2026-12-01T22:47");
  });
});
