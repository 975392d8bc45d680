/** Compact words for the dashboard's tables. */
import type { MessageDescriptor } from "@lingui/core";
import { msg, t } from "@lingui/core/macro";
import type { ShareStatus } from "@hushlink/protocol";

import { activeLocale } from "../../i18n/i18n";
import { SOURCE_LOCALE } from "../../i18n/locales";

const formatters = new Map<string, Intl.DateTimeFormat>();
/** One formatter per language and shape (they are costly to make). */
function shortDate(withYear: boolean): Intl.DateTimeFormat {
  const locale = activeLocale();
  const key = `${locale}|${withYear}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    // English pages keep the browser's own English (en-GB says "3 Dec", en-US "Dec 3"), as before
    // the pages were translated; other languages format in the page's language.
    formatter = new Intl.DateTimeFormat(locale === SOURCE_LOCALE ? undefined : locale, {
      day: "numeric",
      month: "short",
      ...(withYear ? { year: "numeric" } : {}),
      hour: "numeric",
      minute: "2-digit",
    });
    formatters.set(key, formatter);
  }
  return formatter;
}

/** "26 Nov, 14:05" (with the year when it is not this year), in the page's language and the reader's zone. */
export function formatShortDate(iso: string, now = new Date()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "—";
  return shortDate(date.getFullYear() !== now.getFullYear()).format(date);
}

/** Translated where they are shown (`i18n._`), in the page's language of that moment. */
export const STATUS_LABEL: Record<ShareStatus, MessageDescriptor> = {
  active: msg`Active`,
  viewed: msg`Viewed`,
  expired: msg`Expired`,
  deleted: msg`Deleted`,
  locked: msg`Locked`,
  revoked: msg`Revoked`,
};

export const STATUS_TONE: Record<ShareStatus, "success" | "info" | "muted" | "danger"> = {
  active: "success",
  viewed: "info",
  expired: "muted",
  deleted: "muted",
  locked: "danger",
  revoked: "muted",
};

/** "1 / 1", "3 / 10", "2 / unlimited" */
export function viewsUsed(viewCount: number, maxViews: number | null): string {
  return maxViews === null ? t`${viewCount} / unlimited` : `${viewCount} / ${maxViews}`;
}

export const EVENT_LABEL: Record<string, MessageDescriptor> = {
  created: msg`Created`,
  revealed: msg`Revealed`,
  wrong_password: msg`Wrong password`,
  wrong_email_code: msg`Wrong e-mail code`,
  revoked: msg`Revoked`,
  deleted: msg`Deleted`,
  expired: msg`Expired`,
  locked: msg`Locked`,
};
