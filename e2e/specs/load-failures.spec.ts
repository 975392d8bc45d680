/**
 * What a first-time visitor sees when the server cannot be reached or answers something that is
 * not Hushlink's JSON (a proxy's 502 page), on the share link's first load and on the share form.
 */
import type { Route } from "@playwright/test";

import { buildShare } from "../fixtures/shares.js";
import { expect, test } from "../fixtures/test.js";

const METADATA = /\/api\/v1\/shares\/[A-Za-z0-9_-]+$/;

const failures: {
  name: string;
  answer: (route: Route) => Promise<void>;
  en: string;
  de: string;
}[] = [
  {
    name: "no answer",
    answer: (route) => route.abort("connectionrefused"),
    en: "The server could not be reached. Check your connection and try again.",
    de: "Der Server ist nicht erreichbar. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.",
  },
  {
    name: "a proxy's HTML 502",
    answer: (route) =>
      route.fulfill({ status: 502, contentType: "text/html", body: "<h1>Bad Gateway</h1>" }),
    en: "The server gave an unexpected answer. Try again.",
    de: "Der Server hat unerwartet geantwortet. Versuchen Sie es erneut.",
  },
];

for (const failure of failures) {
  // The metadata request starts before the page's catalogs have arrived (boot/early-start.ts):
  // its failure was worded then, and the page showed the message's id ("q8wOXq").
  test(`a link whose metadata request fails (${failure.name}) says so in words, and Try again opens it`, async ({
    page,
    server,
  }) => {
    const share = await buildShare(server, { text: "after the outage" });
    await page.route(METADATA, failure.answer);
    await page.goto(share.link);
    await expect(
      page.getByRole("heading", { name: "The secret could not be loaded" }),
    ).toBeVisible();
    await expect(page.getByText(failure.en)).toBeVisible();

    await page.unroute(METADATA);
    await page.getByRole("button", { name: "Try again" }).click();
    await page.getByRole("button", { name: "Reveal secret" }).click();
    await expect(page.getByTestId("secret-text")).toHaveText("after the outage");
  });

  test(`in German, a failed metadata request (${failure.name}) is worded in German`, async ({
    newVisitor,
    server,
  }) => {
    const share = await buildShare(server);
    const page = await (await newVisitor({ locale: "de-DE" })).newPage();
    await page.route(METADATA, failure.answer);
    await page.goto(share.link);
    await expect(page.locator("html")).toHaveAttribute("lang", "de");
    await expect(page.getByText(failure.de)).toBeVisible();
  });
}

test("a share sent with the keyboard keeps the focus on its button while busy and after a failure", async ({
  page,
}) => {
  let creates = 0;
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(/\/api\/v1\/shares$/, async (route) => {
    if (route.request().method() !== "POST") return route.continue();
    creates += 1;
    await held;
    await route.abort("connectionrefused");
  });
  await page.goto("/");
  await page.getByLabel("Secret", { exact: true }).fill("sent while the server is away");
  const submit = page.getByRole("button", { name: "Create secret link" });
  await submit.focus();
  await page.keyboard.press("Enter");

  // Busy: the button says so, keeps the focus (a disabled button dropped it to <body>, and the
  // next Tab started again at the top of the page) and does not send twice.
  const busy = page.getByRole("button", { name: "Saving…" });
  await expect(busy).toBeFocused();
  await expect(busy).toBeDisabled();
  await page.keyboard.press("Enter");
  await page.keyboard.press("Space");
  await busy.click({ force: true });
  expect(creates).toBe(1);

  release();
  await expect(page.getByRole("alert")).toHaveText(
    "The server could not be reached. Check your connection and try again.",
  );
  await expect(submit).toBeFocused();
  await expect(submit).toBeEnabled();
  // Shift+Tab goes back to the field before the button, not from the end of the page.
  await page.keyboard.press("Shift+Tab");
  await expect(page.getByLabel("Max views")).toBeFocused();
  expect(creates).toBe(1);
});
