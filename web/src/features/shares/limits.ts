/**
 * The share's limits as the form holds them: a preset or a custom expiry (a local date and time)
 * and a preset or custom number of views, turned into the API's `expiresIn` seconds and
 * `maxViews` (SPEC F1), checked against the server's limits before anything is sent.
 */
import { t } from "@lingui/core/macro";
import { MIN_EXPIRES_IN } from "@hushlink/protocol/client";

import { formatDate } from "../../lib/format";

export const CUSTOM = "custom";
export const UNLIMITED = "unlimited";

export interface LimitsValue {
  /** Seconds of a preset, or CUSTOM. */
  expiry: number | typeof CUSTOM;
  /** `datetime-local` text, used when expiry is CUSTOM. */
  expiresAt: string;
  /** A preset count as text, UNLIMITED, or CUSTOM. */
  views: string;
  /** The typed count, used when views is CUSTOM. */
  customViews: string;
}

export type LimitsResult =
  | { ok: true; expiresIn: number; maxViews: number | null }
  | { ok: false; field: "expiresAt" | "customViews"; message: string };

const pad = (n: number) => String(n).padStart(2, "0");

/** A Date as the local "YYYY-MM-DDTHH:MM" that `<input type="datetime-local">` holds. */
export function toLocalInput(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The first custom expiry offered: tomorrow at the next full hour (or the limit, if sooner). */
export function defaultCustomExpiry(now: number, maxExpiresIn: number): string {
  const target = new Date(Math.min(now + 86_400_000, now + maxExpiresIn * 1000));
  if (target.getTime() - now > 3_600_000) target.setMinutes(0, 0, 0);
  return toLocalInput(target);
}

export function resolveLimits(
  value: LimitsValue,
  limits: { maxExpiresIn: number; maxViews: number },
  now: number,
): LimitsResult {
  let expiresIn: number;
  if (value.expiry === CUSTOM) {
    const at = value.expiresAt ? new Date(value.expiresAt).getTime() : NaN;
    if (Number.isNaN(at)) {
      return { ok: false, field: "expiresAt", message: t`Enter the date and time it expires.` };
    }
    expiresIn = Math.floor((at - now) / 1000);
    if (expiresIn < MIN_EXPIRES_IN) {
      return {
        ok: false,
        field: "expiresAt",
        message: t`Pick a time at least a minute from now.`,
      };
    }
    if (expiresIn > limits.maxExpiresIn) {
      // Whole minutes: the picker cannot express seconds, so at the very limit it rounds down.
      if (expiresIn - limits.maxExpiresIn < 60) expiresIn = limits.maxExpiresIn;
      else {
        const latest = formatDate(new Date(now + limits.maxExpiresIn * 1000).toISOString());
        return {
          ok: false,
          field: "expiresAt",
          message: t`Pick a time no later than ${latest}.`,
        };
      }
    }
  } else {
    expiresIn = value.expiry;
  }

  let maxViews: number | null;
  if (value.views === CUSTOM) {
    const count = Number(value.customViews);
    if (value.customViews.trim() === "" || !Number.isInteger(count) || count < 1) {
      return {
        ok: false,
        field: "customViews",
        message: t`Enter a whole number of views, 1 or more.`,
      };
    }
    if (count > limits.maxViews) {
      const most = limits.maxViews;
      return {
        ok: false,
        field: "customViews",
        message: t`At most ${most} views; choose “Unlimited” for more.`,
      };
    }
    maxViews = count;
  } else {
    maxViews = value.views === UNLIMITED ? null : Number(value.views);
  }
  return { ok: true, expiresIn, maxViews };
}
