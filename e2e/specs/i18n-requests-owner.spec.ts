/**
 * Languages on the requester's side of requests (issue 22, SPEC F13 and F17): /request and the
 * created request, then the reading link's page, in Japanese and Arabic picked by the browser's
 * language; `<html lang dir>`, the links left to right in Arabic, axe clean and no sideways
 * scroll, with screenshots at 1280 and 390 px
 * (e2e/artifacts/screenshots/{desktop,mobile}-i18n-{ja,ar}-request-*.png).
 */

import { expectLanguage } from "../fixtures/checks.js";
import { expect, test } from "../fixtures/test.js";
import { checkBothWidths } from "../fixtures/widths.js";

interface Words {
  browser: string;
  lang: string;
  dir: "ltr" | "rtl";
  heading: string;
  title: string;
  name: RegExp;
  create: string;
  created: string;
  createdTitle: string;
  requestLink: string;
  readingLink: string;
  kept: string;
  open: string;
  noAnswer: string;
}

const NAME = "Deploy key";

const LANGUAGES: Words[] = [
  {
    browser: "ja-JP",
    lang: "ja",
    dir: "ltr",
    heading: "シークレットをリクエスト",
    title: "シークレットをリクエスト · Hushlink",
    name: /^何が必要ですか？/,
    create: "リクエストリンクを作成",
    created: `「${NAME}」のリクエストリンク`,
    createdTitle: "作成したリクエストリンク · Hushlink",
    requestLink: "リクエストリンク",
    readingLink: "読み取りリンク",
    kept: "このブラウザーにも読み取りキーが保存されます。",
    open: "回答を開く",
    noAnswer: "まだ回答はありません",
  },
  {
    browser: "ar-EG",
    lang: "ar",
    dir: "rtl",
    heading: "طلب سرّ",
    title: "طلب سرّ · Hushlink",
    name: /^ماذا تحتاج؟/,
    create: "إنشاء رابط الطلب",
    created: `رابط الطلب لـ«${NAME}»`,
    createdTitle: "رابط طلبك · Hushlink",
    requestLink: "رابط الطلب",
    readingLink: "رابط القراءة",
    kept: "يحتفظ هذا المتصفح أيضًا بمفتاح القراءة.",
    open: "فتح الرد",
    noAnswer: "لا يوجد رد بعد",
  },
];

for (const words of LANGUAGES) {
  test(`a request asked for and opened in ${words.lang}, at 1280 and 390 px`, async ({
    newVisitor,
  }) => {
    test.setTimeout(180_000);
    const page = await (await newVisitor({ locale: words.browser })).newPage();
    await page.goto("/request");
    await expect(page.getByRole("heading", { name: words.heading, level: 1 })).toBeVisible();
    await expectLanguage(page, words.lang, words.dir);
    await expect(page).toHaveTitle(words.title);
    await page.getByLabel(words.name).fill(NAME);
    await checkBothWidths(page, `i18n-${words.lang}-request-new`);

    await page.getByRole("button", { name: words.create }).click();
    await expect(page.getByRole("heading", { name: words.created, level: 1 })).toBeFocused();
    await expect(page).toHaveTitle(words.createdTitle);
    await expect(page.getByTestId("request-kept")).toHaveText(words.kept);
    const requestLink = page.getByLabel(words.requestLink, { exact: true });
    const readingLink = page.getByLabel(words.readingLink, { exact: true });
    // Links read left to right whatever the page's direction.
    await expect(requestLink).toHaveCSS("direction", "ltr");
    await expect(readingLink).toHaveCSS("direction", "ltr");
    const reading = await readingLink.inputValue();
    expect(reading).toMatch(/\/r\/[A-Za-z0-9_-]{22,}\/open#[A-Za-z0-9_-]{43}$/);
    await checkBothWidths(page, `i18n-${words.lang}-request-created`);

    // The reading link's page, in a browser of the same language: ready, then nothing yet.
    const reader = await (await newVisitor({ locale: words.browser })).newPage();
    await reader.goto(reading);
    await expect(reader.getByRole("heading", { name: words.open, level: 1 })).toBeVisible();
    await expectLanguage(reader, words.lang, words.dir);
    await checkBothWidths(reader, `i18n-${words.lang}-request-open`);
    await reader.getByRole("button", { name: words.open }).click();
    await expect(reader.getByRole("heading", { name: words.noAnswer })).toBeFocused();
    await checkBothWidths(reader, `i18n-${words.lang}-request-waiting`);
  });
}
