import { describe, expect, it } from "vitest";

import {
  contrastRatio,
  DEFAULT_COLORS,
  formatRatio,
  mix,
  NEAR_BLACK,
  normalizeHex,
  readableTextOn,
  themeFor,
} from "./colors";

describe("contrast", () => {
  it("matches the WCAG figures", () => {
    expect(contrastRatio("#000000", "#ffffff")).toBeCloseTo(21, 5);
    expect(contrastRatio("#ffffff", "#ffffff")).toBe(1);
    expect(contrastRatio("#767676", "#ffffff")).toBeCloseTo(4.54, 2);
    expect(contrastRatio(DEFAULT_COLORS.textColor, DEFAULT_COLORS.backgroundColor)).toBeGreaterThan(
      15,
    );
  });

  it("is written rounded down", () => {
    expect(formatRatio(4.499)).toBe("4.49:1");
    expect(formatRatio(21)).toBe("21:1");
    expect(formatRatio(4.5)).toBe("4.5:1");
  });
});

describe("normalizeHex", () => {
  it("accepts #rrggbb, rrggbb and #rgb, lower-cased", () => {
    expect(normalizeHex("#AbC123")).toBe("#abc123");
    expect(normalizeHex(" abc123 ")).toBe("#abc123");
    expect(normalizeHex("#fa0")).toBe("#ffaa00");
  });

  it("refuses anything else", () => {
    expect(normalizeHex("red")).toBeNull();
    expect(normalizeHex("#12345")).toBeNull();
    expect(normalizeHex("#1234567")).toBeNull();
  });
});

describe("button text on the primary", () => {
  it("is white on dark colours and near-black on pale ones", () => {
    expect(readableTextOn("#3451b2")).toBe("#ffffff");
    expect(readableTextOn("#0f766e")).toBe("#ffffff");
    expect(readableTextOn("#ffd400")).toBe(NEAR_BLACK);
    expect(readableTextOn("#a3e635")).toBe(NEAR_BLACK);
  });
});

describe("themeFor", () => {
  it("keeps Hushlink's colours for the default input", () => {
    const theme = themeFor(DEFAULT_COLORS);
    expect(theme["--accent"]).toBe("#3451b2");
    expect(theme["--bg"]).toBe("#f5f6f8");
    expect(theme["--text"]).toBe("#1a1d23");
    expect(theme["--accent-contrast"]).toBe("#ffffff");
    expect(theme["color-scheme"]).toBe("light");
  });

  it("falls back to the defaults for missing or malformed colours", () => {
    const theme = themeFor({ primaryColor: "javascript:alert(1)", textColor: "#123" });
    expect(theme["--accent"]).toBe(DEFAULT_COLORS.primaryColor);
    expect(theme["--text"]).toBe(DEFAULT_COLORS.textColor);
  });

  const palettes = [
    { primaryColor: "#0f766e", backgroundColor: "#fdf6ec", textColor: "#2b2118" },
    { primaryColor: "#ffd400", backgroundColor: "#ffffff", textColor: "#111111" },
    { primaryColor: "#f472b6", backgroundColor: "#111827", textColor: "#f9fafb" },
    { primaryColor: "#000000", backgroundColor: "#000000", textColor: "#ffffff" },
    { primaryColor: "#1e3a8a", backgroundColor: "#0b1020", textColor: "#e5e7eb" },
  ];

  it.each(palettes)("keeps every text colour readable: %o", (colors) => {
    const theme = themeFor(colors);
    const surfaces = [theme["--bg"], theme["--surface"], theme["--surface-sunken"]];
    for (const surface of surfaces) {
      expect(contrastRatio(theme["--text"], surface)).toBeGreaterThanOrEqual(4.5);
      expect(contrastRatio(theme["--text-muted"], surface)).toBeGreaterThanOrEqual(4.5);
      expect(contrastRatio(theme["--accent-text"], surface)).toBeGreaterThanOrEqual(4.5);
      expect(contrastRatio(theme["--focus"], surface)).toBeGreaterThanOrEqual(3);
    }
    expect(contrastRatio(theme["--accent-text"], theme["--accent-soft"])).toBeGreaterThanOrEqual(
      4.5,
    );
    expect(contrastRatio(theme["--info-text"], theme["--accent-soft"])).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(theme["--accent-contrast"], theme["--accent"])).toBeGreaterThanOrEqual(
      4.5,
    );
  });

  it("switches the colour scheme on dark backgrounds", () => {
    expect(themeFor(palettes[2]!)["color-scheme"]).toBe("dark");
  });
});

describe("mix", () => {
  it("mixes in sRGB like color-mix()", () => {
    expect(mix("#000000", "#ffffff", 0.5)).toBe("#808080");
    expect(mix("#3451b2", "#ffffff", 1)).toBe("#3451b2");
    expect(mix("#3451b2", "#ffffff", 0)).toBe("#ffffff");
  });
});
