import { buildShare, shareMetadata } from "../fixtures/shares.js";
import { expect, test } from "../fixtures/test.js";

const PREVIEW_BOTS = [
  "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
  "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
  "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
];

test("link-preview bots that run the page consume nothing", async ({ server, newVisitor }) => {
  const share = await buildShare(server, { text: "still here" });

  for (const userAgent of PREVIEW_BOTS) {
    const bot = await (await newVisitor({ userAgent })).newPage();
    const reveals: string[] = [];
    bot.on("request", (request) => {
      if (request.method() !== "GET") reveals.push(`${request.method()} ${request.url()}`);
    });
    await bot.goto(share.link, { waitUntil: "networkidle" });
    await expect(
      bot.getByRole("heading", { name: "Someone shared a secret with you" }),
    ).toBeVisible();
    expect(reveals, `${userAgent} sent no consuming request`).toEqual([]);
    await bot.context().close();
    // The server's word, not a pause: the view is still there after this bot.
    const meta = await shareMetadata(server, share.id);
    expect(meta.status).toBe(200);
    expect(meta.body).toMatchObject({ viewsRemaining: 1 });
  }

  const person = await (await newVisitor()).newPage();
  await person.goto(share.link);
  await person.getByRole("button", { name: "Reveal secret" }).click();
  await expect(person.getByTestId("secret-text")).toHaveText("still here");
});
