/**
 * One link per recipient (issue 19, F14) and "resend a recipient's e-mail, retry a failed
 * delivery" (issue 25): the share form gives each recipient a link of their own; each recipient
 * reveals in their own browser; the dashboard shows one line per recipient with its delivery, views
 * and last view; Revoke ends one link alone; Resend and Retry mail the same link again from the
 * browser that kept it, through the real SMTP server of the run (which can be told to refuse).
 */
import type { Page, Request } from "@playwright/test";

import { addMember, orgIdOf, signUp, uniqueEmail, type Account } from "../fixtures/accounts.js";
import { expectAccessible } from "../fixtures/checks.js";
import { acceptMailTo, linkIn, mailsFor, refuseMailTo, waitForMail } from "../fixtures/mail.js";
import { screenshotAs } from "../fixtures/org-admin.js";
import { expect, test } from "../fixtures/test.js";

const SHARED = /shared a secret with you/;
const RECEIPT = /was viewed/;
const CODE_MAIL = /Your code to open a secret/;

/** The address as a recipient's link page shows it: `j•••@example.com`. */
const masked = (email: string) => `${email[0]}•••@${email.split("@")[1]}`;

interface SentLink {
  email: string;
  id: string;
  linkSecret: string;
  password?: unknown;
}

async function addChip(page: Page, address: string): Promise<void> {
  const input = page.getByLabel(/^E-mail the link to/);
  await input.fill(address);
  await input.press("Enter");
}

const isCreate = (request: Request) =>
  request.url().endsWith("/api/v1/shares") && request.method() === "POST";

/** Fills the form for `recipients` and creates the share; returns the body's recipient links. */
async function createForRecipients(
  page: Page,
  options: {
    text: string;
    name: string;
    recipients: string[];
    password?: string;
    maxViews?: string;
    notify?: boolean;
  },
): Promise<SentLink[]> {
  await page.goto("/");
  await page.getByLabel("Secret", { exact: true }).fill(options.text);
  await page.getByLabel(/^Name/).fill(options.name);
  for (const address of options.recipients) await addChip(page, address);
  if (options.password) {
    await page.getByLabel("Allow external recipients").check();
    await page.getByLabel(/^Password/).fill(options.password);
  }
  if (options.maxViews) {
    await page.getByLabel("Max views").selectOption(options.maxViews);
  }
  if (options.notify) await page.getByLabel("E-mail me when it is viewed").check();
  const sent = page.waitForRequest(isCreate);
  await page.getByRole("button", { name: "Create secret link" }).click();
  await expect(page.getByRole("heading", { name: "Your secret link is ready" })).toBeVisible({
    timeout: 60_000,
  });
  const body = (await sent).postDataJSON() as Record<string, unknown>;
  // One link per recipient: no shared link, no recipients list, no delivery secret of the share.
  expect(body.viewToken).toBeUndefined();
  expect(body.recipients).toBeUndefined();
  expect(body.delivery).toBeUndefined();
  const links = body.recipientLinks as SentLink[];
  expect(links.map((l) => l.email)).toEqual(options.recipients);
  return links;
}

/** The line of `email` in the dashboard's recipient lines. */
function dashboardLine(page: Page, email: string) {
  return page.locator(`li.recipient-line[data-recipient="${email}"]`);
}

