/**
 * Which message catalogs (areas of web/lingui.config.ts) a page needs. The share form ("/")
 * and the reveal page ("/s") are the pages with a bundle budget (web/scripts/check-budget.mjs):
 * each loads "common" and its own area only. Every other page loads on use anyway, so it loads
 * all areas rather than keep a list that could miss one. The share form's options for signed-in
 * members are in an area of their own ("share-signed-in"), which they load on use (useAreas).
 */
import type { Route } from "../lib/route";

export const AREAS = [
  "common",
  "share",
  "view",
  "share-signed-in",
  "manage",
  "requests",
  "request-owner",
  "dashboard",
  "admin",
  "account",
] as const;
export type Area = (typeof AREAS)[number];

export function areasFor(page: Route["page"]): readonly Area[] {
  if (page === "share") return ["common", "share"];
  if (page === "view") return ["common", "view"];
  return AREAS;
}
