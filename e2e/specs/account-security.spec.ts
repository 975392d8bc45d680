/**
 * Issue 15 in the pages: the sign-in page says plainly that sign-in is paused and until when
 * (the server's back-off after wrong passwords), the change-password form revokes the account's
 * API tokens unless the user ticks "Keep my API tokens working", and a verification link opened
 * outside the browser that signed up asks for a new password.
 */
import { callApi, PASSWORD, signUp } from "../fixtures/accounts.js";
import { expectAccessible } from "../fixtures/checks.js";
import { linkIn, waitForMail } from "../fixtures/mail.js";
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

test("a verification link opened in another browser sets a new password; the one typed at sign-up stops working", async ({
  page,
  server,
  newVisitor,
}) => {
  // Someone signs up with an address that is not theirs and signs in with the password they typed.
  const squatter = await newVisitor();
  const account = await signUp(squatter, { label: "squatted", verified: false });
  const mail = await waitForMail(account.email, /Confirm your e-mail address/);

  // The owner of the inbox opens the link in their own browser.
  await page.goto(linkIn(mail, `${server.url}/verify-email#`));
  const heading = page.getByRole("heading", { name: "Choose a password to confirm your address" });
  await expect(heading).toBeVisible();
  await expect(
    page.getByText("opened in another browser than the one that signed up"),
  ).toBeVisible();
  await expectAccessible(page, "verify with a new password");
  await screenshotAs(page, "verify-new-password");
  await page.setViewportSize(PHONE.viewport);
  await screenshotAs(page, "verify-new-password");

  await page.getByLabel("New password", { exact: true }).fill("Saffron-Glacier-Harp-58");
  await page.getByLabel("New password, again").fill("Saffron-Glacier-Harp-58");
  await page.getByRole("button", { name: "Confirm and set password" }).click();
  await expect(
    page.getByRole("heading", { name: "Your e-mail address is confirmed" }),
  ).toBeVisible();
  await expect(page.getByText(`Thank you. ${account.email} is confirmed.`)).toBeVisible();

  // The squatter's session ended, and their password no longer signs in.
  expect((await callApi(squatter, "GET", "/api/v1/auth/me")).status).toBe(401);
  const again = await callApi(await newVisitor(), "POST", "/api/v1/auth/login", {
    email: account.email,
    password: PASSWORD,
  });
  expect(again.status).toBe(401);
});

test("the verification page keeps its token through a reload, forgets it once confirmed, and opens a link pasted into the tab", async ({
  page,
  server,
  newVisitor,
}) => {
  const account = await signUp(await newVisitor(), { label: "reloaded", verified: false });
  const link = linkIn(
    await waitForMail(account.email, /Confirm your e-mail address/),
    `${server.url}/verify-email#`,
  );
  const token = new URL(link).hash.slice(1);
  const form = page.getByRole("heading", { name: "Choose a password to confirm your address" });
  const kept = () => page.evaluate(() => window.sessionStorage.getItem("hushlink.fragment") ?? "");

  // A link pasted into a tab that shows a dead one: only the fragment changes, no load.
  await page.goto("/verify-email#not-a-real-token");
  await expect(
    page.getByRole("heading", { name: "This confirmation link does not work" }),
  ).toBeVisible();
  await page.evaluate((t) => {
    window.location.hash = t;
  }, token);
  await expect(form).toBeVisible();
  expect(page.url(), "the token leaves the address bar").toBe(`${server.url}/verify-email`);

  // The mail's link itself, then a reload before confirming: the form comes back.
  await page.goto(link);
  await expect(form).toBeVisible();
  expect(page.url()).toBe(`${server.url}/verify-email`);
  await page.getByLabel("New password", { exact: true }).fill("Lichen-Harbour-Quill-63");
  await page.reload();
  await expect(form).toBeVisible();
  expect(page.url()).toBe(`${server.url}/verify-email`);
  expect(await kept()).toContain(token);

  await page.getByLabel("New password", { exact: true }).fill("Lichen-Harbour-Quill-63");
  await page.getByLabel("New password, again").fill("Lichen-Harbour-Quill-63");
  await page.getByRole("button", { name: "Confirm and set password" }).click();
  await expect(
    page.getByRole("heading", { name: "Your e-mail address is confirmed" }),
  ).toBeVisible();
  expect(await kept(), "confirming forgets the token").not.toContain(token);

  // A reload after confirming says so, instead of calling the link broken.
  await page.reload();
  await expect(
    page.getByRole("heading", { name: "Your e-mail address is already confirmed" }),
  ).toBeVisible();
  await expectAccessible(page, "verify-email reloaded after confirming");

  // Leaving for another page (the share form) drops whatever was kept.
  await page.goto("/");
  await expect.poll(kept).toBe("");
});
