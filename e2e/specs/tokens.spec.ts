/** SPEC F8 personal API tokens: created in the dashboard, shown once, usable, revoked. */
import { signUp } from "../fixtures/accounts.js";
import { expect, test } from "../fixtures/test.js";

test("API token: create, see it once, use it, revoke it", async ({ page, request }) => {
  await signUp(page.context(), { label: "robot" });
  await page.goto("/app/tokens");
  await expect(page.getByText("You have no API tokens.")).toBeVisible();

  await page.getByLabel("Token name").fill("CI deploy job");
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByRole("heading", { name: "Token “CI deploy job” created" })).toBeFocused();
  await expect(page.getByText("Copy it now: it is shown only this once.")).toBeVisible();
  const token = await page.getByRole("textbox", { name: "Your new API token" }).inputValue();
  expect(token).toMatch(/^hl_\S{20,}$/);
  await page.getByRole("button", { name: "Copy API token" }).click();
  await expect(page.getByRole("button", { name: "Copied", exact: true })).toBeVisible();

  const row = page.getByRole("row").filter({ hasText: "CI deploy job" });
  await expect(row.getByRole("cell", { name: "Never" })).toBeVisible();

  // It works as a bearer token.
  const me = await request.get("/api/v1/auth/me", {
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(me.status()).toBe(200);

  // Once dismissed, it is gone from the page for good.
  await page.getByRole("button", { name: "Done, I copied it" }).click();
  await expect(page.getByRole("textbox", { name: "Your new API token" })).toHaveCount(0);
  await page.reload();
  await expect(page.getByText(token)).toHaveCount(0);
  await expect(row.getByRole("cell", { name: "Never" })).toHaveCount(0);

  // Revoke, after the confirmation.
  await row.getByRole("button", { name: "Revoke CI deploy job" }).click();
  const dialog = page.getByRole("dialog", { name: "Revoke this token?" });
  await dialog.getByRole("button", { name: "Revoke token" }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toHaveCount(0);
  await expect(page.getByText("You have no API tokens.")).toBeVisible();
  // The last row went with the button that had focus: the list's heading takes it.
  await expect(page.getByRole("heading", { name: "Your tokens" })).toBeFocused();

  const after = await request.get("/api/v1/auth/me", {
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(after.status()).toBe(401);
});
