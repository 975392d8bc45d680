/**
 * API tokens with a scope and an expiry (issue 25): chosen in the API tokens tab, shown once with
 * both, listed with both, the scope enforced by the server, and an expired token marked Expired
 * and refused like an unknown one. Screenshots and axe at 1280 and 390 px.
 */
import { signUp } from "../fixtures/accounts.js";
import { updateOneRow } from "../fixtures/database.js";
import { expect, test, type ServerInfo } from "../fixtures/test.js";
import { checkBothWidths } from "../fixtures/widths.js";

/** Moves a token's expiry into the past, as time would; the server compares on every call. */
function expireToken(server: ServerInfo, name: string): void {
  const sql = "UPDATE api_tokens SET expires_at = ? WHERE name = ?";
  updateOneRow(server, sql, [Date.now() - 60_000, name], `no token ${name} to expire`);
}

test("API token scope and expiry: chosen, shown, enforced, and expired", async ({
  page,
  request,
  server,
}) => {
  await signUp(page.context(), { label: "scoped" });
  await page.goto("/app/tokens");
  await expect(page.getByText("You have no API tokens.")).toBeVisible();

  // Defaults: full access, 90 days; the hint says what the chosen scope allows.
  const scope = page.getByLabel("Scope");
  await expect(scope).toHaveValue("full");
  await expect(page.getByLabel("Expires after")).toHaveValue("90d");
  await expect(page.getByText("Full access: Everything you can do, except create")).toBeVisible();
  await scope.selectOption({ label: "Shares only" });
  await expect(scope).toHaveAccessibleDescription(/Shares only: Create, list, open and delete/);
  await page.getByLabel("Expires after").selectOption({ label: "7 days" });
  await page.getByLabel("Token name").fill("Deploy bot");
  await checkBothWidths(page, "tokens-form");

  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByRole("heading", { name: "Token “Deploy bot” created" })).toBeFocused();
  await expect(page.getByText(/^Shares only, expires \d+ \w+/)).toBeVisible();
  const token = await page.getByRole("textbox", { name: "Your new API token" }).inputValue();
  await checkBothWidths(page, "tokens-created");
  await page.getByRole("button", { name: "Done, I copied it" }).click();

  // A second one that never expires, read only.
  await page.getByLabel("Token name").fill("Audit reader");
  await page.getByLabel("Scope").selectOption({ label: "Read only" });
  await page.getByLabel("Expires after").selectOption({ label: "Never (until revoked)" });
  await page.getByRole("button", { name: "Create token" }).click();
  await page.getByRole("button", { name: "Done, I copied it" }).click();

  const deploy = page.getByRole("row").filter({ hasText: "Deploy bot" });
  await expect(deploy.getByRole("cell", { name: "Shares only" })).toBeVisible();
  const in7Days = new Date(Date.now() + 7 * 24 * 3600 * 1000);
  await expect(deploy.locator('td[data-label="Expires"] time')).toHaveAttribute(
    "datetime",
    new RegExp(`^${in7Days.toISOString().slice(0, 10)}`),
  );
  const audit = page.getByRole("row").filter({ hasText: "Audit reader" });
  await expect(audit.getByRole("cell", { name: "Read only" })).toBeVisible();
  await expect(audit.locator('td[data-label="Expires"]')).toHaveText("Never");

  // The server enforces the scope: shares yes, requests no.
  const bearer = { Authorization: `Bearer ${token}` };
  expect((await request.get("/api/v1/shares", { headers: bearer })).status()).toBe(200);
  const refused = await request.get("/api/v1/requests", { headers: bearer });
  expect(refused.status()).toBe(403);
  expect(await refused.json()).toMatchObject({ error: { code: "token_scope" } });

  // Past its expiry: marked in the list, refused as an unknown token.
  expireToken(server, "Deploy bot");
  await page.reload();
  await expect(deploy.locator('td[data-label="Expires"]')).toContainText("Expired");
  await expect(audit.locator('td[data-label="Expires"]')).not.toContainText("Expired");
  const expired = await request.get("/api/v1/shares", { headers: bearer });
  expect(expired.status()).toBe(401);
  expect(await expired.json()).toMatchObject({ error: { code: "invalid_token" } });
  await checkBothWidths(page, "tokens-list");
});
