/**
 * Changing the password while signed in (SPEC F8, the Account tab): the current password is
 * checked, this browser stays signed in, another device is signed out, a notice without a link
 * arrives through the real SMTP server, and only the new password signs in afterwards.
 */
import { callApi, PASSWORD, signUp } from "../fixtures/accounts.js";
import { expectAccessible } from "../fixtures/checks.js";
import { waitForMail } from "../fixtures/mail.js";
import { PHONE, screenshotAs } from "../fixtures/org-admin.js";
import { expect, test } from "../fixtures/test.js";

const NEW_PASSWORD = "Saffron-Windmill-Harbour-58";

test("change password: a wrong current one is refused; changed, other devices are out and the new one signs in", async ({
  page,
  server,
  newVisitor,
}) => {
  const account = await signUp(page.context(), { label: "rotator", name: "Jeffrey Spender" });
  // The same account signed in on another device.
  const phone = await newVisitor();
  const phoneSignIn = await callApi(phone, "POST", "/api/v1/auth/login", {
    email: account.email,
    password: PASSWORD,
  });
  expect(phoneSignIn.status).toBe(200);

  await page.goto("/app/account");
  const form = page.getByRole("region", { name: "Change your password" });
  await expect(form).toBeVisible();
  await expectAccessible(page, "account tab");
  await screenshotAs(page, "account-change-password");
  await page.setViewportSize(PHONE.viewport);
  await screenshotAs(page, "account-change-password");
  await page.setViewportSize({ width: 1280, height: 800 });

  // Checked in the page first: the two new passwords must match.
  await form.getByLabel("Current password").fill(PASSWORD);
  await form.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
  await form.getByLabel("New password, again").fill(`${NEW_PASSWORD}x`);
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(form.getByRole("alert")).toHaveText("The two new passwords are not the same.");
  await expect(form.getByLabel("New password, again")).toBeFocused();

  // A wrong current password: refused by the server, the field emptied and focused.
  await form.getByLabel("Current password").fill("Not-The-Password-99");
  await form.getByLabel("New password, again").fill(NEW_PASSWORD);
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(form.getByRole("alert")).toHaveText("The current password is wrong.");
  await expect(form.getByLabel("Current password")).toBeFocused();
  await expect(form.getByLabel("Current password")).toHaveValue("");
  await expectAccessible(page, "account tab, wrong current password");
  await screenshotAs(page, "account-change-password-wrong");
  expect((await callApi(phone, "GET", "/api/v1/auth/me")).status).toBe(200);

  // The right one: changed.
  await form.getByLabel("Current password").fill(PASSWORD);
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(form.getByRole("status")).toContainText("Your password was changed.");
  await expect(form.getByLabel("New password", { exact: true })).toHaveValue("");
  await expectAccessible(page, "account tab, password changed");
  await screenshotAs(page, "account-change-password-done");
  await page.setViewportSize(PHONE.viewport);
  await screenshotAs(page, "account-change-password-done");
  await page.setViewportSize({ width: 1280, height: 800 });

  // This browser is still signed in; the other device is not.
  await page.reload();
  await expect(page.getByRole("region", { name: "Change your password" })).toBeVisible();
  expect((await callApi(phone, "GET", "/api/v1/auth/me")).status).toBe(401);

  // The notice arrived, with no link in it.
  const mail = await waitForMail(account.email, /Your Hushlink password was changed/);
  expect(mail.text).toContain("was changed on");
  expect(mail.text).not.toMatch(/https?:/);
  expect(mail.html).not.toMatch(/<a\b|href=/i);

  // Signed out, the old password no longer works and the new one does.
  await page.getByRole("button", { name: "Sign out" }).last().click();
  await expect(page).toHaveURL(`${server.url}/`);
  await page.goto("/login");
  await page.getByLabel("E-mail address").fill(account.email);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toHaveText("The e-mail address or the password is wrong.");
  await page.getByLabel("Password", { exact: true }).fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(`${server.url}/app`);
});

test("a password the server refuses as too long is explained in the form's words", async ({
  page,
}) => {
  // The page checks the minimum only; the server's 400 names the field as "body.password".
  await page.goto("/signup");
  await page.getByLabel("E-mail address").fill(`long-${Date.now()}@example.test`);
  await page.getByLabel("Password", { exact: true }).fill("x".repeat(1025));
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("alert")).toHaveText("The password must be at most 1024 characters.");
});
