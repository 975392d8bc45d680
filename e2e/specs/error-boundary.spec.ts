/**
 * Issue 16: a render error shows a page with a way back instead of a blank tab. The error here
 * is a real one: the sign-in page's code fails to download (a dropped connection, a deploy that
 * replaced the files), so its lazy import throws while rendering.
 */
import { expectAccessible, screenshot } from "../fixtures/checks.js";
import { expect, test } from "../fixtures/test.js";

for (const width of [1280, 390]) {
  test(`a page whose code fails to load shows a way back, at ${width} px`, async ({
    page,
  }, testInfo) => {
    await page.setViewportSize({ width, height: 844 });
    let blocked = true;
    await page.route(/\/assets\/LoginPage-[^/]+\.js$/, (route) =>
      blocked ? route.abort("connectionreset") : route.continue(),
    );
    await page.goto("/login");
    await expect(page.getByRole("heading", { name: "This page could not be shown" })).toBeFocused();
    await expect(page.getByRole("link", { name: "Go to the start page" })).toHaveAttribute(
      "href",
      "/",
    );
    await expectAccessible(page, "render error");
    await screenshot(page, testInfo, `error-boundary-${width}`);

    // The way back works: once the code can load again, Reload shows the page.
    blocked = false;
    await page.getByRole("button", { name: "Reload the page" }).click();
    await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Go to the start page" })).toHaveCount(0);
  });
}
