/**
 * The dashboard's tabs, in display order. Adding a tab is one line here: a path under /app, a
 * label and a lazily loaded component from tabs/ that receives `TabProps` (tabs/tab-props.ts; the
 * tabs never import this registry). The shell (AppPage) draws the tab bar from this list, matches
 * the address against `path` and loads only the active tab's chunk.
 */
import { lazy, type ComponentType, type LazyExoticComponent } from "react";

import type { TabProps } from "./tabs/tab-props";

export interface DashboardTab {
  /** "/app" itself, or "/app/<name>". */
  path: "/app" | `/app/${string}`;
  label: string;
  component: LazyExoticComponent<ComponentType<TabProps>>;
  /** Shown to organization admins only. */
  adminOnly?: boolean;
}

/** `lazy()` for a module's named export, so tab modules need no default export. */
export function lazyTab<K extends string>(
  load: () => Promise<Record<K, ComponentType<TabProps>>>,
  name: K,
): LazyExoticComponent<ComponentType<TabProps>> {
  return lazy(() => load().then((module) => ({ default: module[name] })));
}

export const tabs: DashboardTab[] = [
  {
    path: "/app",
    label: "Shares",
    component: lazyTab(() => import("./tabs/SharesTab"), "SharesTab"),
  },
  {
    path: "/app/requests",
    label: "Requests",
    component: lazyTab(() => import("./tabs/RequestsTab"), "RequestsTab"),
  },
  {
    path: "/app/members",
    label: "Members",
    component: lazyTab(() => import("./tabs/MembersTab"), "MembersTab"),
  },
  // Members see the branding read-only; admins edit it.
  {
    path: "/app/branding",
    label: "Branding",
    component: lazyTab(() => import("./tabs/BrandingTab"), "BrandingTab"),
  },
  // The organization's name (admins rename it) and, for admins, deleting it.
  {
    path: "/app/settings",
    label: "Settings",
    component: lazyTab(() => import("./tabs/SettingsTab"), "SettingsTab"),
  },
  // How people sign in (single sign-on) and, later, the organization's security rules.
  {
    path: "/app/security",
    label: "Security",
    component: lazyTab(() => import("./tabs/SecurityTab"), "SecurityTab"),
    adminOnly: true,
  },
  // Where the organization's events go as signed HTTP deliveries (F18), with each one's log.
  {
    path: "/app/webhooks",
    label: "Webhooks",
    component: lazyTab(() => import("./tabs/WebhooksTab"), "WebhooksTab"),
    adminOnly: true,
  },
  // The record of who did what (F18): filtered pages and the NDJSON export.
  {
    path: "/app/audit",
    label: "Audit",
    component: lazyTab(() => import("./tabs/AuditTab"), "AuditTab"),
    adminOnly: true,
  },
  {
    path: "/app/tokens",
    label: "API tokens",
    component: lazyTab(() => import("./tabs/TokensTab"), "TokensTab"),
  },
  {
    path: "/app/account",
    label: "Account",
    component: lazyTab(() => import("./tabs/AccountTab"), "AccountTab"),
  },
];
