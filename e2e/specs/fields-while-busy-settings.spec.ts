/**
 * The forms of fields-while-busy.spec.ts's change (session 26) that had no busy test of their
 * own: a new request, an API token, a webhook, the organization's language, the second-factor
 * requirement, the password change and the branding. Each is sent with its request held: the
 * field or button it was sent from keeps the focus, text fields are readOnly, choices ignore a
 * key, a second Enter sends nothing (the held route counts what reached it), axe is clean and
 * screenshots are taken at 1280 and 390 px; refused, the focus is still there.
 */
import type { Locator, Page } from "@playwright/test";

import { PASSWORD, signUp } from "../fixtures/accounts.js";
import {
  expectHeldButton,
  expectHeldChoice,
  lookWhileBusy,
  sendHeld,
  hold,
  UNREACHABLE,
  type Held,
} from "../fixtures/busy.js";
import { expect, test } from "../fixtures/test.js";

// Axe and screenshots at two widths while busy.
test.describe.configure({ timeout: 180_000 });

/** Enter in `field`: held, readOnly with the focus kept, and a second Enter sends nothing. */
async function sendFromField(page: Page, held: Held, field: Locator, value: string) {
  await sendHeld(page, held, field, value);
  await page.keyboard.press("Enter");
  await expect(field).toBeFocused();
}

/** Enter on `button` (Save): held, and the button keeps the focus and sends nothing more. */
async function sendFromButton(page: Page, held: Held, button: Locator) {
  await button.focus();
  await page.keyboard.press("Enter");
  await expect.poll(() => held.count).toBe(1);
  await expectHeldButton(page, button, held);
}

/**
 * The busy state looked at, then the request refused: the focus is still on `from`, or, where
 * the form moves it to its error on purpose (the branding's, to bring it into view), there.
 */
async function lookThenRefuse(
  page: Page,
  held: Held,
  from: Locator,
  name: string,
  toError = false,
) {
  await lookWhileBusy(page, name);
  expect(held.count).toBe(1);
  await from.focus();
  held.release();
  await expect(page.getByRole("alert").filter({ hasText: UNREACHABLE }).first()).toBeVisible();
  if (toError) await expect(page.locator(":focus")).toContainText(UNREACHABLE);
  else await expect(from).toBeFocused();
}

test("a new request: Enter in its name keeps the focus; Expires in and Who can answer hold", async ({
  page,
}) => {
  await signUp(page.context(), { label: "request-busy", name: "Dana Scully" });
  const held = await hold(page, "**/api/v1/requests", "POST");
  await page.goto("/app/requests");
  const name = page.getByLabel(/^What do you need\?/);
  await name.fill("VPN key");
  await sendFromField(page, held, name, "VPN key");
  await expectHeldChoice(page, page.getByLabel("Expires in"), "ArrowDown");
  await expectHeldChoice(page, page.getByLabel(/^Only members of/), "Space");
  await lookThenRefuse(page, held, name, "new-request");
  await expect(name).toHaveJSProperty("readOnly", false);
});

test("an API token: Enter in its name keeps the focus; scope and lifetime hold", async ({
  page,
}) => {
  await signUp(page.context(), { label: "token-fields-busy", name: "Alex Krycek" });
  const held = await hold(page, "**/api/v1/tokens", "POST");
  await page.goto("/app/tokens");
  const name = page.getByLabel("Token name", { exact: true });
  await name.fill("deploy bot");
  await sendFromField(page, held, name, "deploy bot");
  await expectHeldChoice(page, page.getByLabel("Scope", { exact: true }), "ArrowDown");
  await expectHeldChoice(page, page.getByLabel("Expires after"), "ArrowDown");
  await lookThenRefuse(page, held, name, "create-token");
});

