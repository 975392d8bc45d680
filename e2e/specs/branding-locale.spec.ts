/**
 * An organization's default language (issue 22, SPEC F17): an admin picks it in the settings
 * tab; the organization's branded share page then shows it to a visitor whose browser asks only
 * for languages Hushlink does not offer (Korean here), while a French browser still gets French
 * and a visitor who picked a language in the footer keeps their choice.
 */
import type { BrowserContext, Page } from "@playwright/test";

import { expectAccessible } from "../fixtures/checks.js";
import {
  createSignedInShare,
  screenshotAs,
  setBrandingColors,
  signUpAdmin,
} from "../fixtures/org-admin.js";
import { expect, test } from "../fixtures/test.js";

async function openShare(context: BrowserContext, link: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(link);
  return page;
}

test("the organization's default language serves branded pages to browsers we cannot serve", async ({
  page,
  baseURL,
  newVisitor,
}) => {
  const admin = await signUpAdmin(page, "Lindqvist");
  await page.goto("/app/settings");
  const section = page.getByRole("region", { name: "Default language" });
  await expect(section.getByLabel("Language", { exact: true })).toHaveValue("");
  await section.getByLabel("Language", { exact: true }).selectOption("de");
  await section.getByRole("button", { name: "Save language" }).click();
  await expect(page.getByText("The default language is now Deutsch.")).toBeVisible();
  await expectAccessible(page, "settings with the default language saved");
  await screenshotAs(page, "settings-default-language");
  const saved = await page.request.get(`/api/v1/orgs/${admin.orgId}/branding`);
  expect(((await saved.json()) as { defaultLocale: string | null }).defaultLocale).toBe("de");

  // The default rides along on branded pages only: give the organization its colours.
  await setBrandingColors(page, admin.orgId, { primaryColor: "#0f766e" });
  const share = await createSignedInShare(page, baseURL ?? "", "wifi: gast-2026");

  const korean = await openShare(await newVisitor({ locale: "ko-KR" }), share.link);
  await expect(
    korean.getByRole("heading", { name: "Jemand hat ein Geheimnis mit Ihnen geteilt" }),
  ).toBeVisible();
  await expect(korean.locator("html")).toHaveAttribute("lang", "de");

  const french = await openShare(await newVisitor({ locale: "fr-FR" }), share.link);
  await expect(
    french.getByRole("heading", { name: "Quelqu’un a partagé un secret avec vous" }),
  ).toBeVisible();
  await expect(french.locator("html")).toHaveAttribute("lang", "fr");

  // A Korean visitor who picked English in the footer keeps English.
  const chooser = await newVisitor({ locale: "ko-KR" });
  const home = await chooser.newPage();
  await home.goto("/");
  await home.locator(".locale-picker select").selectOption("en");
  const english = await openShare(chooser, share.link);
  await expect(
    english.getByRole("heading", { name: "Someone shared a secret with you" }),
  ).toBeVisible();
  await expect(english.locator("html")).toHaveAttribute("lang", "en");

  // Back to none: the same Korean browser now gets English.
  await section.getByLabel("Language", { exact: true }).selectOption("");
  await section.getByRole("button", { name: "Save language" }).click();
  await expect(
    page.getByText("The organization has no default language now; English takes its place."),
  ).toBeVisible();
  const none = await openShare(await newVisitor({ locale: "ko-KR" }), share.link);
  await expect(
    none.getByRole("heading", { name: "Someone shared a secret with you" }),
  ).toBeVisible();
  await expect(none.locator("html")).toHaveAttribute("lang", "en");
});
