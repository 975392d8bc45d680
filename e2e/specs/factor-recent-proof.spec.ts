/**
 * Adding a second factor from a session that signed in a while ago (SPEC F16, extension): the
 * server answers 403 recent_sign_in_required, and the Account tab asks for the password in place,
 * then goes on with the set-up: an authenticator app on the run's server, a passkey (Chromium's
 * virtual authenticator) on a localhost server of its own, since WebAuthn refuses an IP address.
 * The session is aged in the database: 16 minutes back, past the 15 a sign-in counts for.
 */
import { generate } from "otplib";
import type { Page } from "@playwright/test";

import { signUp } from "../fixtures/accounts.js";
import { agePastRecentProof, wrongThenRightPassword } from "../fixtures/recent-proof.js";
import { signUpOnExtra } from "../fixtures/extra-accounts.js";
import { waitForMail } from "../fixtures/mail.js";
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

/** The password field that appears, the wrong password refused there, then the right one. */
async function provePassword(page: Page, label: string, screenshot: string) {
  const section = page.getByRole("region", { name: "Two-step sign-in" });
  const field = section.getByLabel(label);
  await expect(field).toBeVisible();
  await expect(field).toBeFocused();
  await expect(section).toContainText("You signed in a while ago");
  await checkBothWidths(page, screenshot);
  await wrongThenRightPassword(field, section);
}

test("an old session sets up an authenticator app after giving the password", async ({
  page,
  server,
}) => {
  test.setTimeout(180_000);
  const account = await signUp(page.context(), { label: "old-totp" });
  agePastRecentProof(server, account.email);
  await page.goto("/app/account");
  const section = page.getByRole("region", { name: "Two-step sign-in" });
  await section.getByRole("button", { name: "Set up an authenticator app" }).click();
  await provePassword(page, "Your password, to set up an authenticator app", "recent-proof-totp");

  const secret = ((await section.getByTestId("totp-secret").textContent()) ?? "").replace(
    /\s/g,
    "",
  );
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await section
    .getByLabel("Code from the app")
    .fill(await generate({ secret, epoch: Math.floor(Date.now() / 1000) }));
  await section.getByRole("button", { name: "Turn on" }).click();
  await expect(section.getByTestId("recovery-codes").getByRole("listitem")).toHaveCount(10);
  const mail = await waitForMail(account.email, /An authenticator app was set up/);
  expect(mail.text).toContain("If it was not you");
});

test("an old session adds a passkey after giving the password", async ({ page }) => {
  test.setTimeout(180_000);
  await virtualAuthenticator(page);
  const email = await signUpOnExtra(extra, page.context(), "old-passkey");
  agePastRecentProof(extra, email);
  await page.goto(`${extra.url}/app/account`);
  const section = page.getByRole("region", { name: "Two-step sign-in" });
  await section.getByLabel("Name of a new passkey").fill("Work laptop");
  await section.getByRole("button", { name: "Add a passkey" }).click();
  await provePassword(page, "Your password, to add a passkey", "recent-proof-passkey");
  await expect(section.getByTestId("recovery-codes").getByRole("listitem")).toHaveCount(10);
  await section.getByRole("button", { name: "I have saved them" }).click();
  await expect(
    section.getByTestId("passkeys").locator("tr[data-passkey-name='Work laptop']"),
  ).toBeVisible();
});