test("two recipients, one external with an e-mailed code: each reveals their own link, the dashboard shows both views, Revoke ends one alone", async ({
  page,
  server,
  newVisitor,
}) => {
  test.setTimeout(300_000);
  const sender: Account = await signUp(page.context(), { label: "sender", name: "Dana Scully" });
  const memberContext = await newVisitor();
  const member = await addMember(page.context(), orgIdOf(sender), memberContext, server);
  const outsider = uniqueEmail("contractor");

  const links = await createForRecipients(page, {
    text: "vault unseal key: 3f9a-77c2",
    name: "Vault unseal key",
    recipients: [member.email, outsider],
    password: "orchid lantern",
    maxViews: "2",
    notify: true,
  });
  expect(new Set(links.map((l) => l.linkSecret)).size).toBe(2);
  expect(links.every((l) => l.password)).toBe(true);
  // No shared link on the created page: each recipient's own is in their mail only.
  await expect(page.getByLabel("Share link", { exact: true })).toHaveCount(0);
  const chips = page.getByRole("list", { name: "Recipients" });
  for (const email of [member.email, outsider]) {
    await expect(chips.locator(`[data-recipient="${email}"]`)).toContainText("E-mail sent", {
      timeout: 15_000,
    });
  }

  // Each mail carries its own recipient's link, and nothing of the other's.
  const mailed: Record<string, string> = {};
  for (const link of links) {
    const mail = await waitForMail(link.email, SHARED);
    mailed[link.email] = linkIn(mail, `${server.url}/s#`);
    expect(mailed[link.email]).toBe(`${server.url}/s#${link.linkSecret}`);
    for (const other of links.filter((l) => l !== link)) {
      expect(mail.text).not.toContain(other.email);
      expect(mail.text).not.toContain(other.linkSecret);
    }
  }

  // The member, signed in, in their own browser. With external recipients every link has the
  // password, the member's too; only the outsider's asks for an e-mailed code.
  const memberPage = await memberContext.newPage();
  await memberPage.goto(mailed[member.email]!);
  await expect(memberPage.getByTestId("meant-for")).toContainText(masked(member.email));
  await expect(memberPage.getByLabel("Code from the e-mail")).toHaveCount(0);
  await memberPage.getByLabel(/^Password/).fill("orchid lantern");
  await memberPage.getByRole("button", { name: "Reveal secret" }).click();
  await expect(memberPage.getByTestId("secret-text")).toHaveText("vault unseal key: 3f9a-77c2", {
    timeout: 30_000,
  });

  // The dashboard: one row for the share, one line per recipient, the member's view on its line.
  await page.goto("/app");
  const table = page.getByRole("table", { name: /Shared secrets of/ });
  const row = table.locator("tr.data-table__row").filter({ hasText: "Vault unseal key" });
  await expect(row).toHaveCount(1);
  const memberLine = dashboardLine(page, member.email);
  const outsiderLine = dashboardLine(page, outsider);
  await expect(memberLine).toContainText("E-mail sent");
  await expect(memberLine).toContainText("Views 1 / 2");
  await expect(memberLine).toContainText(`signed in as ${member.email}`);
  await expect(memberLine).toContainText("from 127.0.0.1");
  await expect(outsiderLine).toContainText("Not viewed yet");

  // Revoke the member's link: asked in the line, Cancel focused, then done.
  await memberLine.getByRole("button", { name: `Revoke the link of ${member.email}` }).click();
  await expect(memberLine.getByRole("button", { name: "Cancel" })).toBeFocused();
  await memberLine.getByRole("button", { name: "Yes, revoke it" }).click();
  await expect(memberLine).toHaveAttribute("data-status", "revoked");
  await expect(memberLine.getByRole("button")).toHaveCount(0);
  await expect(outsiderLine).toHaveAttribute("data-status", "active");
  await memberPage.goto(mailed[member.email]!);
  await expect(
    memberPage.getByRole("heading", { name: "The sender took this link back" }),
  ).toBeVisible();

  // The outsider, signed out, in another browser: the page names the address (masked) and asks
  // for the code before Reveal. Looked at on a phone too (opening it consumes nothing).
  const phone = await (await newVisitor({ viewport: { width: 390, height: 844 } })).newPage();
  await phone.goto(mailed[outsider]!);
  await expect(phone.getByTestId("meant-for")).toContainText(masked(outsider));
  await expect(phone.getByRole("button", { name: "E-mail me a code" })).toBeVisible();
  await expectAccessible(phone, "view page asking for an e-mail code at 390 px");
  await screenshotAs(phone, "recipient-links-04-code");

  const outsiderPage = await (await newVisitor()).newPage();
  await outsiderPage.goto(mailed[outsider]!);
  await expect(outsiderPage.getByTestId("meant-for")).toContainText(masked(outsider));
  expect(await outsiderPage.getByTestId("meant-for").textContent()).not.toContain(outsider);
  const code = outsiderPage.getByLabel("Code from the e-mail");
  const reveal = outsiderPage.getByRole("button", { name: "Reveal secret" });
  await outsiderPage.getByLabel(/^Password/).fill("orchid lantern");
  // Reveal without a code stops in the form.
  await reveal.click();
  await expect(outsiderPage.getByRole("alert")).toContainText("First press “E-mail me a code”");
  await expect(code).toBeFocused();
  // Six digits before any code was sent: the server has none for this link.
  await code.fill("123456");
  await reveal.click();
  await expect(outsiderPage.getByRole("alert")).toContainText("This code no longer works", {
    timeout: 30_000,
  });

  await outsiderPage.getByRole("button", { name: "E-mail me a code" }).click();
  await expect(outsiderPage.getByText("A six-digit code is on its way to")).toBeVisible();
  const again = outsiderPage.getByRole("button", { name: "E-mail me a new code" });
  await expect(again).toBeDisabled();
  await expect(again).toHaveAccessibleDescription(/You can ask for another code at/);
  const codeMail = await waitForMail(outsider, CODE_MAIL);
  const digits = /\b(\d{6})\b/.exec(codeMail.text)?.[1];
  if (!digits) throw new Error(`no code in: ${codeMail.text}`);
  expect(codeMail.text).not.toContain(member.email);
  expect(codeMail.text).not.toContain("/s#");
  await expectAccessible(outsiderPage, "view page with a code sent");
  await screenshotAs(outsiderPage, "recipient-links-05-code-sent");

  // A wrong code: how many tries this code has left.
  const wrong = digits.slice(0, 5) + String((Number(digits[5]) + 1) % 10);
  await code.fill(wrong);
  await reveal.click();
  await expect(outsiderPage.getByRole("alert")).toHaveText(
    "Wrong code. 4 tries left for this code.",
  );
  await expect(code).toBeFocused();
  await code.fill(digits);
  await reveal.click();
  await expect(outsiderPage.getByTestId("secret-text")).toHaveText("vault unseal key: 3f9a-77c2", {
    timeout: 30_000,
  });

  // A receipt per recipient's view, naming that recipient only.
  const first = await waitForMail(sender.email, RECEIPT);
  const second = await waitForMail(sender.email, RECEIPT, { nth: 2 });
  const receipts = [first.text, second.text];
  expect(receipts.filter((t) => t.includes(`The link you sent to ${member.email}`))).toHaveLength(
    1,
  );
  expect(receipts.filter((t) => t.includes(`The link you sent to ${outsider}`))).toHaveLength(1);

  // Both views on the dashboard, each on its own line; the share's views are their sum.
  await page.reload();
  await expect(memberLine).toHaveAttribute("data-status", "revoked");
  await expect(memberLine).toContainText("Views 1 / 2");
  await expect(outsiderLine).toContainText("Views 1 / 2");
  await expect(outsiderLine).toContainText(/Last viewed .* from 127\.0\.0\.1/);
  await expect(outsiderLine).not.toContainText("signed in as");
  await expect(outsiderLine).toHaveAttribute("data-status", "active");
  await expect(row.locator('td[data-label="Views"]')).toHaveText(/^2\s*up to 2 per link$/);
  await expectAccessible(page, "dashboard with a link per recipient");
  // The wrong code is in the access log, on the outsider's link.
  await row.getByRole("button", { name: /Access log/ }).click();
  await expect(page.getByText("Wrong e-mail code")).toBeVisible();

  // "Destroy now" after a reveal that took an e-mailed code: the code it used still allows it.
  await outsiderPage.getByRole("button", { name: "Destroy now" }).click();
  await outsiderPage.getByRole("button", { name: "Yes, destroy it" }).click();
  await expect(outsiderPage.getByText("Destroyed.")).toBeVisible({ timeout: 15_000 });
  await expect(outsiderPage.getByRole("alert")).toHaveCount(0);
  await page.reload();
  await expect(outsiderLine).toHaveAttribute("data-status", "deleted");
});

