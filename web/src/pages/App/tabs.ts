/**
 * The dashboard's tabs, in display order. Adding a tab is one line here: a path under /app, a
 * label and a lazily loaded component that receives `TabProps`. The shell (AppPage) draws the tab
 * bar from this list, matches the address against `path` and loads only the active tab's chunk.
 */
import { lazy, type ComponentType, type LazyExoticComponent } from "react";

import type { Me, OrgMembership } from "../../lib/session";

export interface TabProps {
  /** Who is signed in. */
  me: Me;
  /** The organization the dashboard shows (the user picks it when they belong to several). */
  org: OrgMembership;
  /** Reloads `me` (after verifying the address, leaving an organization, …). */
  refreshMe: () => Promise<void>;
}

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
  { path: "/app", label: "Shares", component: lazyTab(() => import("./SharesTab"), "SharesTab") },
  {
    path: "/app/requests",
    label: "Requests",
    component: lazyTab(
      () => import("../../features/requests/components/RequestsTab"),
      "RequestsTab",
    ),
  },
  {
    path: "/app/members",
    label: "Members",
    component: lazyTab(() => import("./MembersTab"), "MembersTab"),
  },
  // Members see the branding read-only; admins edit it.
  {
    path: "/app/branding",
    label: "Branding",
    component: lazyTab(
      () => import("../../features/branding/components/BrandingTab"),
      "BrandingTab",
    ),
  },
  {
    path: "/app/tokens",
    label: "API tokens",
    component: lazyTab(() => import("./TokensTab"), "TokensTab"),
  },
  {
    path: "/app/account",
    label: "Account",
    component: lazyTab(() => import("./AccountTab"), "AccountTab"),
  },
];
