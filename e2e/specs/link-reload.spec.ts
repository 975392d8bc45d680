/**
 * Issue 25, defect 1: the link's key is taken out of the address bar but kept for the life of
 * the tab until the reveal, so a reload (or Back) still opens it; a link pasted into the same
 * tab (a fragment-only change) is opened; and the page says what is true when there is no key.
 */
import { signUp } from "../fixtures/accounts.js";
import { expectAccessible, screenshot } from "../fixtures/checks.js";
import { linkIn, waitForMail } from "../fixtures/mail.js";
import { buildShare } from "../fixtures/shares.js";
import { expect, test } from "../fixtures/test.js";

for (const width of [1280, 390]) {
  test.describe(`at ${width} px`, () => {
    test.use({ viewport: { width, height: 844 } });

    test("a reload before Reveal still reveals; after Reveal it says the link was used here", async ({
      page,
      server,
      baseURL,
    }, testInfo) => {
      const share = await buildShare(server, { maxViews: 2 });
      await page.goto(share.link);
      await expect(page.getByRole("button", { name: "Reveal secret" })).toBeVisible();
      expect(page.url()).toBe(`${baseURL}/s`);

      await page.reload();
      expect(page.url(), "the key stays out of the address bar").toBe(`${baseURL}/s`);
      await page.getByRole("button", { name: "Reveal secret" }).click();
      await expect(page.getByTestId("secret-text")).toHaveText(share.text);
      const kept = await page.evaluate(() => window.sessionStorage.getItem("hushlink.fragment"));
      expect(kept, "the key is forgotten once revealed").not.toContain(share.linkSecret);

      await page.reload();
      await expect(
        page.getByRole("heading", { name: "The secret was already shown in this tab" }),
      ).toBeVisible();
      await expectAccessible(page, "/s (used up in this tab)");
      await screenshot(page, testInfo, `link-reload-used-up-${width}`);
    });

    test("a link pasted into the same tab opens that link", async ({ page, server }, testInfo) => {
      const first = await buildShare(server);
      const second = await buildShare(server);
      await page.goto(first.link);
      await expect(page.getByRole("button", { name: "Reveal secret" })).toBeVisible();
      // Same path, another fragment: a same-document navigation that only fires `hashchange`.
      await page.evaluate((link) => window.location.assign(link), second.link);
      await page.getByRole("button", { name: "Reveal secret" }).click();
      await expect(page.getByTestId("secret-text")).toHaveText(second.text);

      // The first link is untouched; pasted after a reveal, it opens too.
      await page.evaluate((link) => window.location.assign(link), first.link);
      await page.getByRole("button", { name: "Reveal secret" }).click();
      await expect(page.getByTestId("secret-text")).toHaveText(first.text);
      await screenshot(page, testInfo, `link-reload-pasted-${width}`);
    });
  });
}

test("a fresh /s, a damaged key and an unknown key each say what is true", async ({
  page,
}, testInfo) => {
  await page.goto("/s");
  await expect(page.getByRole("heading", { name: "This address has no secret key" })).toBeVisible();
  await expectAccessible(page, "/s (no key)");
  await screenshot(page, testInfo, "link-no-key");
  await page.goto("about:blank");
  await page.goto("/s#nope");
  await expect(page.getByRole("heading", { name: "This link is damaged" })).toBeVisible();
  await page.goto("about:blank");
  await page.goto(`/s#${"A".repeat(43)}`);
  await expect(page.getByRole("heading", { name: "This link does not exist" })).toBeVisible();
});

test("leaving the page forgets the key: Back is fine, a later fresh /s is not the old link", async ({
  page,
  server,
}) => {
  const share = await buildShare(server);
  await page.goto(share.link);
  await expect(page.getByRole("button", { name: "Reveal secret" })).toBeVisible();
  await page.goBack();
  await page.goForward();
  await expect(page.getByRole("button", { name: "Reveal secret" })).toBeVisible();
  await page.goto("/");
  expect(await page.evaluate(() => window.sessionStorage.getItem("hushlink.fragment"))).toBeNull();
  await page.goto("/s");
  await expect(page.getByRole("heading", { name: "This address has no secret key" })).toBeVisible();
});

test("the manage and reset pages survive a reload too", async ({ page, server, newVisitor }) => {
  const share = await buildShare(server, { name: "Reload me" });
  await page.goto(share.manageLink);
  await expect(page.getByText("Reload me")).toBeVisible();
  await page.reload();
  await expect(page.getByText("Reload me")).toBeVisible();
  await expect(page.getByRole("button", { name: /Delete/ })).toBeVisible();

  const owner = await signUp(await newVisitor(), { label: "reload-reset" });
  await page.goto("/forgot-password");
  await page.getByLabel("E-mail address").fill(owner.email);
  await page.getByRole("button", { name: "Send reset link" }).click();
  const mail = await waitForMail(owner.email, /Reset your Hushlink password/);
  await page.goto(linkIn(mail, `${server.url}/reset-password#`));
  await expect(page.getByRole("heading", { name: "Choose a new password" })).toBeVisible();
  await page.reload();
  await page.getByLabel("New password", { exact: true }).fill("Reloaded-Copper-Kettle-5");
  await page.getByLabel("New password, again").fill("Reloaded-Copper-Kettle-5");
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page).toHaveURL(`${server.url}/login?notice=password-reset`);
});
