/**
 * Issue 25, defect 3: the shares table fits its box at desktop widths (the Delete button whole,
 * opening Delete scrolls nothing sideways), and on a phone every dashboard tab can be reached
 * without guessing that the bar scrolls.
 */
import type { BrowserContext, Page } from "@playwright/test";

import { addMember, buildMemberShare, orgIdOf, signUp } from "../fixtures/accounts.js";
import { expectAccessible, screenshot } from "../fixtures/checks.js";
import { expect, test, type ServerInfo } from "../fixtures/test.js";

/**
 * An admin whose list has what makes rows wide: a long name, a share by another member ("by …"),
 * e-mail recipients with their delivery state, organization-only access.
 */
async function signedInWithShares(
  page: Page,
  server: ServerInfo,
  newVisitor: () => Promise<BrowserContext>,
) {
  const account = await signUp(page.context(), { label: "layout", name: "Layout Tester" });
  const memberContext = await newVisitor();
  const member = await addMember(page.context(), orgIdOf(account), memberContext, server);
  await buildMemberShare(memberContext, server, {
    name: "Staging",
    access: "organization",
    orgId: orgIdOf(account),
  });
  await buildMemberShare(page.context(), server, {
    name: "Production database password for the billing service",
    maxViews: 10,
    recipients: [member.email],
  });
  await buildMemberShare(page.context(), server, {});
  return account;
}

for (const width of [1024, 1280, 1440]) {
  test(`the shares table fits its box at ${width} px and Delete scrolls nothing`, async ({
    page,
    server,
    newVisitor,
  }, testInfo) => {
    await page.setViewportSize({ width, height: 900 });
    await signedInWithShares(page, server, newVisitor);
    await page.goto("/app");
    const table = page.getByRole("table", { name: /Shared secrets of/ });
    await expect(table.getByRole("row")).toHaveCount(4);
    const wrap = page.locator(".data-table-wrap");
    const box = await wrap.boundingBox();
    if (!box) throw new Error("no table box");

    await expect(table.getByText("E-mailed to").first()).toBeVisible();
    // The rows' own Delete buttons (the toolbar also has "Delete all expired").
    const deletes = table.getByRole("button", { name: /^Delete / });
    await expect(deletes).toHaveCount(3);
    for (const button of await deletes.all()) {
      const b = await button.boundingBox();
      if (!b) throw new Error("no Delete box");
      expect(b.x, "Delete starts inside the table's box").toBeGreaterThanOrEqual(box.x);
      expect(b.x + b.width, "Delete ends inside the table's box").toBeLessThanOrEqual(
        box.x + box.width,
      );
    }
    const fits = await wrap.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
    expect(fits.scroll, "the table is no wider than its box").toBeLessThanOrEqual(fits.client);
    await screenshot(page, testInfo, `dashboard-shares-${width}`);

    await deletes.first().click();
    await expect(page.getByRole("dialog", { name: "Delete this secret?" })).toBeVisible();
    expect(await wrap.evaluate((el) => el.scrollLeft), "the table did not scroll sideways").toBe(0);
    expect(await page.evaluate(() => window.scrollX)).toBe(0);
  });
}

test("on a phone every dashboard tab is in view, without sideways scrolling", async ({
  page,
  server,
  newVisitor,
}, testInfo) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signedInWithShares(page, server, newVisitor);
  await page.goto("/app");
  const nav = page.getByRole("navigation", { name: "Dashboard" });
  for (const name of [
    "Shares",
    "Requests",
    "Members",
    "Branding",
    "Settings",
    "Security",
    "Webhooks",
    "Audit",
    "API tokens",
    "Account",
  ]) {
    const tab = nav.getByRole("link", { name, exact: true });
    const b = await tab.boundingBox();
    if (!b) throw new Error(`no box for ${name}`);
    expect(b.x, `${name} starts on screen`).toBeGreaterThanOrEqual(0);
    expect(b.x + b.width, `${name} ends on screen`).toBeLessThanOrEqual(390);
  }
  const bar = await nav.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
  expect(bar.scroll).toBeLessThanOrEqual(bar.client);
  await nav.getByRole("link", { name: "Account", exact: true }).click();
  await expect(page).toHaveURL(/\/app\/account$/);
  await expectAccessible(page, "/app/account at 390 px");
  await screenshot(page, testInfo, "dashboard-tabs-390");
});
