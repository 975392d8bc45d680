/**
 * Search and filters in the dashboard's shares list, and "Delete all expired" (issue 25), at 1280
 * and 390 px with axe.
 */
import { seal } from "@hushlink/protocol/client";

import { signUpAdmin } from "../fixtures/org-admin.js";
import { expireShare } from "../fixtures/shares.js";
import { expect, test } from "../fixtures/test.js";
import { checkBothWidths } from "../fixtures/widths.js";

test("search by name, filter by status, delete all expired", async ({ page, server }) => {
  await signUpAdmin(page, "Filter Admin");
  const cookie = (await page.context().cookies()).find((c) => c.name === "hl_csrf");
  const headers = { "X-CSRF-Token": decodeURIComponent(cookie!.value) };
  const ids: Record<string, string> = {};
  for (const name of ["Staging database", "Prod API key", "Old staging token"]) {
    const sealed = await seal(`value of ${name}`);
    const res = await page.request.post("/api/v1/shares", {
      data: { ...sealed.body, expiresIn: 3600, maxViews: 1, name },
      headers,
    });
    expect(res.status()).toBe(201);
    ids[name] = sealed.body.id;
  }
  expireShare(server, ids["Old staging token"]!);

  await page.goto("/app");
  await expect(page.getByRole("rowheader", { name: "Prod API key" })).toBeVisible();

  await page.getByLabel("Search secrets by name").fill("STAGING");
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await expect(page.getByRole("rowheader", { name: "Prod API key" })).toHaveCount(0);
  await expect(page.getByRole("rowheader", { name: "Staging database" })).toBeVisible();
  await expect(page.getByRole("rowheader", { name: "Old staging token" })).toBeVisible();

  await page.getByLabel("Status").selectOption({ label: "Expired" });
  await expect(page.getByRole("rowheader", { name: "Staging database" })).toHaveCount(0);
  await expect(page.getByRole("rowheader", { name: "Old staging token" })).toBeVisible();
  await checkBothWidths(page, "dashboard-filtered");

  await page.getByRole("button", { name: "Delete all expired" }).click();
  await page.getByRole("button", { name: "Yes, delete them" }).click();
  await expect(page.getByText("1 expired secret deleted.")).toBeAttached();
  await expect(page.getByRole("heading", { name: "No secrets match" })).toBeVisible();
  await checkBothWidths(page, "dashboard-filtered-empty");

  await page.getByLabel("Search secrets by name").fill("");
  await page.getByLabel("Status").selectOption({ label: "All" });
  await expect(page.getByRole("rowheader", { name: "Prod API key" })).toBeVisible();
  await expect(page.getByRole("rowheader", { name: "Staging database" })).toBeVisible();
  await expect(page.getByRole("rowheader", { name: "Old staging token" })).toHaveCount(0);
});
