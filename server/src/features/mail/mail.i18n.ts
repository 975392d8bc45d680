/**
 * The e-mails' languages (SPEC F17): one Lingui instance per language over the catalogs compiled
 * from locales/{locale}.po (`lingui compile --config server/lingui.config.ts`, run by `npm run
 * build`), and the formatting of the values the messages carry. Catalogs are small and every
 * worker may send in any language, so all of them are loaded at start-up.
 */
import { setupI18n, type I18n, type Messages } from "@lingui/core";

import { DEFAULT_LOCALE, RTL_LOCALES, type SupportedLocale } from "@hushlink/protocol";

import { messages as ar } from "./locales/ar.js";
import { messages as de } from "./locales/de.js";
import { messages as en } from "./locales/en.js";
import { messages as es } from "./locales/es.js";
import { messages as fr } from "./locales/fr.js";
import { messages as it } from "./locales/it.js";
import { messages as ja } from "./locales/ja.js";
import { messages as nl } from "./locales/nl.js";
import { messages as pl } from "./locales/pl.js";
import { messages as ptBR } from "./locales/pt-BR.js";
import { messages as zhHans } from "./locales/zh-Hans.js";

/** The compiled catalog of each language (the translations themselves are in the .po files). */
const CATALOGS: Record<SupportedLocale, Messages> = {
  en,
  de,
  fr,
  es,
  "pt-BR": ptBR,
  it,
  nl,
  pl,
  ja,
  "zh-Hans": zhHans,
  ar,
};

const instances = new Map<SupportedLocale, I18n>();

export function mailI18n(locale: SupportedLocale = DEFAULT_LOCALE): I18n {
  let i18n = instances.get(locale);
  if (!i18n) {
    i18n = setupI18n({ locale, messages: { [locale]: CATALOGS[locale] } });
    instances.set(locale, i18n);
  }
  return i18n;
}

export const isRtl = (locale: SupportedLocale) => RTL_LOCALES.includes(locale);

/**
 * A time, in UTC with the zone written out (recipients live in every time zone). English keeps
 * "2030-01-02 13:45 UTC": the English mail is also the one for readers of any other language, and
 * that form reads the same everywhere. Other languages get their own long date through Intl.
 */
export function formatTime(epochMs: number, locale: SupportedLocale = DEFAULT_LOCALE): string {
  if (locale === DEFAULT_LOCALE) {
    const iso = new Date(epochMs).toISOString();
    return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
  }
  return new Intl.DateTimeFormat(locale, {
    dateStyle: "long",
    timeStyle: "short",
    timeZone: "UTC",
  })
    .format(epochMs)
    .concat(" UTC");
}

/** Left-to-right isolates: an address, a code or a host inside right-to-left text keeps its order. */
const LRI = "\u2066";
const PDI = "\u2069";
export const ISOLATED = /\u2066([^\u2066-\u2069]*)\u2069/g;

/** The directional marks a typed value might carry are dropped, so it cannot unbalance ours. */
export const withoutIsolates = (value: string) => value.replace(/[\u2066-\u2069]/g, "");

export function ltr(value: string, locale: SupportedLocale): string {
  return isRtl(locale) ? `${LRI}${withoutIsolates(value)}${PDI}` : value;
}