test("Retry after the SMTP server refused, and Resend: the same link again; disabled where this browser kept no link", async ({
  page,
  server,
  newVisitor,
}) => {
  test.setTimeout(180_000);
  const sender = await signUp(page.context(), { label: "sender", name: "Walter Skinner" });
  const [one, two] = [
    await addMember(page.context(), orgIdOf(sender), await newVisitor(), server),
    await addMember(page.context(), orgIdOf(sender), await newVisitor(), server),
  ] as [Account, Account];

  refuseMailTo(one.email);
  let links: SentLink[];
  try {
    links = await createForRecipients(page, {
      text: "deploy token: dt-5521",
      name: "Deploy token",
      recipients: [one.email, two.email],
    });
    const chips = page.getByRole("list", { name: "Recipients" });
    const refused = chips.locator(`[data-recipient="${one.email}"]`);
    // The created page follows each e-mail: one refused, one sent.
    await expect(refused).toContainText("E-mail failed", { timeout: 20_000 });
    await expect(chips.locator(`[data-recipient="${two.email}"]`)).toContainText("E-mail sent");
    await expectAccessible(page, "created page with a failed delivery");
    await screenshotAs(page, "recipient-links-01-created-failed");
  } finally {
    acceptMailTo(one.email);
  }
  expect(mailsFor(one.email).filter((m) => SHARED.test(m.subject))).toHaveLength(0);

  // Retry from the dashboard mails the very link the form made for that recipient.
  await page.goto("/app");
  const oneLine = dashboardLine(page, one.email);
  const twoLine = dashboardLine(page, two.email);
  await expect(oneLine).toContainText("E-mail failed");
  await expect(oneLine.getByRole("button", { name: `Resend e-mail to ${one.email}` })).toHaveCount(
    0,
  );
  await oneLine.getByRole("button", { name: `Retry e-mail to ${one.email}` }).click();
  await expect(oneLine).toContainText("E-mail sent", { timeout: 15_000 });
  const retried = await waitForMail(one.email, SHARED);
  const oneLink = links.find((l) => l.email === one.email)!;
  expect(linkIn(retried, `${server.url}/s#`)).toBe(`${server.url}/s#${oneLink.linkSecret}`);

  // Resend a delivered one: a second mail with the same link.
  await twoLine.getByRole("button", { name: `Resend e-mail to ${two.email}` }).click();
  await expect(twoLine).toContainText("E-mail sent", { timeout: 15_000 });
  const again = await waitForMail(two.email, SHARED, { nth: 2 });
  const twoLink = links.find((l) => l.email === two.email)!;
  expect(linkIn(again, `${server.url}/s#`)).toBe(`${server.url}/s#${twoLink.linkSecret}`);
  await screenshotAs(page, "recipient-links-02-dashboard");

  // Another browser of the same person kept no link: Resend is disabled, with the reason beside it.
  await page.evaluate(() => window.localStorage.clear());
  await page.reload();
  const resend = oneLine.getByRole("button", { name: `Resend e-mail to ${one.email}` });
  await expect(resend).toBeDisabled();
  await expect(resend).toHaveAccessibleDescription(
    /Only the browser that created this share can send its link again/,
  );
  await expect(
    oneLine.getByRole("button", { name: `Revoke the link of ${one.email}` }),
  ).toBeEnabled();
  await expectAccessible(page, "dashboard without kept links");
});

