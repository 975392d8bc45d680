import { setupI18n, type Messages } from "@lingui/core";
import { ERROR_CODES } from "@hushlink/protocol";
import { describe, expect, it } from "vitest";

import { CLIENT_ERROR_MESSAGES, ERROR_MESSAGES } from "./error-messages";
import { LOCALES, SOURCE_LOCALE, type Locale } from "./locales";

/** The compiled catalog the pages load for a locale (web/lingui-catalogs.ts). */
async function catalog(locale: Locale): Promise<Messages> {
  const loaders: Record<Locale, () => Promise<{ messages: Messages }>> = {
    en: () => import("virtual:lingui-catalog/en"),
    de: () => import("virtual:lingui-catalog/de"),
    fr: () => import("virtual:lingui-catalog/fr"),
    es: () => import("virtual:lingui-catalog/es"),
    "pt-BR": () => import("virtual:lingui-catalog/pt-BR"),
    it: () => import("virtual:lingui-catalog/it"),
    nl: () => import("virtual:lingui-catalog/nl"),
    pl: () => import("virtual:lingui-catalog/pl"),
    ja: () => import("virtual:lingui-catalog/ja"),
    "zh-Hans": () => import("virtual:lingui-catalog/zh-Hans"),
    ar: () => import("virtual:lingui-catalog/ar"),
  };
  return (await loaders[locale]()).messages;
}

/**
 * Codes whose message may read the same as English in a language. None so far; a name that is
 * the same everywhere (a product, a file format) would be the legitimate reason to add one.
 */
const SAME_AS_ENGLISH: ReadonlySet<string> = new Set<string>([]);

describe("error messages", () => {
  it("cover every error code of the protocol, and nothing else", () => {
    expect(Object.keys(ERROR_MESSAGES).sort()).toEqual([...ERROR_CODES].sort());
  });

  const english = setupI18n();
  const all = [
    ...Object.entries(ERROR_MESSAGES),
    ...Object.entries(CLIENT_ERROR_MESSAGES),
  ] as const;

  it.each(LOCALES)("are all translated in the compiled %s catalog", async (locale) => {
    const messages = await catalog(locale);
    english.loadAndActivate({ locale: SOURCE_LOCALE, messages: await catalog(SOURCE_LOCALE) });
    const i18n = setupI18n({ locale, messages: { [locale]: messages } });
    for (const [code, descriptor] of all) {
      // The id is in the catalog itself: no fallback to the message in the code.
      expect(messages[descriptor.id], `${locale}: ${code}`).toBeDefined();
      const text = i18n._({ id: descriptor.id });
      expect(text.trim(), `${locale}: ${code}`).not.toBe("");
      expect(text, `${locale}: ${code}`).not.toBe(descriptor.id);
      if (locale !== SOURCE_LOCALE && !SAME_AS_ENGLISH.has(code))
        expect(text, `${locale}: ${code} reads as English`).not.toBe(
          english._({ id: descriptor.id }),
        );
    }
  });
});
