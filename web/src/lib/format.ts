/** Words for sizes, durations and dates, so every page says the same thing the same way. */

// Numbers and dates follow the reader's locale; the words around them are English for now.
const number = new Intl.NumberFormat();

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${number.format(count)} ${count === 1 ? one : many}`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return plural(bytes, "byte");
  const kib = bytes / 1024;
  if (kib < 1024) return `${number.format(Math.round(kib * 10) / 10)} KB`;
  const mib = kib / 1024;
  if (mib < 1024) return `${number.format(Math.round(mib * 10) / 10)} MB`;
  return `${number.format(Math.round((mib / 1024) * 100) / 100)} GB`;
}

/**
 * A span of time in one unit, rounded for humans: "30 minutes", "1 hour" (not "60 minutes" for
 * 59 min 50 s), "23 hours", "1 day".
 */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return "less than a minute";
  if (seconds < 3600 - 30) return plural(Math.round(seconds / 60), "minute");
  if (seconds < 86400 - 1800) return plural(Math.round(seconds / 3600), "hour");
  return plural(Math.round(seconds / 86400), "day");
}

/** Time from now until `iso`, in words: "in 23 hours". */
export function formatTimeUntil(iso: string, now = Date.now()): string {
  const seconds = (Date.parse(iso) - now) / 1000;
  if (seconds <= 0) return "now";
  if (seconds < 60) return "in less than a minute";
  return `in ${formatDuration(seconds)}`;
}

const dateTime = new Intl.DateTimeFormat(undefined, {
  day: "numeric",
  month: "long",
  year: "numeric",
  hour: "numeric",
  minute: "2-digit",
});

/** "12 June 2025 at 14:05" (or the reader's locale's equivalent) in their time zone. */
export function formatDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "an unknown date";
  return dateTime.format(date);
}

/** "Expires in 1 day or after 1 view" */
export function describeLimits(expiresIn: string, maxViews: number | null): string {
  if (maxViews === null)
    return `Expires in ${expiresIn}; it can be viewed any number of times until then`;
  return `Expires in ${expiresIn} or after ${plural(maxViews, "view")}`;
}

export function viewsLabel(maxViews: number | null): string {
  return maxViews === null ? "Unlimited" : plural(maxViews, "view");
}

export function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}