test("a webhook: Enter in the URL keeps the focus; events, options and Cancel hold", async ({
  page,
}) => {
  await signUp(page.context(), { label: "hook-fields-busy", name: "Walter Skinner" });
  const held = await hold(page, "**/api/v1/orgs/*/webhooks", "POST");
  await page.goto("/app/webhooks");
  await page.getByRole("button", { name: "Add endpoint" }).click();
  const url = page.getByLabel("Endpoint URL");
  await url.fill("https://hooks.example.com/hushlink");
  await page.getByLabel("Share created").check();
  await sendFromField(page, held, url, "https://hooks.example.com/hushlink");
  await expectHeldChoice(page, page.getByLabel("Share deleted"), "Space");
  await expectHeldChoice(page, page.getByLabel("Include share names"), "Space");
  const cancel = page.getByRole("button", { name: "Cancel" });
  await cancel.focus();
  await expectHeldButton(page, cancel, held);
  await expect(url).toBeVisible();
  await lookThenRefuse(page, held, url, "webhook-form");
});

test("the organization's language: Save keeps the focus; the list holds", async ({ page }) => {
  await signUp(page.context(), { label: "language-busy", name: "Monica Reyes" });
  const held = await hold(page, "**/api/v1/orgs/*/branding", "PUT");
  await page.goto("/app/settings");
  const section = page.getByRole("region", { name: "Default language" });
  const language = section.getByLabel("Language", { exact: true });
  await language.selectOption("de");
  const save = section.getByRole("button", { name: /^(Save language|Saving…)$/ });
  await sendFromButton(page, held, save);
  await expectHeldChoice(page, language, "ArrowDown");
  await expect(language).toHaveValue("de");
  await lookThenRefuse(page, held, save, "org-language");
});

test("the second-factor requirement: Save keeps the focus; the switch holds", async ({ page }) => {
  await signUp(page.context(), { label: "require-busy", name: "John Doggett" });
  const held = await hold(page, "**/api/v1/orgs/*/security", "PUT");
  await page.goto("/app/security");
  const section = page.getByRole("region", { name: "Two-step sign-in" });
  const toggle = section.getByLabel("Require a second factor");
  await toggle.check();
  const save = section.getByRole("button", { name: /^(Save|Saving…)$/ });
  await sendFromButton(page, held, save);
  await expectHeldChoice(page, toggle, "Space");
  await expect(toggle).toBeChecked();
  await lookThenRefuse(page, held, save, "require-second-factor");
});

test("the password change: Enter in the last field keeps the focus; Keep my API tokens holds", async ({
  page,
}) => {
  await signUp(page.context(), { label: "password-busy", name: "Jeffrey Spender" });
  const held = await hold(page, "**/api/v1/auth/password", "POST");
  await page.goto("/app/account");
  const form = page.getByRole("region", { name: "Change your password" });
  const next = "Juniper-Compass-Meadow-31";
  await form.getByLabel("Current password").fill(PASSWORD);
  await form.getByLabel("New password", { exact: true }).fill(next);
  const again = form.getByLabel("New password, again");
  await again.fill(next);
  await sendFromField(page, held, again, next);
  await expectHeldChoice(page, form.getByLabel("Keep my API tokens working"), "Space");
  await lookThenRefuse(page, held, again, "change-password");
});

test("the branding: Enter in a colour keeps the focus; the picker and the logo hold", async ({
  page,
}) => {
  await signUp(page.context(), { label: "branding-busy", name: "Gibson Praise" });
  const held = await hold(page, "**/api/v1/orgs/*/branding", "PUT");
  await page.goto("/app/branding");
  const primary = page.getByLabel("Primary colour", { exact: true });
  await primary.fill("#1d4ed8");
  await sendFromField(page, held, primary, "#1d4ed8");
  const picker = page.getByLabel("Primary colour picker");
  await expect(picker).toHaveAttribute("aria-disabled", "true");
  await expect(picker).toHaveJSProperty("disabled", false);
  await expect(page.getByLabel("Upload logo")).toHaveAttribute("aria-disabled", "true");
  // Tab from the colour reaches the buttons below, which stay focusable while saving.
  const save = page.getByRole("button", { name: "Saving…" });
  await save.focus();
  await expectHeldButton(page, save, held);
  const discard = page.getByRole("button", { name: "Discard changes" });
  await page.keyboard.press("Tab");
  await expect(discard).toBeFocused();
  await expectHeldButton(page, discard, held);
  await expect(primary).toHaveValue("#1d4ed8");
  await lookThenRefuse(page, held, primary, "branding", true);
});
