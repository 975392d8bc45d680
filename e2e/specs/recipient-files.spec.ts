/**
 * Files with a link per recipient (issue 19, F14 with F12): the share form seals one link per
 * recipient, each payload carrying the same file keys, and uploads the file once, to the share.
 * Each recipient reveals their own link in their own browser (the outsider with an e-mailed code)
 * and downloads the file, byte for byte the original.
 */
import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";

import type { Page, Request } from "@playwright/test";

import { addMember, orgIdOf, signUp, uniqueEmail } from "../fixtures/accounts.js";
import { linkIn, waitForMail } from "../fixtures/mail.js";
import { expect, test } from "../fixtures/test.js";
import { checkBothWidths } from "../fixtures/widths.js";

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
const PASSWORD = "copper kettle";

async function downloaded(page: Page, name: string): Promise<Buffer> {
  const row = page.getByTestId("revealed-file").filter({ hasText: name });
  const saved = page.waitForEvent("download");
  await row.getByRole("button", { name: /^Download/ }).click();
  const path = await (await saved).path();
  await expect(row.getByRole("status")).toHaveText("Decrypted and saved to your downloads.");
  return readFileSync(path);
}

test("two recipients and a file: one upload, a link each, both download the same bytes", async ({
  page,
  server,
  newVisitor,
}) => {
  test.setTimeout(240_000);
  const sender = await signUp(page.context(), { label: "files-sender", name: "Fox Mulder" });
  const memberContext = await newVisitor({ acceptDownloads: true });
  const member = await addMember(page.context(), orgIdOf(sender), memberContext, server);
  const outsider = uniqueEmail("auditor");
  const file = {
    name: "ledger.db",
    mimeType: "application/octet-stream",
    buffer: randomBytes(1024 * 1024 + 123),
  };

  await page.goto("/");
  await page.getByLabel("Secret", { exact: true }).fill("the ledger and its key");
  await page.getByLabel(/^Name/).fill("Ledger for the audit");
  await page.locator('input[type="file"]').setInputFiles([file]);
  const chips = page.getByLabel(/^E-mail the link to/);
  for (const address of [member.email, outsider]) {
    await chips.fill(address);
    await chips.press("Enter");
  }
  await page.getByLabel("Allow external recipients").check();
  await page.getByLabel(/^Password/).fill(PASSWORD);
  const isCreate = (r: Request) => r.url().endsWith("/api/v1/shares") && r.method() === "POST";
  const sent = page.waitForRequest(isCreate);
  const chunks: string[] = [];
  page.on("request", (r) => {
    if (r.method() === "PUT" && /\/blobs\/[^/]+\/\d+$/.test(r.url())) chunks.push(r.url());
  });
  await page.getByRole("button", { name: "Create secret link" }).click();
  await expect(page.getByRole("heading", { name: "Your secret link is ready" })).toBeVisible({
    timeout: 90_000,
  });

  // One link per recipient, no link of the share's own; the file declared once, for the share.
  const body = (await sent).postDataJSON() as {
    id: string;
    viewToken?: string;
    blobs?: { id: string }[];
    recipientLinks: { email: string; id: string; linkSecret: string }[];
  };
  expect(body.viewToken).toBeUndefined();
  expect(body.recipientLinks.map((l) => l.email)).toEqual([member.email, outsider]);
  expect(body.blobs).toHaveLength(1);
  // Uploaded once, to the share's id: no chunk went to a recipient's link.
  expect(chunks.length).toBeGreaterThan(0);
  for (const url of chunks) expect(url).toContain(`/api/v1/shares/${body.id}/blobs/`);
  for (const link of body.recipientLinks) expect(chunks.join()).not.toContain(link.id);
  await expect(page.getByLabel("Share link", { exact: true })).toHaveCount(0);
  await checkBothWidths(page, "recipient-files-01-created");

  const mailed = async (email: string) =>
    linkIn(await waitForMail(email, /shared a secret with you/), `${server.url}/s#`);
  const memberLink = await mailed(member.email);
  const outsiderLink = await mailed(outsider);
  expect(memberLink).not.toBe(outsiderLink);

  // The member, signed in, in their own browser.
  const memberPage = await memberContext.newPage();
  await memberPage.goto(memberLink);
  await memberPage.getByLabel(/^Password/).fill(PASSWORD);
  await memberPage.getByRole("button", { name: "Reveal secret" }).click();
  await expect(memberPage.getByTestId("secret-text")).toHaveText("the ledger and its key", {
    timeout: 30_000,
  });
  expect(sha256(await downloaded(memberPage, "ledger.db"))).toBe(sha256(file.buffer));

  // The outsider, signed out, in another browser, with the code e-mailed to them.
  const outsiderPage = await (await newVisitor({ acceptDownloads: true })).newPage();
  await outsiderPage.goto(outsiderLink);
  await outsiderPage.getByRole("button", { name: "E-mail me a code" }).click();
  const codeMail = await waitForMail(outsider, /Your code to open a secret/);
  const code = /\b(\d{6})\b/.exec(codeMail.text)?.[1];
  if (!code) throw new Error(`no code in: ${codeMail.text}`);
  await outsiderPage.getByLabel("Code from the e-mail").fill(code);
  await outsiderPage.getByLabel(/^Password/).fill(PASSWORD);
  await outsiderPage.getByRole("button", { name: "Reveal secret" }).click();
  await expect(outsiderPage.getByTestId("secret-text")).toHaveText("the ledger and its key", {
    timeout: 30_000,
  });
  expect(sha256(await downloaded(outsiderPage, "ledger.db"))).toBe(sha256(file.buffer));
  await checkBothWidths(outsiderPage, "recipient-files-02-revealed");

  // The dashboard: one row, the file counted once, a line per recipient with its view.
  await page.goto("/app");
  const row = page.getByRole("row").filter({ hasText: "Ledger for the audit" });
  await expect(row.getByTestId("share-files")).toHaveText("1 file, 1 MB");
  for (const email of [member.email, outsider]) {
    await expect(page.locator(`li.recipient-line[data-recipient="${email}"]`)).toContainText(
      "Views 1 / 1",
    );
  }
});
