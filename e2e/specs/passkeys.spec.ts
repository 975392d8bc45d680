/**
 * Passkeys (SPEC F16) in Chromium with a virtual authenticator (fixtures/webauthn.ts): add one from
 * the Account tab (with the recovery codes of a first factor), sign in with the password and the
 * passkey as the second step, sign in with the passkey alone, rename and remove it. WebAuthn
 * refuses an IP address as relying party, so this spec runs its own server whose PUBLIC_URL is
 * http://localhost:PORT (a secure context); the run's server stays on 127.0.0.1.
 */
import type { Page } from "@playwright/test";

import { PASSWORD } from "../fixtures/accounts.js";
import { signUpOnExtra } from "../fixtures/extra-accounts.js";
import { startExtraServer, type ExtraServer } from "../fixtures/server-process.js";
import { expect, test } from "../fixtures/test.js";
import { virtualAuthenticator } from "../fixtures/webauthn.js";
import { checkBothWidths } from "../fixtures/widths.js";

let extra: ExtraServer;
test.beforeAll(async () => {
  extra = await startExtraServer({}, { host: "localhost" });
});
test.afterAll(async () => {
  await extra.stop();
});

/** Leaves the page before dropping the cookies, so no loading dashboard meets a 401 on its own. */
async function signOutHere(page: Page) {
  await page.goto("about:blank");
  await page.context().clearCookies();
}

test("passkeys: add one, sign in with it after the password and alone, rename and remove it", async ({
  page,
}) => {
  // Screenshots and axe at two widths on several states: slow on a busy machine.
  test.setTimeout(240_000);
  const authenticator = await virtualAuthenticator(page);
  const email = await signUpOnExtra(extra, page.context(), "passkey");

  await page.goto(`${extra.url}/app/account`);
  const section = page.getByRole("region", { name: "Two-step sign-in" });
  await expect(section.getByRole("heading", { name: "Passkeys" })).toBeVisible();
  // A name first: the browser is not asked without one.
  await section.getByRole("button", { name: "Add a passkey" }).click();
  await expect(section.getByText("Give the passkey a name")).toBeVisible();
  await checkBothWidths(page, "passkeys-none");

  await section.getByLabel("Name of a new passkey").fill("Work laptop");
  await section.getByRole("button", { name: "Add a passkey" }).click();
  // The account's first second factor: the recovery codes, shown once.
  const codes = section.getByTestId("recovery-codes").getByRole("listitem");
  await expect(codes).toHaveCount(10);
  await section.getByRole("button", { name: "I have saved them" }).click();
  const table = section.getByTestId("passkeys");
  const row = table.locator("tr[data-passkey-name='Work laptop']");
  await expect(row).toBeVisible();
  await expect(row.getByRole("cell").last()).not.toBeEmpty();
  await expect(row).toContainText("Never");
  expect(await authenticator.credentials()).toHaveLength(1);
  expect((await authenticator.credentials())[0]?.isResidentCredential).toBe(true);
  await checkBothWidths(page, "passkeys-added");

  // The same authenticator again: the browser refuses, and the page says so.
  await section.getByLabel("Name of a new passkey").fill("Again");
  await section.getByRole("button", { name: "Add a passkey" }).click();
  await expect(section.getByRole("alert")).toContainText("already holds a passkey");
  await expect(table.getByRole("row")).toHaveCount(2);

  // Signed out: the password, then the passkey as the second step.
  await signOutHere(page);
  await page.goto(`${extra.url}/login`);
  await page.getByLabel("E-mail address").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Two-step sign-in" })).toBeVisible();
  await checkBothWidths(page, "passkeys-second-step");
  await page.getByRole("button", { name: "Use a passkey" }).click();
  await expect(page).toHaveURL(/\/app/);
  await page.goto(`${extra.url}/app/account`);
  await expect(row).not.toContainText("Never");

  // Signed out again: the passkey alone, no address, no password.
  await signOutHere(page);
  await page.goto(`${extra.url}/login`);
  await checkBothWidths(page, "passkeys-login");
  await page.getByRole("button", { name: "Use a passkey" }).click();
  await expect(page).toHaveURL(/\/app/);

  // Rename it, after a Cancel that closes the form and keeps the old name.
  await page.goto(`${extra.url}/app/account`);
  await section.getByRole("button", { name: "Rename Work laptop" }).click();
  await section.getByLabel("New name for Work laptop").fill("Not kept");
  await section.getByRole("button", { name: "Cancel", exact: true }).click();
  await expect(section.getByLabel("New name for Work laptop")).toBeHidden();
  await expect(table.locator("tr[data-passkey-name='Work laptop']")).toBeVisible();
  await section.getByRole("button", { name: "Rename Work laptop" }).click();
  const newName = section.getByLabel("New name for Work laptop");
  await expect(newName).toBeFocused();
  await newName.fill("Old laptop");
  await checkBothWidths(page, "passkeys-rename");
  await section.getByRole("button", { name: "Rename", exact: true }).click();
  const renamed = table.locator("tr[data-passkey-name='Old laptop']");
  await expect(renamed).toBeVisible();

  // Remove it, the password proven again; it no longer signs in.
  await section.getByRole("button", { name: "Remove Old laptop" }).click();
  const password = section.getByLabel("Your password, to remove the passkey Old laptop");
  await expect(password).toBeFocused();
  await password.fill("not-the-password");
  const confirm = section.getByRole("button", { name: "Remove the passkey Old laptop" });
  await confirm.click();
  await expect(section.getByText("The password is wrong.")).toBeVisible();
  await checkBothWidths(page, "passkeys-remove");
  await password.fill(PASSWORD);
  await confirm.click();
  await expect(section.getByTestId("passkeys")).toHaveCount(0);

  await signOutHere(page);
  await page.goto(`${extra.url}/login`);
  await page.getByRole("button", { name: "Use a passkey" }).click();
  await expect(page.getByRole("alert")).toContainText("not one this server knows");
  await checkBothWidths(page, "passkeys-login-refused");
  // The password alone signs in again: the last factor went with it.
  await page.getByLabel("E-mail address").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/app/);
});
