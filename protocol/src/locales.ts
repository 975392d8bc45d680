/**
 * The languages Hushlink speaks (SPEC F17, issue 22): English is the source, the rest are
 * translations. BCP 47 tags as browsers report them (`navigator.languages`) and as `Intl` takes
 * them. One list for the web, the server's e-mails and the API's `locale` fields.
 */
export const SUPPORTED_LOCALES = [
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
export type SupportedLocale = (typeof SUPPORTED_LOCALES)[number];

/** The source language: what everything falls back to. */
export const DEFAULT_LOCALE: SupportedLocale = "en";

/** Written right to left: pages and e-mails in these set `dir="rtl"`. */
export const RTL_LOCALES: readonly SupportedLocale[] = ["ar"];

export function isSupportedLocale(value: unknown): value is SupportedLocale {
  return typeof value === "string" && (SUPPORTED_LOCALES as readonly string[]).includes(value);
}
