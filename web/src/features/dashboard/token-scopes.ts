/** The words for API token scopes and lifetimes (issue 25), for the form and the list. */
import type { ApiTokenScope } from "@hushlink/protocol";

export const SCOPE_LABEL: Record<ApiTokenScope, string> = {
  full: "Full access",
  shares: "Shares only",
  read: "Read only",
};

/** What each scope allows, said beside the choice; the server enforces the same (token-scope.ts). */
export const SCOPE_HINT: Record<ApiTokenScope, string> = {
  full: "Everything you can do, except create API tokens.",
  shares: "Create, list, open and delete shares; nothing else (no requests, members or tokens).",
  read: "Look, never change: lists, access logs and settings. Cannot create, open or delete.",
};

export const SCOPES: ApiTokenScope[] = ["full", "shares", "read"];

const DAY = 24 * 3600;

/** The lifetimes offered, in seconds; null: until revoked. */
export const LIFETIMES: { value: string; label: string; seconds: number | null }[] = [
  { value: "7d", label: "7 days", seconds: 7 * DAY },
  { value: "30d", label: "30 days", seconds: 30 * DAY },
  { value: "90d", label: "90 days", seconds: 90 * DAY },
  { value: "365d", label: "1 year", seconds: 365 * DAY },
  { value: "never", label: "Never (until revoked)", seconds: null },
];

export const DEFAULT_LIFETIME = "90d";
