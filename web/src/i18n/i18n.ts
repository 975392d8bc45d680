/**
 * The active language: which one, loading its catalogs, and saying so to the document
 * (`<html lang dir>`). Catalogs are lazy modules, one per locale and area (lingui-catalogs.ts):
 * a page fetches only the areas it shows (page-areas.ts), in the language it shows.
 */
import { i18n, type Messages } from "@lingui/core";
import table from "virtual:lingui-catalogs";

import {
  directionOf,
  firstSpokenLocale,
  isLocale,
  negotiateLocale,
  SOURCE_LOCALE,
  type Locale,
} from "./locales";
import { LOCALE_STORAGE_KEY } from "./locale-storage";
import { AREAS, type Area } from "./page-areas";

export { i18n };

// catalogs[locale][area]() imports one compiled catalog (web/lingui-catalogs.ts).
const catalogs = table as Record<Locale, Record<Area, () => Promise<{ messages: Messages }>>>;

// Code that formats before the first catalog arrives (and unit tests) gets English source
// messages rather than a warning; the page itself renders only once a catalog is loaded.
if (!i18n.locale) i18n.activate(SOURCE_LOCALE);

export function rememberedLocale(): Locale | null {
  try {
    const value = window.localStorage.getItem(LOCALE_STORAGE_KEY);
    return isLocale(value) ? value : null;
  } catch {
    // Storage may be off (privacy settings): the browser's languages decide.
    return null;
  }
}

export function rememberLocale(locale: Locale): void {
  try {
    window.localStorage.setItem(LOCALE_STORAGE_KEY, locale);
  } catch {
    // See rememberedLocale.
  }
}

const browserLanguages = (): readonly string[] => navigator.languages ?? [navigator.language];

/** A choice made in this browser, else the browser's own languages. */
export function startLocale(): Locale {
  return rememberedLocale() ?? negotiateLocale(browserLanguages());
}

/**
 * The language a branded page (an organization's share or request page) shows once it knows
 * its organization's default: the visitor's own choice and their browser's languages come
 * first, as for e-mails the recipient's own language does; the organization's default serves
 * a visitor whose browser asks only for languages we do not speak, instead of English. Null
 * when the page should stay as it is.
 */
export function brandedLocale(orgDefault: Locale | null | undefined): Locale | null {
  if (!orgDefault || rememberedLocale() || firstSpokenLocale(browserLanguages())) return null;
  return orgDefault === activeLocale() ? null : orgDefault;
}

export const activeLocale = (): Locale => (isLocale(i18n.locale) ? i18n.locale : SOURCE_LOCALE);

let latest: Locale | null = null;
/** The areas this page has asked for; a change of language loads them in the new one. */
const wanted = new Set<Area>();
/** The areas whose messages the active language has. */
let loaded = new Set<Area>();

export const areasLoaded = (areas: readonly Area[]): boolean =>
  areas.every((area) => loaded.has(area));

async function messagesOf(locale: Locale, areas: Iterable<Area>): Promise<Messages> {
  const loaded = await Promise.all([...areas].map((area) => catalogs[locale][area]()));
  return Object.assign({}, ...loaded.map((module) => module.messages)) as Messages;
}

/**
 * Loads the locale's catalogs of the page's areas (and of those asked for before), then
 * switches every mounted component and the document to it.
 */
export async function activateLocale(locale: Locale, areas: readonly Area[] = []): Promise<void> {
  for (const area of areas) wanted.add(area);
  latest = locale;
  // What this call fetches: areas asked for while it waits are fetched by their own call.
  const asking = new Set(wanted);
  const messages = await messagesOf(locale, asking);
  // A slower catalog must not override a choice made after it was asked for.
  if (latest !== locale) return;
  // Lingui merges the messages of a locale it has; a new locale starts from these alone.
  loaded = locale === i18n.locale ? new Set([...loaded, ...asking]) : asking;
  i18n.loadAndActivate({ locale, messages });
  if (typeof document === "undefined") return; // unit tests run without a page
  const root = document.documentElement;
  root.lang = locale;
  root.dir = directionOf(locale);
}

/**
 * Loads `areas` in the language being switched to, if a switch is under way (the account's
 * language arriving with the session, a pick in the language menu), else in the active one:
 * asking in the active language would cancel the switch (`latest`), and the page would stay
 * in the old language for good.
 */
export function loadAreas(areas: readonly Area[]): Promise<void> {
  return activateLocale(latest ?? activeLocale(), areas);
}

// A message of an area this page did not load (a component used across areas) would show its
// id: load every area once and render again. Rare by design (page-areas.ts), never fatal.
let completing = false;
i18n.on("missing", () => {
  if (completing || wanted.size === AREAS.length) return;
  completing = true;
  void loadAreas(AREAS).catch((error: unknown) =>
    console.error("Messages could not be loaded", error),
  );
});
