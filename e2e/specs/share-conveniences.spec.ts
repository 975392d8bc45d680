/**
 * What people expect of the share form (issue 25): a password generator, a message to the
 * recipient inside the encrypted payload, custom expiry and view count, the system share sheet,
 * and no "scan to open on a phone" QR code on a phone. Each at 1280 and 390 px with axe.
 */
import type { Request } from "@playwright/test";

import { expectDrawnAfter } from "../fixtures/checks.js";
import { signUpAdmin } from "../fixtures/org-admin.js";
import { buildShare } from "../fixtures/shares.js";
import { expect, test } from "../fixtures/test.js";
import { checkBothWidths } from "../fixtures/widths.js";

function createBody(request: Request): Record<string, unknown> {
  return request.postDataJSON() as Record<string, unknown>;
}

test("password generator: length, character sets, copy, use as the secret", async ({
  page,
  context,
}) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  // Count draws from the Web Crypto random source, to see the generator uses it.
  await page.addInitScript(() => {
    const original = crypto.getRandomValues.bind(crypto);
    const counter = window as unknown as { __draws: number };
    counter.__draws = 0;
    crypto.getRandomValues = ((array: Uint8Array<ArrayBuffer>) => {
      counter.__draws++;
      return original(array);
    }) as typeof crypto.getRandomValues;
  });
  await page.goto("/");
  const toggle = page.getByRole("button", { name: "Generate a password" });
  await expect(toggle).toHaveAttribute("aria-expanded", "false");
  await toggle.click();
  await expect(page.getByRole("button", { name: "Close the password generator" })).toHaveAttribute(
    "aria-expanded",
    "true",
  );

  const generated = page.getByLabel("Generated password", { exact: true });
  const first = await generated.inputValue();
  expect(first).toHaveLength(20);
  expect(first).toMatch(/[a-z]/);
  expect(first).toMatch(/[A-Z]/);
  expect(first).toMatch(/[0-9]/);
  expect(first).toMatch(/[^a-zA-Z0-9]/);
  await checkBothWidths(page, "generator-open");

  const draws = await page.evaluate(() => (window as unknown as { __draws: number }).__draws);
  await page.getByLabel("Length").fill("32");
  await page.getByLabel("Symbols (!#$…)").uncheck();
  const second = await generated.inputValue();
  expect(second).toMatch(/^[a-zA-Z0-9]{32}$/);
  expect(
    await page.evaluate(() => (window as unknown as { __draws: number }).__draws),
  ).toBeGreaterThan(draws);

  await page.getByRole("button", { name: "New password" }).click();
  const third = await generated.inputValue();
  expect(third).toMatch(/^[a-zA-Z0-9]{32}$/);
  expect(third).not.toBe(second);

  await page.getByRole("button", { name: "Copy generated password" }).click();
  await expect(page.getByRole("button", { name: "Copied" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(third);

  // Enter in the length field does not submit the share form.
  await page.getByLabel("Length").press("Enter");
  await expect(page.getByRole("heading", { name: "Share a secret" })).toBeVisible();

  await page.getByRole("button", { name: "Use as the secret" }).click();
  await expect(page.getByLabel("Secret", { exact: true })).toHaveValue(third);
  await expect(page.getByLabel("Secret", { exact: true })).toBeFocused();

  for (const set of ["Lower case (a–z)", "Upper case (A–Z)", "Digits (0–9)"]) {
    await page.getByLabel(set).uncheck();
  }
  await expect(page.getByRole("alert")).toHaveText("Choose at least one kind of character.");
  await expect(page.getByRole("button", { name: "Use as the secret" })).toBeDisabled();
  await checkBothWidths(page, "generator-no-sets");
});

test("a message to the recipient travels encrypted and shows above the secret after Reveal", async ({
  page,
  newVisitor,
}) => {
  const note = "The staging database.\nRotate it after Friday's migration.";
  await page.goto("/");
  await page.getByLabel("Secret", { exact: true }).fill("pg-staging-pw-81");
  await page.getByLabel(/^Message to the recipient/).fill(note);
  const create = page.waitForRequest(
    (r) => r.method() === "POST" && r.url().endsWith("/api/v1/shares"),
  );
  await page.getByRole("button", { name: "Create secret link" }).click();
  const body = createBody(await create);
  expect(JSON.stringify(body)).not.toContain("staging");
  expect(JSON.stringify(body)).not.toContain("Rotate");
  const link = await page.getByLabel("Share link", { exact: true }).inputValue();

  const recipient = await (await newVisitor()).newPage();
  await recipient.goto(link);
  await expect(recipient.getByRole("button", { name: "Reveal secret" })).toBeVisible();
  await expect(recipient.getByText("Rotate it after")).toHaveCount(0);
  await recipient.getByRole("button", { name: "Reveal secret" }).click();
  const shown = recipient.getByTestId("sender-note");
  await expect(shown).toContainText("Message from the sender");
  await expect(shown.locator(".sender-note__text")).toHaveText(note);
  const noteBox = await shown.boundingBox();
  const secretBox = await recipient.locator(".secret").boundingBox();
  expect(noteBox!.y + noteBox!.height).toBeLessThanOrEqual(secretBox!.y);
  await checkBothWidths(recipient, "note-revealed");
});

test("a note made by another client (the API) shows too; a share without one shows none", async ({
  page,
  server,
}) => {
  const withNote = await buildShare(server, { text: "x", note: "<b>not bold</b>" });
  await page.goto(withNote.link);
  await page.getByRole("button", { name: "Reveal secret" }).click();
  await expect(page.locator(".sender-note__text")).toHaveText("<b>not bold</b>");
  await expect(page.locator(".sender-note b")).toHaveCount(0);

  const without = await buildShare(server, { text: "y" });
  await page.goto(without.link);
  await page.reload();
  await page.getByRole("button", { name: "Reveal secret" }).click();
  await expect(page.getByTestId("secret-text")).toHaveText("y");
  await expect(page.getByTestId("sender-note")).toHaveCount(0);
});

test("custom expiry (date and time) and custom view count, within the server's limits", async ({
  page,
}) => {
  await page.goto("/");
  await page.getByLabel("Secret", { exact: true }).fill("custom limits");
  await page.getByLabel("Expires in").selectOption({ label: "Pick a date and time…" });
  await page.getByLabel("Max views").selectOption({ label: "Another number…" });
  const when = page.getByLabel("Expires on");
  const views = page.getByLabel("Number of views");
  await expect(when).toBeVisible();
  await expect(when).toHaveAttribute("max", /^\d{4}-\d\d-\d\dT\d\d:\d\d$/);
  await checkBothWidths(page, "custom-limits");

  // Beyond the server's 30 days: refused in the page, nothing sent.
  const posts: string[] = [];
  page.on("request", (r) => {
    if (r.method() === "POST") posts.push(r.url());
  });
  const tooLate = await page.evaluate(() => {
    const d = new Date(Date.now() + 40 * 86_400_000);
    const p = (n: number) => String(n).padStart(2, "0");
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T10:00`;
  });
  await when.fill(tooLate);
  await views.fill("7");
  await page.getByRole("button", { name: "Create secret link" }).click();
  await expect(page.getByRole("alert")).toContainText("Pick a time no later than");
  await expect(when).toBeFocused();
  await checkBothWidths(page, "custom-limits-error");

  const inThreeDays = await page.evaluate(() => {
    const d = new Date(Date.now() + 3 * 86_400_000);
    const p = (n: number) => String(n).padStart(2, "0");
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
  });
  await when.fill(inThreeDays);
  await views.fill("1001");
  await page.getByRole("button", { name: "Create secret link" }).click();
  await expect(page.getByRole("alert")).toContainText("At most 1000 views");
  expect(posts).toEqual([]);

  await views.fill("7");
  const create = page.waitForRequest(
    (r) => r.method() === "POST" && r.url().endsWith("/api/v1/shares"),
  );
  await page.getByRole("button", { name: "Create secret link" }).click();
  const body = createBody(await create);
  expect(body.maxViews).toBe(7);
  // Three days less the seconds since the minute began and since the page computed it.
  expect(body.expiresIn).toBeGreaterThan(3 * 86400 - 120);
  expect(body.expiresIn).toBeLessThanOrEqual(3 * 86400);
  await expect(page.getByText("Expires in 3 days or after 7 views")).toBeVisible();
});

test("the system share sheet is offered beside Copy where the browser has one", async ({
  page,
  newVisitor,
}) => {
  // Chromium on Linux has no share sheet: without it the button is absent.
  await page.goto("/");
  await page.getByLabel("Secret", { exact: true }).fill("no sheet here");
  await page.getByRole("button", { name: "Create secret link" }).click();
  await expect(page.getByRole("button", { name: "Copy share link" })).toBeVisible();
  const hasShare = await page.evaluate(() => typeof navigator.share === "function");
  await expect(page.getByRole("button", { name: "Share the link…" })).toHaveCount(hasShare ? 1 : 0);

  // A browser with one (as phones have): the sheet receives the link, and nothing else.
  const phone = await (
    await newVisitor({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })
  ).newPage();
  await phone.addInitScript(() => {
    const calls: ShareData[] = [];
    (window as unknown as { __shared: ShareData[] }).__shared = calls;
    Object.defineProperty(navigator, "share", {
      configurable: true,
      value: (data: ShareData) => {
        calls.push(data);
        return Promise.resolve();
      },
    });
    Object.defineProperty(navigator, "canShare", { configurable: true, value: () => true });
  });
  await phone.goto("/");
  await phone.getByLabel("Secret", { exact: true }).fill("sheet please");
  await phone.getByRole("button", { name: "Create secret link" }).click();
  const link = await phone.getByLabel("Share link", { exact: true }).inputValue();
  await phone.getByRole("button", { name: "Share the link…" }).click();
  const shared = await phone.evaluate(
    () => (window as unknown as { __shared: ShareData[] }).__shared,
  );
  expect(shared).toEqual([{ url: link, title: "A secret for you" }]);
  await checkBothWidths(phone, "share-sheet");
});

test("no “scan to open on a phone” QR code when already on a phone", async ({
  page,
  newVisitor,
}) => {
  await page.goto("/");
  await page.getByLabel("Secret", { exact: true }).fill("qr on desktop");
  await page.getByRole("button", { name: "Create secret link" }).click();
  await expect(page.getByRole("img", { name: "QR code of the share link" })).toBeVisible();
  await expect(page.getByText("Scan to open on a phone")).toBeVisible();

  const phone = await (
    await newVisitor({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })
  ).newPage();
  await phone.goto("/");
  await phone.getByLabel("Secret", { exact: true }).fill("qr on a phone");
  await phone.getByRole("button", { name: "Create secret link" }).click();
  await expect(phone.getByRole("heading", { name: "Your secret link is ready" })).toBeVisible();
  await expect(phone.getByRole("img", { name: "QR code of the share link" })).toHaveCount(0);
  await expect(phone.getByText("Scan to open on a phone")).toHaveCount(0);
  await checkBothWidths(phone, "created-on-phone");
});

test("the sender's name and organization show before Reveal, unless the sender turned it off", async ({
  page,
  newVisitor,
}) => {
  const admin = await signUpAdmin(page, "Dana Ruiz");
  await page.goto("/");
  const option = page.getByLabel("Show my name and organization to the recipient");
  await expect(option).toBeChecked();
  await page.getByLabel("Secret", { exact: true }).fill("from a real colleague");
  await page.getByRole("button", { name: "Create secret link" }).click();
  const link = await page.getByLabel("Share link", { exact: true }).inputValue();

  const recipient = await (await newVisitor()).newPage();
  await recipient.goto(link);
  await expect(recipient.getByRole("button", { name: "Reveal secret" })).toBeVisible();
  await expect(recipient.getByTestId("sent-by")).toHaveText(
    `Sent by Dana Ruiz of ${admin.orgName}`,
  );
  await checkBothWidths(recipient, "sent-by");

  await page.getByRole("button", { name: "Share another secret" }).click();
  await page.getByLabel("Secret", { exact: true }).fill("anonymous-looking");
  await page.getByLabel("Show my name and organization to the recipient").uncheck();
  await page.getByRole("button", { name: "Create secret link" }).click();
  const quiet = await page.getByLabel("Share link", { exact: true }).inputValue();
  await recipient.goto(quiet);
  await recipient.reload();
  await expect(recipient.getByRole("button", { name: "Reveal secret" })).toBeVisible();
  await expect(recipient.getByTestId("sent-by")).toHaveCount(0);
  await expect(recipient.getByText("Dana Ruiz")).toHaveCount(0);
});

test("in Arabic, a sender's name that ends in a full stop keeps it at its end", async ({
  page,
  newVisitor,
}) => {
  // "Sent by Dana R. of …" drew the full stop on the far side of the name (".Dana R"): a
  // name's trailing punctuation took the right-to-left sentence's direction.
  await signUpAdmin(page, "Dana R.");
  await page.goto("/");
  await page.getByLabel("Secret", { exact: true }).fill("from a real colleague");
  await page.getByRole("button", { name: "Create secret link" }).click();
  const link = await page.getByLabel("Share link", { exact: true }).inputValue();

  const recipient = await (await newVisitor({ locale: "ar" })).newPage();
  await recipient.goto(link);
  const sentBy = recipient.getByTestId("sent-by");
  await expect(sentBy).toContainText("Dana R.");
  await expect(recipient.locator("html")).toHaveAttribute("dir", "rtl");
  await expectDrawnAfter(sentBy, "Dana R.", 6);
  await checkBothWidths(recipient, "sent-by-ar");
});
