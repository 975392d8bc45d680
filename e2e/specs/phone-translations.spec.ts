/**
 * Signed-in pages at 390 px in the languages whose words run longest: a button's label wraps
 * inside the page instead of pushing it sideways (French, Polish and Spanish "Set up an
 * authenticator app" ran 7 to 80 px past the edge; the French header's "Tableau de bord" pushed
 * the account menu 1 px out on every signed-in page).
 */
import type { Page } from "@playwright/test";

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

/**
 * The four pages a phone user meets most, at 390 px, in the five languages reviewed last
 * (fr, es, it, nl, zh-Hans): the share form with a file chosen, the reveal page after Reveal
 * with that file, the dashboard once the link was viewed, and a request to answer. Each fits the
 * width, no button runs past the edge or clips its label, and the words follow the language's
 * punctuation: French puts a no-break space before : ; ? ! (a plain one let "?" start a line),
 * Chinese writes full-width marks (the dashboard's "最近查看:" and "要删除此机密吗?" were ASCII).
 * Screenshots: e2e/artifacts/screenshots/desktop-phone-{share,view,dashboard,request}-<lang>.png.
 */
interface Words {
  locale: string;
  browser: string;
  shareHeading: string;
  secretLabel: string;
  create: string;
  ready: string;
  linkLabel: string;
  viewHeading: string;
  reveal: string;
  revealed: string;
  download: string;
  requestHeading: string;
  /** Matches the page's text where it breaks the language's punctuation. */
  wrongPunctuation?: RegExp;
}

