/** The words for API token scopes and lifetimes (issue 25), for the form and the list. */
import type { MessageDescriptor } from "@lingui/core";
import { msg } from "@lingui/core/macro";
import type { ApiTokenScope } from "@hushlink/protocol";

/** Message descriptors: translated where they are shown (`i18n._`). */
export const SCOPE_LABEL: Record<ApiTokenScope, MessageDescriptor> = {
  full: msg`Full access`,
  shares: msg`Shares only`,
  read: msg`Read only`,
};

/** What each scope allows, said beside the choice; the server enforces the same (token-scope.ts). */
export const SCOPE_HINT: Record<ApiTokenScope, MessageDescriptor> = {
  full: msg`Everything you can do, except create API tokens.`,
  shares: msg`Create, list, open and delete shares; nothing else (no requests, members or tokens).`,
  read: msg`Look, never change: lists, access logs and settings. Cannot create, open or delete.`,
};

export const SCOPES: ApiTokenScope[] = ["full", "shares", "read"];

const DAY = 24 * 3600;

/** The lifetimes offered, in seconds; null: until revoked. */
export const LIFETIMES: { value: string; label: MessageDescriptor; seconds: number | null }[] = [
  { value: "7d", label: msg`7 days`, seconds: 7 * DAY },
  { value: "30d", label: msg`30 days`, seconds: 30 * DAY },
  { value: "90d", label: msg`90 days`, seconds: 90 * DAY },
  { value: "365d", label: msg`1 year`, seconds: 365 * DAY },
  { value: "never", label: msg`Never (until revoked)`, seconds: null },
];

export const DEFAULT_LIFETIME = "90d";
