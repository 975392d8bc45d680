/**
 * Two-step sign-in (SPEC F16) in the browser: setting up an authenticator app from the Account
 * tab (QR code, key, first code), the recovery codes shown once, then signing in with a code and
 * with a recovery code (whose use is mailed through the real SMTP server). Codes are computed
 * with otplib from the key the page shows, as an authenticator app would.
 */
import { generate } from "otplib";

import { PASSWORD, signUp } from "../fixtures/accounts.js";
import { expectAccessible } from "../fixtures/checks.js";
import { waitForMail } from "../fixtures/mail.js";
import { expect, test } from "../fixtures/test.js";
import { checkBothWidths } from "../fixtures/widths.js";
import type { Page } from "@playwright/test";

/** The code an app shows `steps` periods from now (one step ahead is within the tolerance). */
const codeFor = (secret: string, steps = 0) =>
  generate({ secret, epoch: Math.floor(Date.now() / 1000) + steps * 30 });

/**
 * Leaves the page before dropping the cookies: a dashboard still loading would otherwise meet a
 * 401 and move to /login by itself, aborting the next `goto` (seen once in CI).
 */
async function signOutHere(page: Page) {
  await page.goto("about:blank");
  await page.context().clearCookies();
}

async function signInWithPassword(page: Page, email: string) {
  await page.goto("/login");
  await page.getByLabel("E-mail address").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Two-step sign-in" })).toBeVisible();
}

test("two-step sign-in: set up an authenticator app, then sign in with a code and with a recovery code", async ({
  page,
}) => {
  // Screenshots and axe at two widths on every state: slow on a busy machine.
  test.setTimeout(240_000);
  const account = await signUp(page.context(), { label: "totp", name: "Dana Scully" });
  await page.goto("/app/account");
  const section = page.getByRole("region", { name: "Two-step sign-in" });
  await expect(section).toBeVisible();
  const setUp = section.getByRole("button", { name: "Set up an authenticator app" });
  // Cancel leaves the set-up unconfirmed and shows the status again.
  await setUp.click();
  await section.getByRole("button", { name: "Cancel", exact: true }).click();
  await expect(setUp).toBeVisible();
  await setUp.click();

  const qr = section.getByRole("img", { name: "QR code for your authenticator app" });
  await expect(qr).toBeVisible();
  await expect(qr).toHaveAttribute("src", /^data:image\/png;base64,/);
  const secret = ((await section.getByTestId("totp-secret").textContent()) ?? "").replace(
    /\s/g,
    "",
  );
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await checkBothWidths(page, "second-factor-enrol");

  // A wrong code is refused in place.
  const current = await codeFor(secret);
  await section.getByLabel("Code from the app").fill(current === "000000" ? "111111" : "000000");
  await section.getByRole("button", { name: "Turn on" }).click();
  await expect(section.getByRole("alert")).toContainText(
    "not the one your authenticator app shows",
  );

  await section.getByLabel("Code from the app").fill(current);
  await section.getByRole("button", { name: "Turn on" }).click();
  const codes = section.getByTestId("recovery-codes").getByRole("listitem");
  await expect(codes).toHaveCount(10);
  const recoveryCodes = await codes.allTextContents();
  await checkBothWidths(page, "second-factor-recovery-codes");
  await section.getByRole("button", { name: "I have saved them" }).click();
  await expect(section).toContainText("10 unused recovery codes");
  await expect(section.getByText("On", { exact: true })).toBeVisible();
  await checkBothWidths(page, "second-factor-on");

  // Signed out, the password alone is not enough: the code step follows.
  await signOutHere(page);
  await signInWithPassword(page, account.email);
  expect(page.url()).not.toContain("pending");
  // The code field takes the focus: the next thing to type is the code.
  const code = page.getByLabel("Authentication code");
  await expect(code).toBeFocused();
  await checkBothWidths(page, "second-factor-sign-in");
  await code.fill(current === "000000" ? "111111" : "000000");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toContainText("That code is wrong or was used already");
  await expectAccessible(page, "sign-in wrong code");
  // The code that confirmed the set-up is spent; the next period's is taken.
  await code.fill(await codeFor(secret, 1));
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/app/);

  // With a recovery code instead.
  await signOutHere(page);
  await signInWithPassword(page, account.email);
  await page.getByRole("button", { name: "Use a recovery code instead" }).click();
  const recovery = page.getByLabel("Recovery code");
  await expect(recovery).toBeFocused();
  await checkBothWidths(page, "second-factor-sign-in-recovery");
  await recovery.fill(recoveryCodes[0]!);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/app/);
  const mail = await waitForMail(account.email, /A recovery code was used/);
  expect(mail.text).toContain("9 unused recovery codes are left");

  // The same recovery code does not work twice.
  await signOutHere(page);
  await signInWithPassword(page, account.email);
  await page.getByRole("button", { name: "Use a recovery code instead" }).click();
  await page.getByLabel("Recovery code").fill(recoveryCodes[0]!);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toContainText("wrong or was used already");
});
