/**
 * Languages (issue 22) of two pages wrapped apart from the share → reveal flow of i18n.spec.ts:
 * the manage page of an anonymous creator in Arabic and Japanese (`<html lang dir>`, axe, no
 * sideways scrolling, screenshots at 1280 and 390 px in e2e/artifacts/screenshots/), and the
 * share form's options for signed-in members, whose messages "/" loads only once someone is
 * signed in (the "share-signed-in" catalog), in German.
 */

import { signUp } from "../fixtures/accounts.js";
import { expectLanguage } from "../fixtures/checks.js";
import { expect, test } from "../fixtures/test.js";
import { buildShare } from "../fixtures/shares.js";
import { checkBothWidths } from "../fixtures/widths.js";

interface ManageWords {
  browser: string;
  lang: string;
  dir: "ltr" | "rtl";
  title: string;
  active: string;
  deleted: string;
  views: string;
  used: string;
  explained: string;
  deleteHeading: string;
  deleteButton: string;
  confirm: string;
  done: string;
  brokenHeading: string;
  missingKey: string;
}

const MANAGE: ManageWords[] = [
  {
    browser: "ar-EG",
    lang: "ar",
    dir: "rtl",
    title: "إدارة السرّ",
    active: "نشط",
    deleted: "محذوف",
    views: "المشاهدات",
    used: "استُخدمت 1 من 3",
    explained: "لا يزال الرابط يفتح السرّ. احذفه من هنا إن لم تعد بحاجة إليه.",
    deleteHeading: "احذف هذا السرّ",
    deleteButton: "حذف السرّ",
    confirm: "نعم، احذفه",
    done: "أُزيل السرّ من الخادم ولم يعد الرابط يعمل.",
    brokenHeading: "رابط الإدارة هذا لا يعمل",
    missingKey: "ينتهي رابط الإدارة بـ «#» ومفتاح",
  },
  {
    browser: "ja-JP",
    lang: "ja",
    dir: "ltr",
    title: "シークレットを管理",
    active: "有効",
    deleted: "削除済み",
    views: "閲覧回数",
    used: "3 回中 1 回使用",
    explained: "リンクはまだシークレットを開けます。不要になったら、ここで削除してください。",
    deleteHeading: "このシークレットを削除",
    deleteButton: "シークレットを削除",
    confirm: "はい、削除します",
    done: "シークレットはサーバーから消去され、リンクは使えなくなりました。",
    brokenHeading: "この管理用リンクは使えません",
    missingKey: "管理用リンクの末尾には「#」とキーが付きますが",
  },
];

for (const words of MANAGE) {
  test(`manage page in ${words.lang}: active, confirm, deleted, broken link`, async ({
    server,
    newVisitor,
  }) => {
    test.setTimeout(120_000);
    const share = await buildShare(server, {
      name: "Production env for Dana",
      maxViews: 3,
      expiresIn: 7 * 86400,
    });
    // One view used, so the count reads "1 of 3".
    const revealed = await fetch(`${server.url}/api/v1/shares/${share.id}/reveal`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ viewToken: share.viewToken }),
    });
    expect(revealed.status).toBe(200);

    const page = await (await newVisitor({ locale: words.browser })).newPage();
    await page.goto(share.manageLink);
    await expect(page.getByTestId("share-status")).toHaveText(words.active);
    await expectLanguage(page, words.lang, words.dir);
    expect(await page.title()).toContain(words.title);
    await expect(page.getByRole("heading", { name: "Production env for Dana" })).toBeVisible();
    await expect(page.getByText(words.explained)).toBeVisible();
    await expect(page.getByRole("term").filter({ hasText: words.views })).toBeVisible();
    await expect(page.getByText(words.used, { exact: true })).toBeVisible();
    await expect(page.getByRole("heading", { name: words.deleteHeading })).toBeVisible();
    // Nothing of the page is left in English.
    await expect(page.getByText("Delete this secret")).toHaveCount(0);
    await expect(page.getByText(/\bused\b/)).toHaveCount(0);
    await checkBothWidths(page, `i18n-${words.lang}-manage-active`);

    await page.getByRole("button", { name: words.deleteButton }).click();
    await expect(page.getByRole("button", { name: words.confirm })).toBeVisible();
    await checkBothWidths(page, `i18n-${words.lang}-manage-confirm`);
    await page.getByRole("button", { name: words.confirm }).click();
    await expect(page.getByTestId("share-status")).toHaveText(words.deleted);
    await expect(page.getByText(words.done)).toBeVisible();
    await checkBothWidths(page, `i18n-${words.lang}-manage-deleted`);

    // A manage link without its key (the part after "#").
    await page.goto("about:blank");
    await page.goto(`/manage/${share.id}`);
    await expect(page.getByRole("heading", { name: words.brokenHeading })).toBeVisible();
    await expect(page.getByText(words.missingKey)).toBeVisible();
    await expectLanguage(page, words.lang, words.dir);
    await checkBothWidths(page, `i18n-${words.lang}-manage-broken`);
  });
}

test("a signed-in member with a German browser gets the share form's options in German", async ({
  newVisitor,
}) => {
  test.setTimeout(120_000);
  const context = await newVisitor({ locale: "de-DE" });
  await signUp(context, { label: "de-member", name: "Dana Scully" });
  const page = await context.newPage();
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Ein Geheimnis teilen" })).toBeVisible();
  await expectLanguage(page, "de", "ltr");

  // The options appear once their catalog has loaded, and in German only.
  const options = page.getByRole("group", { name: "Zugriff und Benachrichtigungen" });
  await expect(options).toBeVisible();
  await expect(options.getByLabel("Mir eine E-Mail senden, wenn es aufgerufen wird")).toBeVisible();
  await expect(
    options.getByText("Meinen Namen und meine Organisation dem Empfänger zeigen"),
  ).toBeVisible();
  await expect(page.getByText("Access and notifications")).toHaveCount(0);
  await expect(page.getByText("E-mail the link to")).toHaveCount(0);

  const recipients = page.getByLabel(/^Link per E-Mail senden an/);
  await expect(recipients).toBeVisible();
  await expect(
    page.getByText(
      "Drücken Sie nach jeder Adresse die Eingabetaste, ein Komma oder die Leertaste.",
    ),
  ).toBeVisible();
  await expect(
    page.getByText("Per E-Mail versendete Links durchlaufen diesen Server einmal"),
  ).toBeVisible();

  // Messages of recipients.ts and RecipientsInput.tsx: a refused address, a chip.
  await recipients.fill("alice");
  await recipients.press("Enter");
  await expect(
    page.getByRole("alert").filter({ hasText: "„alice“ ist keine E-Mail-Adresse." }),
  ).toBeVisible();
  await recipients.fill("alice@example.com");
  await recipients.press("Enter");
  await expect(page.getByRole("button", { name: "alice@example.com entfernen" })).toBeVisible();
  await expect(
    page.getByRole("status").filter({ hasText: "alice@example.com hinzugefügt. 1 Empfänger." }),
  ).toBeAttached();
  await checkBothWidths(page, "i18n-de-share-signed-in");
});
