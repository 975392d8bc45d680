/**
 * Languages (issue 22, SPEC F17): the share → reveal flow in German, Japanese and Arabic, picked
 * by the browser's language and by the footer's picker; `<html lang dir>`, the choice kept
 * across a reload, axe clean, and screenshots of the public pages in Arabic and Japanese at
 * 1280 and 390 px (e2e/artifacts/screenshots/{desktop,mobile}-i18n-*.png), among them a request
 * answered in that language.
 */
import type { Page } from "@playwright/test";
import { seal, shareLink } from "@hushlink/protocol/client";

import { callApi, signUp } from "../fixtures/accounts.js";
import { expectAccessible, expectDrawnAfter, expectLanguage } from "../fixtures/checks.js";
import { expect, test } from "../fixtures/test.js";
import { checkBothWidths } from "../fixtures/widths.js";

interface Words {
  /** The browser's language tag. */
  browser: string;
  lang: string;
  dir: "ltr" | "rtl";
  /** The picker's option. */
  native: string;
  shareHeading: string;
  secretLabel: string;
  create: string;
  linkLabel: string;
  ready: string;
  viewHeading: string;
  reveal: string;
  revealed: string;
  lastView: string;
  /** The page that answers a request ("/r"): an anonymous request's heading, its button, and
   * the heading once the answer is sent. */
  requestHeading: string;
  send: string;
  sent: string;
}

const LANGUAGES: Words[] = [
  {
    browser: "de-DE",
    lang: "de",
    dir: "ltr",
    native: "Deutsch",
    shareHeading: "Ein Geheimnis teilen",
    secretLabel: "Geheimnis",
    create: "Geheimen Link erstellen",
    linkLabel: "Link zum Geheimnis",
    ready: "Ihr geheimer Link ist bereit",
    viewHeading: "Jemand hat ein Geheimnis mit Ihnen geteilt",
    reveal: "Geheimnis anzeigen",
    revealed: "Hier ist Ihr Geheimnis",
    lastView: "Das war der letzte Aufruf.",
    requestHeading: "Sie werden um ein Geheimnis gebeten",
    send: "Geheimnis senden",
    sent: "Gesendet",
  },
  {
    browser: "ja-JP",
    lang: "ja",
    dir: "ltr",
    native: "日本語",
    shareHeading: "シークレットを共有",
    secretLabel: "シークレット",
    create: "シークレットリンクを作成",
    linkLabel: "共有リンク",
    ready: "シークレットリンクの準備ができました",
    viewHeading: "シークレットが共有されました",
    reveal: "シークレットを表示",
    revealed: "シークレットはこちらです",
    lastView: "これが最後の閲覧でした。",
    requestHeading: "シークレットが求められています",
    send: "シークレットを送信",
    sent: "送信済み",
  },
  {
    browser: "ar-EG",
    lang: "ar",
    dir: "rtl",
    native: "العربية",
    shareHeading: "شارِك سرًّا",
    secretLabel: "السرّ",
    create: "إنشاء رابط السرّ",
    linkLabel: "رابط المشاركة",
    ready: "رابط سرّك جاهز",
    viewHeading: "شارك أحدهم سرًّا معك",
    reveal: "إظهار السرّ",
    revealed: "إليك سرّك",
    lastView: "كانت هذه آخر مشاهدة.",
    requestHeading: "طُلب منك سرّ",
    send: "إرسال السرّ",
    sent: "تم الإرسال",
  },
];

/** Creates a one-view share on "/" in the page's language; returns its link. */
async function createShare(page: Page, words: Words, secret: string): Promise<string> {
  await expect(page.getByRole("heading", { name: words.shareHeading })).toBeVisible();
  await page.getByLabel(words.secretLabel, { exact: true }).fill(secret);
  await page.getByRole("button", { name: words.create }).click();
  await expect(page.getByRole("heading", { name: words.ready })).toBeVisible();
  return page.getByLabel(words.linkLabel, { exact: true }).inputValue();
}

