import { expect, test } from "../fixtures/test.js";

const PAYLOAD = [
  `<img src=x onerror="window.__pwned=1">`,
  `<script>window.__pwned=1</script>`,
  `"><svg onload="window.__pwned=1">`,
  `javascript:window.__pwned=1`,
].join("\n");

test("a secret full of markup is shown as text and runs nothing", async ({ page, newVisitor }) => {
  await page.goto("/");
  await page.getByLabel("Secret", { exact: true }).fill(PAYLOAD);
  await page.getByLabel(/^Name/).fill(`<img src=x onerror="window.__pwned=1">`);
  await page.getByRole("button", { name: "Create secret link" }).click();
  const link = await page.getByLabel("Share link", { exact: true }).inputValue();

  const recipient = await (await newVisitor()).newPage();
  await recipient.goto(link);
  await recipient.getByRole("button", { name: "Reveal secret" }).click();
  const shown = recipient.getByTestId("secret-text");
  await expect(shown).toHaveText(PAYLOAD);
  expect(await shown.evaluate((el) => el.children.length), "no elements inside the secret").toBe(0);
  // No pause before the flag: with no injected element on either page, nothing is left that
  // could run a handler later, so the flag can only have been set by something that already ran.
  for (const p of [page, recipient]) {
    await expect(p.locator('img[src="x"], svg[onload], body script:not([src])')).toHaveCount(0);
    expect(
      await p.evaluate(() => (window as unknown as { __pwned?: number }).__pwned),
    ).toBeUndefined();
  }
});
