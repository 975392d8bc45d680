/**
 * Words for sizes, durations and dates, so every page says the same thing the same way, in the
 * page's language: numbers, units and relative times come from `Intl` for the active locale,
 * the few phrases of our own are Lingui messages.
 */
import { plural, t } from "@lingui/core/macro";

import { activeLocale } from "../i18n/i18n";

const cache = new Map<string, Intl.NumberFormat | Intl.RelativeTimeFormat | Intl.DateTimeFormat>();
/** Intl formatters are costly to make; one per locale and options. */
function cached<T extends Intl.NumberFormat | Intl.RelativeTimeFormat | Intl.DateTimeFormat>(
  key: string,
  make: (locale: string) => T,
): T {
  const locale = activeLocale();
  const id = `${locale}|${key}`;
  let formatter = cache.get(id);
  if (!formatter) {
    formatter = make(locale);
    cache.set(id, formatter);
  }
  return formatter as T;
}

export const formatNumber = (value: number): string =>
  cached("number", (locale) => new Intl.NumberFormat(locale)).format(value);

/**
 * English only: "3 files". For pages not wrapped for translation yet (the dashboard tabs, see
 * docs/i18n/README.md); wrapped pages use Lingui's `plural` so each language has its forms.
 */
export function englishPlural(count: number, one: string, many = `${one}s`): string {
  return `${formatNumber(count)} ${count === 1 ? one : many}`;
}

type SizeUnit = "kilobyte" | "megabyte" | "gigabyte";
const unit = (value: number, name: SizeUnit | "byte", digits: number, display: "long" | "short") =>
  cached(
    `${name}|${digits}|${display}`,
    (locale) =>
      new Intl.NumberFormat(locale, {
        style: "unit",
        unit: name,
        unitDisplay: display,
        maximumFractionDigits: digits,
      }),
  ).format(value);

/** "1 byte", "64 kB", "12.5 MB", "1.25 GB" (binary multiples, as file sizes are counted). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return unit(bytes, "byte", 0, "long");
  const kib = bytes / 1024;
  if (kib < 1024) return unit(kib, "kilobyte", 1, "short");
  const mib = kib / 1024;
  if (mib < 1024) return unit(mib, "megabyte", 1, "short");
  return unit(mib / 1024, "gigabyte", 2, "short");
}

type TimeUnit = "minute" | "hour" | "day";
/** Rounded for humans: 59 min 50 s is "1 hour", not "60 minutes"; 23 h 45 min is "1 day". */
function roughly(seconds: number): { value: number; unit: TimeUnit } {
  if (seconds < 3600 - 30) return { value: Math.round(seconds / 60), unit: "minute" };
  if (seconds < 86400 - 1800) return { value: Math.round(seconds / 3600), unit: "hour" };
  return { value: Math.round(seconds / 86400), unit: "day" };
}

/** A span of time in one unit: "30 minutes", "1 hour", "23 hours", "1 day". */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return t`less than a minute`;
  const { value, unit: name } = roughly(seconds);
  return cached(
    `${name}|long`,
    (locale) => new Intl.NumberFormat(locale, { style: "unit", unit: name, unitDisplay: "long" }),
  ).format(value);
}

/** Time from now until `iso`, in words: "in 23 hours". */
export function formatTimeUntil(iso: string, now = Date.now()): string {
  const seconds = (Date.parse(iso) - now) / 1000;
  // numeric "auto" only for zero: "now", never "tomorrow" for a span that is 23.5 hours.
  if (seconds <= 0)
    return cached(
      "relative|auto",
      (l) => new Intl.RelativeTimeFormat(l, { numeric: "auto" }),
    ).format(0, "second");
  if (seconds < 60) return t`in less than a minute`;
  const { value, unit: name } = roughly(seconds);
  return cached("relative", (l) => new Intl.RelativeTimeFormat(l, { numeric: "always" })).format(
    value,
    name,
  );
}

/** "12 June 2025 at 14:05" (or the reader's locale's equivalent) in their time zone. */
export function formatDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return t`an unknown date`;
  return cached(
    "date",
    (locale) =>
      new Intl.DateTimeFormat(locale, {
        day: "numeric",
        month: "long",
        year: "numeric",
        hour: "numeric",
        minute: "2-digit",
      }),
  ).format(date);
}

/** "1 view", "3 views" */
export const formatViews = (count: number): string =>
  plural(count, { one: "# view", other: "# views" });

/** "2 views left" */
export const formatViewsLeft = (count: number): string =>
  plural(count, { one: "# view left", other: "# views left" });

/** "12 characters" */
export const formatCharacters = (count: number): string =>
  plural(count, { one: "# character", other: "# characters" });

/** "12 characters left." */
export const formatCharactersLeft = (count: number): string =>
  plural(count, { one: "# character left.", other: "# characters left." });

/** "Expires in 1 day or after 1 view" */
export function describeLimits(expiresIn: string, maxViews: number | null): string {
  if (maxViews === null)
    return t`Expires in ${expiresIn}; it can be viewed any number of times until then`;
  return t`Expires in ${expiresIn} or after ${plural(maxViews, { one: "# view", other: "# views" })}`;
}

export function viewsLabel(maxViews: number | null): string {
  return maxViews === null ? t`Unlimited` : formatViews(maxViews);
}

export function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}
