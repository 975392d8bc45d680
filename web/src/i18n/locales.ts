/**
 * The languages Hushlink speaks (issue 22) and how a browser's wishes map onto them. Kept free
 * of React and of Lingui so the route-free parts (tests, the picker) can use it as is.
 */
export const LOCALES = [
  "en",
  "de",
  "fr",
  "es",
  "pt-BR",
  "it",
  "nl",
  "pl",
  "ja",
  "zh-Hans",
  "ar",
] as const;
export type Locale = (typeof LOCALES)[number];
export const SOURCE_LOCALE: Locale = "en";

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

const RTL: ReadonlySet<Locale> = new Set<Locale>(["ar"]);
export const directionOf = (locale: Locale): "rtl" | "ltr" => (RTL.has(locale) ? "rtl" : "ltr");

export const isLocale = (value: unknown): value is Locale =>
  typeof value === "string" && (LOCALES as readonly string[]).includes(value);

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

/** The first of the browser's languages we speak, else English. */
export function negotiateLocale(preferred: readonly string[]): Locale {
  for (const tag of preferred) {
    const locale = matchLocale(tag);
    if (locale) return locale;
  }
  return SOURCE_LOCALE;
}
