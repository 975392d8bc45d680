/**
 * The Requests tab names each request by its `ref` in the row (session 24), the 22-character
 * reference that audit entries and webhook payloads carry instead of the request's id, so an
 * admin can match an entry of the log to its request. At 1280 and 390 px, axe-clean.
 */
import { callApi, signUp } from "../fixtures/accounts.js";
import { expectAxeClean } from "../fixtures/checks.js";
import { screenshotAs } from "../fixtures/org-admin.js";
import { expect, test } from "../fixtures/test.js";

test("a request's row shows its ref, the one its audit entry names", async ({ page }) => {
  await signUp(page.context(), { label: "request-ref", name: "Dana Scully" });
  const created = await callApi<{ id: string; ref: string }>(
    page.context(),
    "POST",
    "/api/v1/requests",
    { name: "Bastion key", expiresIn: 86400, access: "anyone" },
  );
  expect(created.status).toBe(201);
  const { id, ref } = created.body;
  expect(ref).toMatch(/^[A-Za-z0-9_-]{22}$/);

  await page.goto("/app/requests");
  const row = page.locator(`tr[data-request-id="${id}"]`);
  await expect(row.getByTestId("request-ref")).toHaveText(`Reference ${ref}`);
  await expect(row.getByRole("rowheader")).toContainText("Bastion key");
  await expectAxeClean(page, "/app/requests (a request's ref)");
  await screenshotAs(page, "requests-ref");
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(row.getByTestId("request-ref")).toBeVisible();
  await expectAxeClean(page, "/app/requests at 390 px (a request's ref)");
  await screenshotAs(page, "requests-ref");
});