test("a link per recipient: the table fits its box at 1024, 1280 and 1440 px; screenshots at 1280 and 390 px", async ({
  page,
  server,
  newVisitor,
}) => {
  test.setTimeout(180_000);
  const sender = await signUp(page.context(), { label: "layout", name: "Layout Tester" });
  const member = await addMember(page.context(), orgIdOf(sender), await newVisitor(), server);
  const longOutsider = uniqueEmail("a-rather-long-contractor-address-for-the-layout");
  await createForRecipients(page, {
    text: "layout secret",
    name: "Production database password for the billing service",
    recipients: [member.email, longOutsider],
    password: "orchid lantern",
  });

  for (const width of [1024, 1280, 1440]) {
    await page.setViewportSize({ width, height: 900 });
    await page.goto("/app");
    const table = page.getByRole("table", { name: /Shared secrets of/ });
    await expect(table.locator("li.recipient-line")).toHaveCount(2);
    const wrap = page.locator(".data-table-wrap");
    const box = await wrap.boundingBox();
    if (!box) throw new Error("no table box");
    const buttons = table.getByRole("button");
    for (const button of await buttons.all()) {
      const b = await button.boundingBox();
      if (!b) continue;
      expect(b.x + b.width, `a button ends inside the table at ${width} px`).toBeLessThanOrEqual(
        box.x + box.width,
      );
    }
    // An open Revoke question stays inside too.
    await table.getByRole("button", { name: `Revoke the link of ${longOutsider}` }).click();
    const fits = await wrap.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
    expect(fits.scroll, `the table is no wider than its box at ${width} px`).toBeLessThanOrEqual(
      fits.client,
    );
  }
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: width < 500 ? 844 : 900 });
    await page.goto("/app");
    await expect(page.locator("li.recipient-line")).toHaveCount(2);
    await expectAccessible(page, `dashboard recipient lines at ${width} px`);
    await screenshotAs(page, "recipient-links-03-dashboard");
  }
});
