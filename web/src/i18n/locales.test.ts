import { describe, expect, it } from "vitest";

import { directionOf, firstSpokenLocale, matchLocale, negotiateLocale } from "./locales";

describe("negotiateLocale", () => {
  it("takes the first of the browser's languages we speak", () => {
    expect(negotiateLocale(["de-DE", "en"])).toBe("de");
    expect(negotiateLocale(["sv", "fr-CA", "de"])).toBe("fr");
    expect(negotiateLocale(["ja"])).toBe("ja");
    expect(negotiateLocale(["en-US"])).toBe("en");
  });

  it("falls back to English", () => {
    expect(negotiateLocale([])).toBe("en");
    expect(negotiateLocale(["sv", "fi"])).toBe("en");
  });

  it("tells a browser we cannot serve (where an organization's default language applies)", () => {
    expect(firstSpokenLocale(["ko-KR", "sv"])).toBeNull();
    expect(firstSpokenLocale(["zh-TW"])).toBeNull();
    expect(firstSpokenLocale(["ko", "en-GB"])).toBe("en");
  });

  it("maps Portuguese to Brazilian Portuguese and Chinese to Simplified Chinese", () => {
    expect(matchLocale("pt")).toBe("pt-BR");
    expect(matchLocale("pt-PT")).toBe("pt-BR");
    expect(matchLocale("pt-br")).toBe("pt-BR");
    expect(matchLocale("zh")).toBe("zh-Hans");
    expect(matchLocale("zh-CN")).toBe("zh-Hans");
    expect(matchLocale("zh-Hans-CN")).toBe("zh-Hans");
    expect(matchLocale("zh_SG")).toBe("zh-Hans");
  });

  it("does not serve Simplified to a reader who asks for Traditional Chinese", () => {
    expect(matchLocale("zh-TW")).toBeNull();
    expect(matchLocale("zh-Hant-HK")).toBeNull();
    expect(negotiateLocale(["zh-TW", "ja"])).toBe("ja");
  });

  it("knows which languages are written right to left", () => {
    expect(directionOf("ar")).toBe("rtl");
    expect(directionOf("de")).toBe("ltr");
    expect(matchLocale("ar-EG")).toBe("ar");
  });
});