const FIVE: Words[] = [
  {
    locale: "fr",
    browser: "fr-FR",
    shareHeading: "Partager un secret",
    secretLabel: "Secret",
    create: "Créer le lien secret",
    ready: "Votre lien secret est prêt",
    linkLabel: "Lien de partage",
    viewHeading: "Quelqu’un a partagé un secret avec vous",
    reveal: "Révéler le secret",
    revealed: "Voici votre secret",
    download: "Télécharger",
    requestHeading: "On vous demande un secret",
    wrongPunctuation: / [:;?!»]|« |\p{L}'\p{L}/u,
  },
  {
    locale: "es",
    browser: "es-ES",
    shareHeading: "Compartir un secreto",
    secretLabel: "Secreto",
    create: "Crear enlace secreto",
    ready: "Tu enlace secreto está listo",
    linkLabel: "Enlace para compartir",
    viewHeading: "Alguien compartió un secreto contigo",
    reveal: "Revelar el secreto",
    revealed: "Aquí está tu secreto",
    download: "Descargar",
    requestHeading: "Te piden un secreto",
  },
  {
    locale: "it",
    browser: "it-IT",
    shareHeading: "Condividi un segreto",
    secretLabel: "Segreto",
    create: "Crea link segreto",
    ready: "Il tuo link segreto è pronto",
    linkLabel: "Link di condivisione",
    viewHeading: "Qualcuno ha condiviso un segreto con te",
    reveal: "Rivela il segreto",
    revealed: "Ecco il tuo segreto",
    download: "Scarica",
    requestHeading: "Ti viene chiesto un segreto",
  },
  {
    locale: "nl",
    browser: "nl-NL",
    shareHeading: "Een geheim delen",
    secretLabel: "Geheim",
    create: "Geheime link maken",
    ready: "Je geheime link is klaar",
    linkLabel: "Deellink",
    viewHeading: "Iemand heeft een geheim met je gedeeld",
    reveal: "Geheim onthullen",
    revealed: "Hier is je geheim",
    download: "Downloaden",
    requestHeading: "Er wordt je om een geheim gevraagd",
  },
  {
    locale: "zh-Hans",
    browser: "zh-CN",
    shareHeading: "分享机密",
    secretLabel: "机密",
    create: "创建机密链接",
    ready: "您的机密链接已就绪",
    linkLabel: "分享链接",
    viewHeading: "有人与您分享了一个机密",
    reveal: "显示机密",
    revealed: "这是您的机密",
    download: "下载",
    requestHeading: "有人请您提供一项机密",
    wrongPunctuation: /\p{Script=Han}[,;:?!()]|[,;:?!(]\s*\p{Script=Han}/u,
  },
];

/** Fits 390 px: no sideways scroll, every button inside the page and its label unclipped. */
async function expectFits(page: Page, words: Words, state: string): Promise<void> {
  await expectNoHorizontalScroll(page, `${state} in ${words.locale}`);
  const width = page.viewportSize()?.width ?? 0;
  const buttons = await page.locator("button:visible").evaluateAll((all) =>
    all.map((button) => {
      const box = button.getBoundingClientRect();
      return {
        label: (button.textContent ?? "").trim(),
        start: box.left,
        end: box.right,
        clipped: button.scrollWidth > button.clientWidth + 1,
      };
    }),
  );
  for (const button of buttons.filter((b) => b.end - b.start > 1)) {
    expect(button.start, `"${button.label}" starts inside ${state}`).toBeGreaterThanOrEqual(0);
    expect(button.end, `"${button.label}" ends inside ${state}`).toBeLessThanOrEqual(width);
    expect(button.clipped, `"${button.label}" is clipped on ${state}`).toBe(false);
  }
  // A placeholder is an example: cut off at the edge it reads as a sentence missing its end.
  const placeholders = await page.locator("input[placeholder]:visible").evaluateAll((all) =>
    all.map((input) => {
      const style = getComputedStyle(input);
      const context = document.createElement("canvas").getContext("2d");
      if (context) context.font = style.font;
      const room =
        input.clientWidth -
        parseFloat(style.paddingInlineStart) -
        parseFloat(style.paddingInlineEnd);
      const text = (input as HTMLInputElement).placeholder;
      return { text, fits: (context?.measureText(text).width ?? 0) <= room };
    }),
  );
  for (const placeholder of placeholders)
    expect(placeholder.fits, `placeholder "${placeholder.text}" fits on ${state}`).toBe(true);
  if (words.wrongPunctuation) {
    const text = await page.locator("body").innerText();
    expect(text.match(words.wrongPunctuation)?.[0] ?? null, `punctuation on ${state}`).toBeNull();
  }
}

for (const words of FIVE) {
  test(`share form, reveal with a file, dashboard and a request fit 390 px in ${words.locale}`, async ({
    newVisitor,
  }, testInfo) => {
    test.setTimeout(180_000);
    // A request to answer, made in English (the request pages load every catalog).
    const requester = await (await newVisitor()).newPage();
    await requester.goto("/request");
    await requester.getByLabel(/^What do you need\?/).fill("Deploy key");
    await requester.getByRole("button", { name: "Create request link" }).click();
    const requestLink = await requester.getByLabel("Request link", { exact: true }).inputValue();

    const context = await newVisitor({ ...PHONE, locale: words.browser });
    await signUp(context, { label: `phone-five-${words.locale}` });
    expect(
      (await callApi(context, "PATCH", "/api/v1/auth/me", { locale: words.locale })).status,
    ).toBe(200);
    const page = await context.newPage();
    await page.goto("/");
    await expect(page.getByRole("heading", { name: words.shareHeading })).toBeVisible();
    await expect(page.locator("html")).toHaveAttribute("lang", words.locale);
    await page.getByLabel(words.secretLabel, { exact: true }).fill("sk_live_51Hx7bLm2kQ0aTzY8wN3c");
    await page.locator('input[type="file"]').setInputFiles({
      name: "rapport-trimestriel-2026.pdf",
      mimeType: "application/pdf",
      buffer: Buffer.alloc(180_000, 7),
    });
    await expectFits(page, words, "the share form");
    await screenshot(page, testInfo, `phone-share-${words.locale}`);
    await page.getByRole("button", { name: words.create }).click();
    await expect(page.getByRole("heading", { name: words.ready })).toBeVisible({
      timeout: 30_000,
    });
    const link = await page.getByLabel(words.linkLabel, { exact: true }).inputValue();

    const recipient = await (await newVisitor({ ...PHONE, locale: words.browser })).newPage();
    await recipient.goto(link);
    await expect(recipient.getByRole("heading", { name: words.viewHeading })).toBeVisible();
    await recipient.getByRole("button", { name: words.reveal }).click();
    await expect(recipient.getByRole("heading", { name: words.revealed })).toBeVisible();
    await expect(
      recipient
        .getByTestId("revealed-file")
        .getByRole("button", { name: new RegExp(`^${words.download}`) }),
    ).toBeVisible();
    await expectFits(recipient, words, "the reveal page");
    await screenshot(recipient, testInfo, `phone-view-${words.locale}`);

    // The dashboard's row of that share, now viewed, with its file ("1 file, 176 kB").
    await page.goto("/app");
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expect(page.getByTestId("share-files")).toBeVisible();
    await expectFits(page, words, "the dashboard");
    await screenshot(page, testInfo, `phone-dashboard-${words.locale}`);

    const answering = await (await newVisitor({ ...PHONE, locale: words.browser })).newPage();
    await answering.goto(requestLink);
    await expect(answering.getByRole("heading", { name: words.requestHeading })).toBeVisible();
    await answering.getByLabel(words.secretLabel, { exact: true }).fill("deploy-key-ed25519");
    await expectFits(answering, words, "the request page");
    await screenshot(answering, testInfo, `phone-request-${words.locale}`);
  });
}