for (const words of LANGUAGES) {
  test(`share and reveal in ${words.lang}, from the browser's language`, async ({ newVisitor }) => {
    const sender = await (await newVisitor({ locale: words.browser })).newPage();
    await sender.goto("/");
    await expectLanguage(sender, words.lang, words.dir);
    await expectAccessible(sender, `/ in ${words.lang}`);
    const secret = `db password for ${words.lang}: Tr0ub4dor&3`;
    const link = await createShare(sender, words, secret);
    expect(link).toMatch(/\/s#[A-Za-z0-9_-]{43}$/);
    await expectAccessible(sender, `/ created, in ${words.lang}`);

    const recipient = await (await newVisitor({ locale: words.browser })).newPage();
    await recipient.goto(link);
    await expect(recipient.getByRole("heading", { name: words.viewHeading })).toBeVisible();
    await expectLanguage(recipient, words.lang, words.dir);
    expect(await recipient.title()).toContain(
      { de: "Geheimnis anzeigen", ja: "シークレットを表示", ar: "إظهار السرّ" }[words.lang] ?? "",
    );
    await expectAccessible(recipient, `/s in ${words.lang}`);
    await recipient.getByRole("button", { name: words.reveal }).click();
    await expect(recipient.getByRole("heading", { name: words.revealed })).toBeVisible();
    await expect(recipient.getByTestId("secret-text")).toHaveText(secret);
    // The secret reads left to right whatever the page's direction.
    await expect(recipient.getByTestId("secret-text")).toHaveAttribute("dir", "ltr");
    await expect(recipient.getByText(words.lastView)).toBeVisible();
    await expectAccessible(recipient, `/s revealed, in ${words.lang}`);
  });

  test(`${words.lang} picked in the footer, kept across a reload`, async ({ newVisitor }) => {
    const page = await (await newVisitor({ locale: "en-US" })).newPage();
    await page.goto("/");
    await expect(page.getByRole("heading", { name: "Share a secret" })).toBeVisible();
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await page.getByLabel("Language").selectOption({ label: words.native });
    await expect(page.getByRole("heading", { name: words.shareHeading })).toBeVisible();
    await expectLanguage(page, words.lang, words.dir);
    await page.reload();
    await expect(page.getByRole("heading", { name: words.shareHeading })).toBeVisible();
    await expectLanguage(page, words.lang, words.dir);

    // The reveal page of the same browser speaks it too, before and after Reveal.
    const link = await createShare(page, words, "picked in the footer");
    await page.goto(link);
    await expect(page.getByRole("heading", { name: words.viewHeading })).toBeVisible();
    await expectLanguage(page, words.lang, words.dir);
    await page.getByRole("button", { name: words.reveal }).click();
    await expect(page.getByTestId("secret-text")).toHaveText("picked in the footer");
  });
}

test("English stays the default for an English browser, and Portuguese maps to pt-BR", async ({
  newVisitor,
}) => {
  const english = await (await newVisitor({ locale: "en-US" })).newPage();
  await english.goto("/");
  await expect(english.getByRole("heading", { name: "Share a secret" })).toBeVisible();
  await expect(english.locator("html")).toHaveAttribute("dir", "ltr");

  const portuguese = await (await newVisitor({ locale: "pt-PT" })).newPage();
  await portuguese.goto("/");
  await expect(portuguese.getByRole("heading", { name: "Compartilhar um segredo" })).toBeVisible();
  await expect(portuguese.locator("html")).toHaveAttribute("lang", "pt-BR");
});

test("screenshots of the public pages in Arabic and Japanese at 1280 and 390 px", async ({
  newVisitor,
}) => {
  test.setTimeout(240_000);
  // A request to answer in each language, made in English (the request pages load every
  // catalog); a request takes one answer.
  const requester = await (await newVisitor()).newPage();
  async function makeRequest(): Promise<string> {
    await requester.goto("/request");
    await requester.getByLabel(/^What do you need\?/).fill("Deploy key");
    await requester.getByRole("button", { name: "Create request link" }).click();
    return requester.getByLabel("Request link", { exact: true }).inputValue();
  }

  for (const words of LANGUAGES.filter((w) => w.lang === "ar" || w.lang === "ja")) {
    const requestLink = await makeRequest();
    const page = await (await newVisitor({ locale: words.browser })).newPage();
    await page.goto("/");
    await expect(page.getByRole("heading", { name: words.shareHeading })).toBeVisible();
    await page.getByLabel(words.secretLabel, { exact: true }).fill("sk_live_51Hx7bLm2kQ0aTzY8wN3c");
    await checkBothWidths(page, `i18n-${words.lang}-share-form`);
    const link = await createShare(page, words, "sk_live_51Hx7bLm2kQ0aTzY8wN3c");
    await checkBothWidths(page, `i18n-${words.lang}-share-created`);

    await page.goto(link);
    await expect(page.getByRole("heading", { name: words.viewHeading })).toBeVisible();
    await checkBothWidths(page, `i18n-${words.lang}-view-ready`);
    await page.getByRole("button", { name: words.reveal }).click();
    await expect(page.getByRole("heading", { name: words.revealed })).toBeVisible();
    await page.getByTestId("secret-cover").click();
    await checkBothWidths(page, `i18n-${words.lang}-view-revealed`);

    await page.goto(requestLink);
    await expect(page.getByRole("heading", { name: words.requestHeading })).toBeVisible();
    await expectLanguage(page, words.lang, words.dir);
    // The requester's words, and the key's fingerprint (a code), stay as they are, left to right.
    await expect(page.getByTestId("request-name")).toHaveText("Deploy key");
    await expect(page.getByTestId("request-fingerprint")).toHaveCSS("direction", "ltr");
    await page.getByLabel(words.secretLabel, { exact: true }).fill("sk_live_51Hx7bLm2kQ0aTzY8wN3c");
    await checkBothWidths(page, `i18n-${words.lang}-request-answer`);
    await page.getByRole("button", { name: words.send }).click();
    await expect(page.getByRole("heading", { name: words.sent })).toBeFocused();
    await expectLanguage(page, words.lang, words.dir);
    await checkBothWidths(page, `i18n-${words.lang}-request-sent`);
  }
});

/**
 * The other public pages' headings, in the two languages whose screenshots we look at: sign-in,
 * sign-up, the password pages, e-mail confirmation and invitations (with tokens the server never
 * issued), and an unknown address.
 */
const OTHER_PAGES = {
  ar: {
    "/login": "تسجيل الدخول",
    "/signup": "إنشاء حساب",
    "/forgot-password": "أعد تعيين كلمة المرور",
    "/no-such-page": "الصفحة غير موجودة",
    "/reset-password#not-a-real-reset-token": "اختر كلمة مرور جديدة",
    "/reset-password": "رابط إعادة التعيين هذا لا يعمل",
    "/verify-email#not-a-real-confirmation-token": "رابط التأكيد هذا لا يعمل",
    "/invitations/not-a-real-invitation": "هذه الدعوة لا تعمل",
  },
  ja: {
    "/login": "サインイン",
    "/signup": "アカウントを作成",
    "/forgot-password": "パスワードをリセット",
    "/no-such-page": "ページが見つかりません",
    "/reset-password#not-a-real-reset-token": "新しいパスワードを設定",
    "/reset-password": "このリセット用リンクは使用できません",
    "/verify-email#not-a-real-confirmation-token": "この確認リンクは使用できません",
    "/invitations/not-a-real-invitation": "この招待は使用できません",
  },
} as const;
const NO_SUCH_LINK = { ar: "هذا الرابط غير موجود", ja: "このリンクは存在しません" } as const;

test("screenshots of the account, invitation, not-found and unknown-link pages in Arabic and Japanese", async ({
  newVisitor,
  baseURL,
}) => {
  test.setTimeout(240_000);
  // A well-formed link whose share the server never had.
  const unknownLink = shareLink(baseURL ?? "", (await seal("never stored")).linkSecret);
  for (const words of LANGUAGES.filter((w) => w.lang === "ar" || w.lang === "ja")) {
    const lang = words.lang as "ar" | "ja";
    const page = await (await newVisitor({ locale: words.browser })).newPage();
    for (const [path, heading] of Object.entries(OTHER_PAGES[lang])) {
      await page.goto(path);
      await expect(page.getByRole("heading", { name: heading, level: 1 })).toBeVisible();
      await expectLanguage(page, words.lang, words.dir);
      await checkBothWidths(page, `i18n-${lang}${path.replace(/[^a-z]+/g, "-")}`);
    }
    await page.goto(unknownLink);
    await expect(page.getByRole("heading", { name: NO_SUCH_LINK[lang] })).toBeVisible();
    await expectLanguage(page, words.lang, words.dir);
    await checkBothWidths(page, `i18n-${lang}-view-unknown-link`);
  }
});

test("a name and an address inside the Arabic share form keep their own order", async ({
  newVisitor,
}) => {
  // "Sent by Dana R. of …" in Arabic drew the name's full stop on the far side of the name
  // (".Dana R"): a value that ends in punctuation took the sentence's direction. Names and
  // addresses are isolated (<bdi>, the .ltr class), as elsewhere since issue 22.
  const context = await newVisitor({ viewport: { width: 360, height: 800 } });
  const account = await signUp(context, { label: "rtl-address", name: "Dana R." });
  expect((await callApi(context, "PATCH", "/api/v1/auth/me", { locale: "ar" })).status).toBe(200);
  const page = await context.newPage();
  await page.goto("/");
  await expectLanguage(page, "ar", "rtl");

  const sender = page.locator('[id$="-sender-hint"]');
  await expect(sender).toBeVisible();
  // Where the name's "R" and its full stop are drawn: left to right, the stop comes after.
  await expectDrawnAfter(sender, "Dana R.", 6);

  const address = page.locator(".check__hint .ltr", { hasText: account.email });
  await expect(address).toHaveText(account.email);
  await expect(address).toHaveCSS("unicode-bidi", "isolate");
  await checkBothWidths(page, "i18n-ar-share-form-signed-in");
});
