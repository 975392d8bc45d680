/**
 * Signed-in pages at 390 px in the languages whose words run longest: a button's label wraps
 * inside the page instead of pushing it sideways (French, Polish and Spanish "Set up an
 * authenticator app" ran 7 to 80 px past the edge; the French header's "Tableau de bord" pushed
 * the account menu 1 px out on every signed-in page).
 */
import { callApi, signUp } from "../fixtures/accounts.js";
import { expectNoHorizontalScroll, screenshot } from "../fixtures/checks.js";
import { PHONE } from "../fixtures/org-admin.js";
import { expect, test } from "../fixtures/test.js";

const languages = [
  { locale: "fr", setUp: "Configurer une application d’authentification" },
  { locale: "pl", setUp: "Skonfiguruj aplikację uwierzytelniającą" },
  { locale: "es", setUp: "Configurar una app de autenticación" },
];

for (const words of languages) {
  test(`the account page fits 390 px in ${words.locale}, buttons and header whole`, async ({
    newVisitor,
  }, testInfo) => {
    const context = await newVisitor(PHONE);
    await signUp(context, { label: `phone-${words.locale}` });
    expect(
      (await callApi(context, "PATCH", "/api/v1/auth/me", { locale: words.locale })).status,
    ).toBe(200);
    const page = await context.newPage();
    await page.goto("/app/account");
    await expect(page.locator("html")).toHaveAttribute("lang", words.locale);
    const setUp = page.getByRole("button", { name: words.setUp });
    await expect(setUp).toBeVisible();
    await expectNoHorizontalScroll(page, `/app/account in ${words.locale}`);

    const viewport = page.viewportSize()?.width ?? 0;
    for (const button of [setUp, page.locator(".account-menu__button")]) {
      const box = await button.boundingBox();
      if (!box) throw new Error("no button box");
      expect(box.x, "starts inside the page").toBeGreaterThanOrEqual(0);
      expect(box.x + box.width, "ends inside the page").toBeLessThanOrEqual(viewport);
    }
    await screenshot(page, testInfo, `phone-account-${words.locale}`);

    // The header alone, on the dashboard's first tab.
    await page.goto("/app");
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expectNoHorizontalScroll(page, `/app in ${words.locale}`);
    await screenshot(page, testInfo, `phone-dashboard-${words.locale}`);
  });
}
