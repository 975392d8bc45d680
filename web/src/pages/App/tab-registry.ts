/**
 * The dashboard's tabs, in display order. Adding a tab is one line here: a path under /app, a
 * label and a lazily loaded component from tabs/ that receives `TabProps` (tabs/tab-props.ts; the
 * tabs never import this registry). The shell (AppPage) draws the tab bar from this list, matches
 * the address against `path` and loads only the active tab's chunk.
 */
import type { MessageDescriptor } from "@lingui/core";
import { msg } from "@lingui/core/macro";
import { lazy, type ComponentType, type LazyExoticComponent } from "react";

import type { TabProps } from "./tabs/tab-props";

export interface DashboardTab {
  /** "/app" itself, or "/app/<name>". */
  path: "/app" | `/app/${string}`;
  /** Translated where it is shown (`i18n._`): the registry is read before a language is active. */
  label: MessageDescriptor;
  component: LazyExoticComponent<ComponentType<TabProps>>;
  /** Shown to organization admins only. */
  adminOnly?: boolean;
}

/** `lazy()` for a module's named export, so tab modules need no default export. */
export function lazyTab(
  load: () => Promise<ComponentType<TabProps>>,
): LazyExoticComponent<ComponentType<TabProps>> {
  return lazy(() => load().then((component) => ({ default: component })));
}

export const tabs: DashboardTab[] = [
  {
    path: "/app",
    label: msg`Shares`,
    component: lazyTab(() => import("./tabs/SharesTab").then((m) => m.SharesTab)),
  },
  {
    path: "/app/requests",
    label: msg`Requests`,
    component: lazyTab(() => import("./tabs/RequestsTab").then((m) => m.RequestsTab)),
  },
  {
    path: "/app/members",
    label: msg`Members`,
    component: lazyTab(() => import("./tabs/MembersTab").then((m) => m.MembersTab)),
  },
  // Members see the branding read-only; admins edit it.
  {
    path: "/app/branding",
    label: msg`Branding`,
    component: lazyTab(() => import("./tabs/BrandingTab").then((m) => m.BrandingTab)),
  },
  // The organization's name (admins rename it) and, for admins, deleting it.
  {
    path: "/app/settings",
    label: msg`Settings`,
    component: lazyTab(() => import("./tabs/SettingsTab").then((m) => m.SettingsTab)),
  },
  // How people sign in (single sign-on) and, later, the organization's security rules.
  {
    path: "/app/security",
    label: msg`Security`,
    component: lazyTab(() => import("./tabs/SecurityTab").then((m) => m.SecurityTab)),
    adminOnly: true,
  },
  // Where the organization's events go as signed HTTP deliveries (F18), with each one's log.
  {
    path: "/app/webhooks",
    label: msg`Webhooks`,
    component: lazyTab(() => import("./tabs/WebhooksTab").then((m) => m.WebhooksTab)),
    adminOnly: true,
  },
  // The record of who did what (F18): filtered pages and the NDJSON export.
  {
    path: "/app/audit",
    label: msg`Audit`,
    component: lazyTab(() => import("./tabs/AuditTab").then((m) => m.AuditTab)),
    adminOnly: true,
  },
  {
    path: "/app/tokens",
    label: msg`API tokens`,
    component: lazyTab(() => import("./tabs/TokensTab").then((m) => m.TokensTab)),
  },
  {
    path: "/app/account",
    label: msg`Account`,
    component: lazyTab(() => import("./tabs/AccountTab").then((m) => m.AccountTab)),
  },
];
