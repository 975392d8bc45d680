/**
 * Search and filters in the dashboard's shares list, and "Delete all expired" (issue 25), at 1280
 * and 390 px with axe.
 */
import { seal } from "@hushlink/protocol/client";

import { addMember, buildMemberShare } from "../fixtures/accounts.js";
import { signUpAdmin } from "../fixtures/org-admin.js";
import { openInOrg } from "../fixtures/org-member.js";
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
  // Nothing expired is left: the button goes, and so does its question.
  await expect(page.getByRole("button", { name: "Delete all expired" })).toHaveCount(0);
  await expect(page.getByRole("group", { name: /^Delete every expired secret/ })).toHaveCount(0);
  await checkBothWidths(page, "dashboard-filtered-empty");

  await page.getByLabel("Search secrets by name").fill("");
  await page.getByLabel("Status").selectOption({ label: "All" });
  await expect(page.getByRole("rowheader", { name: "Prod API key" })).toBeVisible();
  await expect(page.getByRole("rowheader", { name: "Staging database" })).toBeVisible();
  await expect(page.getByRole("rowheader", { name: "Old staging token" })).toHaveCount(0);
});

test("Delete all expired is offered only when it has something to delete", async ({
  page,
  server,
  newVisitor,
}) => {
  const admin = await signUpAdmin(page, "Purge Admin");
  const purge = (p: typeof page) => p.getByRole("button", { name: "Delete all expired" });

  // An empty list, then one with only an active share: nothing expired.
  await page.goto("/app");
  await expect(page.getByRole("heading", { name: "No secrets shared yet" })).toBeVisible();
  await expect(purge(page)).toHaveCount(0);
  await buildMemberShare(page.context(), server, { name: "Live key" });
  await page.reload();
  await expect(page.getByRole("rowheader", { name: "Live key" })).toBeVisible();
  await expect(purge(page)).toHaveCount(0);

  // A member's expired share: an admin's purge would delete it, the member's own would too.
  const memberContext = await newVisitor();
  await addMember(page.context(), admin.orgId, memberContext, server);
  const theirs = await buildMemberShare(memberContext, server, {
    name: "Member's old key",
    orgId: admin.orgId,
  });
  expireShare(server, theirs.id);
  await page.reload();
  await expect(page.getByRole("rowheader", { name: "Member's old key" })).toBeVisible();
  await expect(purge(page)).toBeVisible();
  const member = await openInOrg(memberContext, admin.orgId, "/app");
  await expect(member.getByRole("rowheader", { name: "Member's old key" })).toBeVisible();
  await expect(purge(member)).toBeVisible();

  // The admin's own expired share is in the member's list, but the member's purge removes only
  // their own: once theirs is gone, nothing is left for them to delete.
  const mine = await buildMemberShare(page.context(), server, { name: "Admin's old key" });
  expireShare(server, mine.id);
  await purge(member).click();
  await member.getByRole("button", { name: "Yes, delete them" }).click();
  await expect(member.getByText("1 expired secret deleted.")).toBeAttached();
  await expect(member.getByRole("rowheader", { name: "Admin's old key" })).toBeVisible();
  await expect(purge(member)).toHaveCount(0);
  await expect(member.getByRole("group", { name: /^Delete all your expired/ })).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole("rowheader", { name: "Admin's old key" })).toBeVisible();
  await expect(purge(page)).toBeVisible();
});
