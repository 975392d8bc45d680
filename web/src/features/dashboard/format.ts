/** Compact words for the dashboard's tables. */
import type { ShareStatus } from "@hushlink/protocol";

const withYear = new Intl.DateTimeFormat(undefined, {
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "numeric",
  minute: "2-digit",
});
const thisYear = new Intl.DateTimeFormat(undefined, {
  day: "numeric",
  month: "short",
  hour: "numeric",
  minute: "2-digit",
});

/** "26 Nov, 14:05" (with the year when it is not this year), in the reader's locale and zone. */
export function formatShortDate(iso: string, now = new Date()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "—";
  return (date.getFullYear() === now.getFullYear() ? thisYear : withYear).format(date);
}

export const STATUS_LABEL: Record<ShareStatus, string> = {
  active: "Active",
  viewed: "Viewed",
  expired: "Expired",
  deleted: "Deleted",
  locked: "Locked",
  revoked: "Revoked",
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
  return `${viewCount} / ${maxViews === null ? "unlimited" : maxViews}`;
}

export const EVENT_LABEL: Record<string, string> = {
  created: "Created",
  revealed: "Revealed",
  wrong_password: "Wrong password",
  wrong_email_code: "Wrong e-mail code",
  revoked: "Revoked",
  deleted: "Deleted",
  expired: "Expired",
  locked: "Locked",
};
