/**
 * The revealed secret (issue 25): hidden until clicked (screen sharing), a copy that clears the
 * clipboard a minute later, and an on/off switch that shows its state. 1280 and 390 px, axe.
 */
import { buildShare } from "../fixtures/shares.js";
import { expect, test } from "../fixtures/test.js";
import { checkBothWidths } from "../fixtures/widths.js";

test("after Reveal the secret stays hidden until clicked, and can be hidden again", async ({
  page,
  server,
}) => {
  const share = await buildShare(server, { text: "hunter2-on-a-shared-screen" });
  await page.goto(share.link);
  await page.getByRole("button", { name: "Reveal secret" }).click();
  const text = page.getByTestId("secret-text");
  await expect(page.getByRole("heading", { name: "Here is your secret" })).toBeVisible();
  await expect(text).toBeHidden();
  // Not painted: what a screen share sees has no secret in it.
  expect(await text.evaluate((el) => getComputedStyle(el).visibility)).toBe("hidden");
  await expect(page.getByText("hunter2-on-a-shared-screen")).toBeHidden();
  await checkBothWidths(page, "revealed-hidden");

  await page.getByRole("button", { name: /Show the secret/ }).click();
  await expect(text).toBeVisible();
  await expect(text).toHaveText("hunter2-on-a-shared-screen");
  await expect(page.getByRole("button", { name: "Hide" })).toHaveAttribute("aria-pressed", "true");
  await checkBothWidths(page, "revealed-shown");

  await page.getByRole("button", { name: "Hide" }).click();
  await expect(text).toBeHidden();
});

test("Copy puts the secret on the clipboard and clears it a minute later", async ({
  page,
  context,
  server,
}) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.clock.install();
  const share = await buildShare(server, { text: "clear-me-in-60s", maxViews: 2 });
  await page.goto(share.link);
  await page.getByRole("button", { name: "Reveal secret" }).click();

  // Copying works while the secret is hidden.
  await page.getByRole("button", { name: "Copy secret" }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe("clear-me-in-60s");
  await expect(page.getByTestId("clipboard-note")).toHaveText(
    "Copied. The clipboard will be cleared in a minute.",
  );
  await checkBothWidths(page, "copied-clears-soon");

  // The installed clock also runs on its own; the checks above take well under 15 s of it.
  await page.clock.fastForward(45_000);
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe("clear-me-in-60s");
  await page.clock.fastForward(16_000);
  await expect(page.getByTestId("clipboard-note")).toHaveText("The clipboard was cleared.");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe("");

  // Something copied since is left alone.
  await page.getByRole("button", { name: "Copy secret" }).click();
  await page.evaluate(() => navigator.clipboard.writeText("the user's own text"));
  await page.clock.fastForward(61_000);
  await expect(page.getByTestId("clipboard-note")).toHaveText(
    "Something else was copied since, so the clipboard was left alone.",
  );
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe("the user's own text");
});

test("“Wrap lines” is a switch that shows whether it is on or off", async ({ page, server }) => {
  const share = await buildShare(server, { text: `${"long-line-".repeat(40)}end` });
  await page.goto(share.link);
  await page.getByRole("button", { name: "Reveal secret" }).click();
  await page.getByRole("button", { name: /Show the secret/ }).click();
  const wrap = page.getByRole("switch", { name: "Wrap lines" });
  await expect(wrap).toHaveAttribute("aria-checked", "true");
  await expect(wrap).toContainText("On");
  const text = page.getByTestId("secret-text");
  expect(await text.evaluate((el) => getComputedStyle(el).whiteSpace)).toBe("pre-wrap");
  const knobOn = await wrap.locator(".switch__knob").boundingBox();
  await checkBothWidths(page, "wrap-on");

  await wrap.click();
  await expect(wrap).toHaveAttribute("aria-checked", "false");
  await expect(wrap).toContainText("Off");
  expect(await text.evaluate((el) => getComputedStyle(el).whiteSpace)).toBe("pre");
  // The knob moves: the state shows in its position, not only in a shade.
  await expect
    .poll(async () => knobOn!.x - (await wrap.locator(".switch__knob").boundingBox())!.x)
    .toBeGreaterThan(10);
  await checkBothWidths(page, "wrap-off");
});
