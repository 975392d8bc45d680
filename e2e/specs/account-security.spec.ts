/**
 * Issue 15 in the pages: the sign-in page says plainly that sign-in is paused and until when
 * (the server's back-off after wrong passwords), and the change-password form revokes the
 * account's API tokens unless the user ticks "Keep my API tokens working".
 */
import { callApi, PASSWORD, signUp } from "../fixtures/accounts.js";
import { expectAccessible } from "../fixtures/checks.js";
import { PHONE, screenshotAs } from "../fixtures/org-admin.js";
import { expect, test } from "../fixtures/test.js";

test("sign-in paused after wrong passwords: the page says until when, then the right one works", async ({
  page,
  newVisitor,
}) => {
  const account = await signUp(await newVisitor(), { label: "paused" });
  const guesser = await newVisitor();
  for (let i = 0; i < 6; i++) {
    const wrong = await callApi(guesser, "POST", "/api/v1/auth/login", {
      email: account.email,
      password: `Wrong-Guess-${i}-xyz`,
    });
    expect(wrong.status).toBe(401);
  }

  await page.goto("/login");
  await page.getByLabel("E-mail address").fill(account.email);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  const alert = page.getByRole("alert");
  await expect(alert).toContainText("signing in to this account is paused until");
  await expect(alert).toContainText("reset your password");
  await expect(page).toHaveURL(/\/login/);
  await expectAccessible(page, "sign-in paused");
  await screenshotAs(page, "login-paused");
  await page.setViewportSize(PHONE.viewport);
  await screenshotAs(page, "login-paused");
});

test("change password: API tokens are revoked unless kept, and the form says which", async ({
  page,
}) => {
  await signUp(page.context(), { label: "tokens" });
  const kept = await callApi<{ token: string }>(page.context(), "POST", "/api/v1/tokens", {
    name: "deploy",
  });
  expect(kept.status).toBe(201);
  const bearerMe = async (token: string) =>
    (
      await page.request.get("/api/v1/auth/me", {
        headers: { authorization: `Bearer ${token}` },
      })
    ).status();

  await page.goto("/app/account");
  const form = page.getByRole("region", { name: "Change your password" });
  const keep = form.getByLabel("Keep my API tokens working");
  await expect(keep).not.toBeChecked();
  await expect(form).toContainText("your API tokens stop working unless you keep them");

  // Kept: the token still works.
  await keep.check();
  await form.getByLabel("Current password").fill(PASSWORD);
  await form.getByLabel("New password", { exact: true }).fill("Juniper-Compass-Meadow-31");
  await form.getByLabel("New password, again").fill("Juniper-Compass-Meadow-31");
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(form.getByRole("status")).toContainText("Your API tokens still work.");
  expect(await bearerMe(kept.body.token)).toBe(200);
  await expectAccessible(page, "password changed, tokens kept");
  await screenshotAs(page, "account-change-password-kept-tokens");

  // Not kept (the default again after unticking): revoked.
  await keep.uncheck();
  await form.getByLabel("Current password").fill("Juniper-Compass-Meadow-31");
  await form.getByLabel("New password", { exact: true }).fill("Walnut-Lantern-Orchard-74");
  await form.getByLabel("New password, again").fill("Walnut-Lantern-Orchard-74");
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(form.getByRole("status")).toContainText("Your API tokens were revoked");
  expect(await bearerMe(kept.body.token)).toBe(401);
  await page.setViewportSize(PHONE.viewport);
  await screenshotAs(page, "account-change-password-revoked-tokens");
});
