/**
 * A signed-in member's language arrives with the session, after "/" has rendered in the
 * browser's: the share form's options for members (their own "share-signed-in" catalog) and
 * the account's language load at the same moment. Black-box finding: the options showed
 * message ids ("6uoPAy") in place of their words until the account's catalog arrived, and a
 * page could stay in the browser's language for good, depending on which catalog came first.
 */

import { readFileSync } from "node:fs";
import path from "node:path";

import { callApi, signUp } from "../fixtures/accounts.js";
import { REPO_ROOT } from "../fixtures/paths.js";
import { expect, test } from "../fixtures/test.js";

/** The built chunks of one language's catalogs (web/lingui-catalogs.ts names them so). */
function catalogChunks(locale: string): string[] {
  const manifest = JSON.parse(
    readFileSync(path.join(REPO_ROOT, "web/dist/.vite/manifest.json"), "utf8"),
  ) as Record<string, { file: string }>;
  return Object.entries(manifest)
    .filter(([source]) => source.startsWith(`virtual:lingui-catalog/${locale}/`))
    .map(([, chunk]) => `/${chunk.file}`);
}

test("a member whose account speaks German never sees message ids on the share form", async ({
  context,
  page,
}) => {
  await signUp(context, { label: "locale-race" });
  expect((await callApi(context, "PATCH", "/api/v1/auth/me", { locale: "de" })).status).toBe(200);
  // Every text the options' legend ever shows, from the first paint on.
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { legends: string[] }).legends = seen;
    new MutationObserver(() => {
      const legend = document.querySelector(".options__legend")?.textContent;
      if (legend && seen.at(-1) !== legend) seen.push(legend);
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
  // The account's catalogs arrive late, so the members' options mount while they are on their way.
  const slow = new Set(catalogChunks("de"));
  expect(slow.size).toBeGreaterThan(0);
  await page.route(
    (url) => slow.has(url.pathname),
    async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await route.continue();
    },
  );
  await page.goto("/");
  await expect(page.locator("html")).toHaveAttribute("lang", "de");
  await expect(page.locator(".options__legend")).toHaveText("Zugriff und Benachrichtigungen");
  const legends = await page.evaluate(() => (window as unknown as { legends: string[] }).legends);
  expect(legends.filter((text) => text !== "Access and notifications")).toEqual([
    "Zugriff und Benachrichtigungen",
  ]);
});
