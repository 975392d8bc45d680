/**
 * The languages Hushlink speaks (issue 22; the list is the protocol's, shared with the server's
 * e-mails and the API's `locale` fields) and how a browser's wishes map onto them.
 */
import {
  DEFAULT_LOCALE,
  isSupportedLocale,
  RTL_LOCALES,
  SUPPORTED_LOCALES,
  type SupportedLocale,
} from "@hushlink/protocol/client";

export const LOCALES = SUPPORTED_LOCALES;
export type Locale = SupportedLocale;
export const SOURCE_LOCALE: Locale = DEFAULT_LOCALE;

/** Each language in its own words, as the picker lists it: never translated. */
/* eslint-disable lingui/no-unlocalized-strings */
export const NATIVE_NAMES: Record<Locale, string> = {
  en: "English",
  de: "Deutsch",
  fr: "Français",
  es: "Español",
  "pt-BR": "Português (Brasil)",
  it: "Italiano",
  nl: "Nederlands",
  pl: "Polski",
  ja: "日本語",
  "zh-Hans": "简体中文",
  ar: "العربية",
};
/* eslint-enable lingui/no-unlocalized-strings */

export const directionOf = (locale: Locale): "rtl" | "ltr" =>
  RTL_LOCALES.includes(locale) ? "rtl" : "ltr";

export const isLocale = isSupportedLocale;

/**
 * The locale of ours that serves one BCP 47 tag, or null: exact tags first (any case), then by
 * language ("pt", "pt-PT" → pt-BR; "de-AT" → de). Chinese is matched by script: Simplified
 * ("zh", "zh-CN", "zh-SG", "zh-Hans-*") → zh-Hans; a reader asking for Traditional (zh-TW,
 * zh-HK, zh-Hant) is not served Simplified unasked, so their next language is tried instead.
 */
export function matchLocale(tag: string): Locale | null {
  const lower = tag.trim().toLowerCase();
  const exact = LOCALES.find((locale) => locale.toLowerCase() === lower);
  if (exact) return exact;
  const [language, ...rest] = lower.split(/[-_]/);
  if (language === "zh") {
    const traditional = rest.some((part) => ["hant", "tw", "hk", "mo"].includes(part));
    return traditional ? null : "zh-Hans";
  }
  return LOCALES.find((locale) => locale.toLowerCase().split("-")[0] === language) ?? null;
}

/** The first of the browser's languages we speak, or null when we speak none of them. */
export function firstSpokenLocale(preferred: readonly string[]): Locale | null {
  for (const tag of preferred) {
    const locale = matchLocale(tag);
    if (locale) return locale;
  }
  return null;
}

/** The first of the browser's languages we speak, else English. */
export function negotiateLocale(preferred: readonly string[]): Locale {
  return firstSpokenLocale(preferred) ?? SOURCE_LOCALE;
}
