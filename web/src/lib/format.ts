/** Words for sizes, durations and dates, so every page says the same thing the same way. */

const number = new Intl.NumberFormat("en");

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${number.format(count)} ${count === 1 ? one : many}`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return plural(bytes, "byte");
  const kib = bytes / 1024;
  if (kib < 1024) return `${number.format(Math.round(kib * 10) / 10)} KB`;
  return `${number.format(Math.round((kib / 1024) * 10) / 10)} MB`;
}

const UNITS = [
  { seconds: 86400, name: "day" },
  { seconds: 3600, name: "hour" },
  { seconds: 60, name: "minute" },
] as const;

/** A span of time in its largest whole unit ("1 day", "30 minutes"), rounded for humans. */
export function formatDuration(seconds: number): string {
  for (const unit of UNITS) {
    if (seconds >= unit.seconds) return plural(Math.round(seconds / unit.seconds), unit.name);
  }
  return "less than a minute";
}

/** Time from now until `iso`, in words: "in 23 hours". */
export function formatTimeUntil(iso: string, now = Date.now()): string {
  const seconds = (Date.parse(iso) - now) / 1000;
  if (seconds <= 0) return "now";
  if (seconds < 60) return "in less than a minute";
  return `in ${formatDuration(seconds)}`;
}

const dateTime = new Intl.DateTimeFormat("en", {
  day: "numeric",
  month: "long",
  year: "numeric",
  hour: "numeric",
  minute: "2-digit",
});

/** "12 June 2025 at 14:05" in the reader's time zone. */
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
