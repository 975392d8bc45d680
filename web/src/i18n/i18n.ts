/**
 * The active language: which one, loading its catalog, and saying so to the document
 * (`<html lang dir>`). Catalogs are lazy modules, one per locale (lingui-catalogs.ts): a page
 * fetches only the catalog of the language it shows.
 */
import { i18n, type Messages } from "@lingui/core";

import { directionOf, isLocale, negotiateLocale, SOURCE_LOCALE, type Locale } from "./locales";

export { i18n };

// Spelled out (not a template) so the bundler makes exactly one chunk per locale.
const catalogs: Record<Locale, () => Promise<{ messages: Messages }>> = {
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

// Code that formats before the first catalog arrives (and unit tests) gets English source
// messages rather than a warning; the page itself renders only once a catalog is loaded.
if (!i18n.locale) i18n.activate(SOURCE_LOCALE);

const STORAGE_KEY = "hushlink.locale";

export function rememberedLocale(): Locale | null {
  try {
    const value = window.localStorage.getItem(STORAGE_KEY);
    return isLocale(value) ? value : null;
  } catch {
    // Storage may be off (privacy settings): the browser's languages decide.
    return null;
  }
}

export function rememberLocale(locale: Locale): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // See rememberedLocale.
  }
}

/** A choice made in this browser, else the browser's own languages. */
export function startLocale(): Locale {
  return rememberedLocale() ?? negotiateLocale(navigator.languages ?? [navigator.language]);
}

export const activeLocale = (): Locale => (isLocale(i18n.locale) ? i18n.locale : SOURCE_LOCALE);

let latest: Locale | null = null;

/** Loads the locale's catalog, then switches every mounted component and the document to it. */
export async function activateLocale(locale: Locale): Promise<void> {
  latest = locale;
  const { messages } = await catalogs[locale]();
  // A slower catalog must not override a choice made after it was asked for.
  if (latest !== locale) return;
  i18n.loadAndActivate({ locale, messages });
  if (typeof document === "undefined") return; // unit tests run without a page
  const root = document.documentElement;
  root.lang = locale;
  root.dir = directionOf(locale);
}
