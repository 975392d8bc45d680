/**
 * What a first-time visitor sees when the server cannot be reached or answers something that is
 * not Hushlink's JSON (a proxy's 502 page), on the share link's first load.
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
