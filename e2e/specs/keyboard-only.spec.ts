/**
 * The share flows by keyboard alone (session 24): no click, no `fill`, no `focus()`; only Tab,
 * Shift+Tab, Enter, Space, arrow keys and typing. Two files picked through Choose files (the
 * file chooser it opens stands in for the system dialog), one removed again, the share created
 * and its link copied; a share to recipients, one added and removed again; the secret revealed
 * elsewhere and a file downloaded. Every state is axe-clean (moderate and worse).
 */
import type { Locator, Page } from "@playwright/test";

import { addMember, orgIdOf, signUp } from "../fixtures/accounts.js";
import { expectAxeClean } from "../fixtures/checks.js";
import { expect, test } from "../fixtures/test.js";

/** Presses Tab (Shift+Tab with `back`) until `target` has the focus; fails after 60 presses. */
async function tabTo(page: Page, target: Locator, back = false): Promise<void> {
  for (let presses = 0; presses < 60; presses += 1) {
    if (await target.evaluate((node) => node === document.activeElement)) return;
    await page.keyboard.press(back ? "Shift+Tab" : "Tab");
  }
  await expect(target, "reachable by Tab").toBeFocused({ timeout: 1 });
}

/** The element with the focus is never <body>: the keyboard user has not lost their place. */
async function expectFocusKept(page: Page): Promise<void> {
  expect(await page.evaluate(() => document.activeElement?.tagName)).not.toBe("BODY");
}

test("a share with files by keyboard: pick two, remove one, create, copy, reveal, download", async ({
  page,
  context,
  newVisitor,
}) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.goto("/");
  await tabTo(page, page.getByLabel("Secret", { exact: true }));
  await page.keyboard.type("keyboard only");

  const choose = page.getByRole("button", { name: "Choose files" });
  // Waited for before the Tab presses, not just before Enter: Playwright turns the browser's
  // file-chooser interception on asynchronously, and a bare key press can overtake it (the
  // chooser then opens unseen and the event never comes). The presses' round trips let it land.
  const chooser = page.waitForEvent("filechooser");
  await tabTo(page, choose);
  await page.keyboard.press("Enter");
  await (
    await chooser
  ).setFiles([
    { name: "alpha.txt", mimeType: "text/plain", buffer: Buffer.from("alpha file") },
    { name: "beta.txt", mimeType: "text/plain", buffer: Buffer.from("beta file") },
  ]);
  const chosen = page.getByRole("list", { name: "Chosen files" }).getByRole("listitem");
  await expect(chosen).toHaveCount(2);
  await expectAxeClean(page, "/ (two files chosen by keyboard)");

  // Removed, the focus goes to the Remove button now in its place, not to <body>.
  await tabTo(page, page.getByRole("button", { name: "Remove alpha.txt" }));
  await page.keyboard.press("Enter");
  await expect(chosen).toHaveCount(1);
  await expect(page.getByRole("button", { name: "Remove beta.txt" })).toBeFocused();
  await expectAxeClean(page, "/ (one file removed by keyboard)");

  await tabTo(page, page.getByRole("button", { name: "Create secret link" }));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { name: "Your secret link is ready" })).toBeVisible({
    timeout: 30_000,
  });
  await expectFocusKept(page);
  const link = await page.getByLabel("Share link", { exact: true }).inputValue();
  const copy = page.getByRole("button", { name: "Copy share link" });
  await tabTo(page, copy);
  await page.keyboard.press("Space");
  await expect(page.getByRole("button", { name: "Copied" }).first()).toBeFocused();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
  await expectAxeClean(page, "/ (created, link copied by keyboard)");

  const visitor = await (await newVisitor()).newPage();
  await visitor.goto(link);
  await tabTo(visitor, visitor.getByRole("button", { name: "Reveal secret" }));
  await visitor.keyboard.press("Enter");
  await expect(visitor.getByRole("heading", { name: "Here is your secret" })).toBeVisible();
  await expectAxeClean(visitor, "/s (revealed, one file)");
  const row = visitor.getByTestId("revealed-file").filter({ hasText: "beta.txt" });
  await tabTo(visitor, row.getByRole("button", { name: /^Download/ }));
  const saved = visitor.waitForEvent("download");
  await visitor.keyboard.press("Enter");
  expect((await saved).suggestedFilename()).toBe("beta.txt");
  await expect(row.getByRole("status")).toHaveText("Decrypted and saved to your downloads.");
  // Download gave way to the progress, then came back: the focus with it, not on <body>.
  await expect(row.getByRole("button", { name: /^Download again/ })).toBeFocused();
  await expectAxeClean(visitor, "/s (file downloaded by keyboard)");
});

test("a share to recipients by keyboard: add two, remove one, create", async ({
  page,
  newVisitor,
  server,
}) => {
  const admin = await signUp(page.context(), { label: "keys-only", name: "Dana Scully" });
  const member = await addMember(page.context(), orgIdOf(admin), await newVisitor(), server);
  await page.goto("/");
  await tabTo(page, page.getByLabel("Secret", { exact: true }));
  await page.keyboard.type("for the recipients");
  const recipients = page.getByLabel(/^E-mail the link to/);
  await tabTo(page, recipients);
  await page.keyboard.type("fox@example.com");
  await page.keyboard.press("Enter");
  await page.keyboard.type(member.email);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("button", { name: "Remove fox@example.com" })).toBeVisible();
  await expect(page.getByRole("button", { name: `Remove ${member.email}` })).toBeVisible();
  await expectAxeClean(page, "/ (two recipients added by keyboard)");

  // The chip's remove button is reached backwards from the field, and gives the focus back to it.
  await tabTo(page, page.getByRole("button", { name: "Remove fox@example.com" }), true);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("button", { name: "Remove fox@example.com" })).toHaveCount(0);
  await expect(recipients).toBeFocused();
  await expectAxeClean(page, "/ (one recipient removed by keyboard)");

  await tabTo(page, page.getByRole("button", { name: "Create secret link" }));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { name: "Your secret link is ready" })).toBeVisible({
    timeout: 30_000,
  });
  await expect(page.getByTestId("sent-to")).toContainText(member.email);
  await expect(page.getByTestId("sent-to")).not.toContainText("fox@example.com");
  await expectFocusKept(page);
  await expectAxeClean(page, "/ (shared with a recipient by keyboard)");
});
