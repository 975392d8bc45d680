/**
 * A dark theme that follows the system setting with the same contrast guarantees (axe's
 * colour-contrast rule on every state), branded pages keeping the organization's colours, and a
 * focus ring on inputs that is plainly visible (solid, 3 px, 3:1 against the page) in both themes.
 */
import type { Page } from "@playwright/test";

import { signUpAdmin, createSignedInShare, setBrandingColors } from "../fixtures/org-admin.js";
import { buildShare } from "../fixtures/shares.js";
import { expect, test } from "../fixtures/test.js";
import { checkBothWidths } from "../fixtures/widths.js";

function luminance(rgb: string): number {
  const [r, g, b] = (rgb.match(/[\d.]+/g) ?? []).slice(0, 3).map((c) => {
    const s = Number(c) / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

async function pageColors(page: Page) {
  return page.evaluate(() => {
    const body = getComputedStyle(document.body);
    return { background: body.backgroundColor, color: body.color };
  });
}

/** The focused input's outline is solid, at least 2 px, and 3:1 against the card behind it. */
async function expectPlainFocus(page: Page, label: RegExp | string, state: string) {
  const field =
    typeof label === "string" ? page.getByLabel(label, { exact: true }) : page.getByLabel(label);
  await field.focus();
  const ring = await field.evaluate((el) => {
    const style = getComputedStyle(el);
    const card = el.closest(".card") ?? document.body;
    return {
      style: style.outlineStyle,
      width: parseFloat(style.outlineWidth),
      color: style.outlineColor,
      behind: getComputedStyle(card).backgroundColor,
    };
  });
  expect(ring.style, `outline style, ${state}`).toBe("solid");
  expect(ring.width, `outline width, ${state}`).toBeGreaterThanOrEqual(2);
  expect(contrast(ring.color, ring.behind), `ring contrast, ${state}`).toBeGreaterThanOrEqual(3);
}

test.describe("dark system setting", () => {
  test.use({ colorScheme: "dark" });

  test("the share form and the created page turn dark and pass axe's contrast checks", async ({
    page,
  }) => {
    await page.goto("/");
    const colors = await pageColors(page);
    expect(luminance(colors.background)).toBeLessThan(0.05);
    expect(contrast(colors.color, colors.background)).toBeGreaterThanOrEqual(4.5);
    await page.getByLabel("Secret", { exact: true }).fill("dark and readable");
    await page.getByRole("button", { name: "Generate a password" }).click();
    await checkBothWidths(page, "dark-share-form");
    await page.getByRole("button", { name: "Create secret link" }).click();
    await expect(page.getByRole("heading", { name: "Your secret link is ready" })).toBeVisible();
    await checkBothWidths(page, "dark-created");
  });

  test("the view page and sign-in page turn dark and pass axe's contrast checks", async ({
    page,
    server,
  }) => {
    const share = await buildShare(server, { text: "dark secret", note: "A note, in the dark" });
    await page.goto(share.link);
    await expect(page.getByRole("button", { name: "Reveal secret" })).toBeVisible();
    await checkBothWidths(page, "dark-ready");
    await page.getByRole("button", { name: "Reveal secret" }).click();
    await page.getByRole("button", { name: /Show the secret/ }).click();
    await checkBothWidths(page, "dark-revealed");

    await page.goto("/login");
    await expect(page.getByRole("heading", { name: /Sign in/ })).toBeVisible();
    await checkBothWidths(page, "dark-login");
  });

  test("a branded page keeps the organization's colours in the dark setting", async ({
    page,
    baseURL,
    newVisitor,
  }) => {
    const admin = await signUpAdmin(page, "Daylight Co");
    await setBrandingColors(page, admin.orgId, {
      primaryColor: "#0f766e",
      backgroundColor: "#fdf6ec",
      textColor: "#2b2118",
    });
    const share = await createSignedInShare(page, baseURL!, "branded in the dark");
    const visitor = await (await newVisitor({ colorScheme: "dark" })).newPage();
    await visitor.goto(share.link);
    await expect(visitor.getByRole("button", { name: "Reveal secret" })).toBeVisible();
    expect(await pageColors(visitor)).toEqual({
      background: "rgb(253, 246, 236)",
      color: "rgb(43, 33, 24)",
    });
    await checkBothWidths(visitor, "dark-branded-ready");
  });

  test("input focus is a solid ring in the dark theme too", async ({ page }) => {
    await page.goto("/");
    await expectPlainFocus(page, "Secret", "dark, secret");
    await expectPlainFocus(page, /^Password/, "dark, password");
    await checkBothWidths(page, "dark-focus");
  });
});

test("input focus is plainly visible: a solid ring, not a faint halo", async ({ page }) => {
  await page.goto("/");
  await expectPlainFocus(page, "Secret", "secret");
  await expectPlainFocus(page, /^Name/, "name");
  await expectPlainFocus(page, "Expires in", "expiry select");
  await checkBothWidths(page, "focus-ring");
});
