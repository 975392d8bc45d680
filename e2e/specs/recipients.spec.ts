/**
 * E-mail recipients (issue 6, SPEC F1, F3, F5, F9, §3 "E-mail delivery needs the link"): the share
 * form's chips input and "Allow external recipients", the mail that reaches the SMTP fixture, the
 * recipient who opens it, and the delivery state in the dashboard.
 */
import type { Page, Request } from "@playwright/test";

import { addMember, callApi, orgIdOf, signUp, uniqueEmail } from "../fixtures/accounts.js";
import { expectAccessible } from "../fixtures/checks.js";
import { linkIn, waitForMail } from "../fixtures/mail.js";
import { screenshotAs } from "../fixtures/org-admin.js";
import { expect, test } from "../fixtures/test.js";

const SHARED = /shared a secret with you/;

/** Types an address into the chips input and confirms it with `key`. */
async function addChip(page: Page, address: string, key = "Enter"): Promise<void> {
  const input = page.getByLabel(/^E-mail the link to/);
  await input.fill(address);
  await input.press(key);
}

/** The JSON body of the form's POST /api/v1/shares. */
function createBody(request: Request): Record<string, unknown> {
  return request.postDataJSON() as Record<string, unknown>;
}

const isCreate = (request: Request) =>
  request.url().endsWith("/api/v1/shares") && request.method() === "POST";

test("a member's address: the mail arrives, the member reveals it, the dashboard says sent", async ({
  page,
  server,
  newVisitor,
}) => {
  const admin = await signUp(page.context(), { label: "admin", name: "Dana Scully" });
  const memberContext = await newVisitor();
  const member = await addMember(page.context(), orgIdOf(admin), memberContext, server);

  await page.goto("/");
  await page.getByLabel("Secret", { exact: true }).fill("bastion host key: 7f3a-c9d1");
  await page.getByLabel(/^Name/).fill("Bastion key for Fox");
  await expect(
    page.getByText("E-mailed links pass through this server once, to be sent"),
  ).toBeVisible();
  await addChip(page, member.email.toUpperCase());
  await expect(page.getByRole("button", { name: `Remove ${member.email}` })).toBeVisible();

  const sent = page.waitForRequest(isCreate);
  await page.getByRole("button", { name: "Create secret link" }).click();
  await expect(page.getByRole("heading", { name: "Your secret link is ready" })).toBeVisible();
  await expect(page.getByText("Sent by e-mail to 1 person")).toBeVisible();
  await expect(page.getByTestId("sent-to")).toContainText(member.email);
  // The recipient has a link of their own (F14): none is shown for everyone to copy.
  await expect(page.getByLabel("Share link", { exact: true })).toHaveCount(0);

  // The request carried the recipient's own link, with the link secret for the mail.
  const body = createBody(await sent);
  const links = body.recipientLinks as { email: string; linkSecret: string }[];
  expect(links.map((l) => l.email)).toEqual([member.email]);
  expect(body.allowExternalRecipients).toBe(false);
  expect(body.recipients).toBeUndefined();

  // The mail reaches the SMTP server with the /s# link of that very link secret.
  const mail = await waitForMail(member.email, SHARED);
  const mailed = linkIn(mail, `${server.url}/s#`);
  expect(mailed).toBe(`${server.url}/s#${links[0]!.linkSecret}`);

  // The member, signed in, opens it and reveals the text.
  const memberPage = await memberContext.newPage();
  await memberPage.goto(mailed);
  await memberPage.getByRole("button", { name: "Reveal secret" }).click();
  await expect(memberPage.getByTestId("secret-text")).toHaveText("bastion host key: 7f3a-c9d1");

  // The dashboard lists the recipient as sent (the outbox may need a moment).
  await expect(async () => {
    await page.goto("/app");
    const lines = page.getByRole("list", { name: "Recipients of Bastion key for Fox" });
    const recipient = lines.getByRole("listitem");
    await expect(recipient).toContainText("E-mail sent", { timeout: 5000 });
    await expect(recipient).toContainText(member.email);
    await expect(recipient).toContainText(`signed in as ${member.email}`);
  }).toPass({ timeout: 30_000 });
});

test("an outsider's address without external recipients: the error names it, nothing is created", async ({
  page,
}) => {
  const admin = await signUp(page.context(), { label: "admin" });
  const outsider = uniqueEmail("outsider");

  await page.goto("/");
  await page.getByLabel("Secret", { exact: true }).fill("not for outsiders");
  await addChip(page, outsider);
  await page.getByRole("button", { name: "Create secret link" }).click();

  const error = page.getByRole("alert").filter({ hasText: "is not a member of your organization" });
  await expect(error).toContainText(outsider);
  await expect(page.getByLabel(/^E-mail the link to/)).toBeFocused();
  await expect(page.getByLabel(/^E-mail the link to/)).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByRole("heading", { name: "Your secret link is ready" })).toHaveCount(0);

  const list = await callApi<{ items: unknown[] }>(
    page.context(),
    "GET",
    `/api/v1/shares?orgId=${orgIdOf(admin)}`,
  );
  expect(list.body.items).toEqual([]);

  // Removing the address clears the message.
  await page.getByRole("button", { name: `Remove ${outsider}` }).click();
  await expect(error).toHaveCount(0);
});

test("external recipient: a password is required, the mail arrives, a signed-out visitor reveals with it", async ({
  page,
  server,
  newVisitor,
}) => {
  // Argon2id runs twice at its real cost (sealing, revealing): slow on a loaded machine.
  test.setTimeout(120_000);
  await signUp(page.context(), { label: "admin", name: "Walter Skinner" });
  const outsider = uniqueEmail("contractor");

  await page.goto("/");
  await page.getByLabel("Secret", { exact: true }).fill("vpn pre-shared key: k2-8811");
  await addChip(page, outsider, ",");
  await page.getByLabel("Allow external recipients").check();

  const password = page.getByLabel(/^Password/);
  await expect(password).toHaveAttribute("required", "");
  await expect(page.getByText("(required)")).toBeVisible();
  await expect(
    page.getByText("External recipients must enter this password; send it to them another way"),
  ).toBeVisible();

  await page.getByRole("button", { name: "Create secret link" }).click();
  await expect(page.getByRole("alert")).toContainText("Enter a password");
  await expect(password).toBeFocused();

  await password.fill("orchid lantern");
  const sent = page.waitForRequest(isCreate);
  await page.getByRole("button", { name: "Create secret link" }).click();
  await expect(page.getByRole("heading", { name: "Your secret link is ready" })).toBeVisible({
    timeout: 20_000,
  });
  await expect(page.getByText("Sent by e-mail to 1 person")).toBeVisible();
  const body = createBody(await sent);
  const links = body.recipientLinks as { email: string; password?: unknown }[];
  expect(links.map((l) => l.email)).toEqual([outsider]);
  expect(body.allowExternalRecipients).toBe(true);
  expect(links[0]!.password).toBeTruthy();

  const mail = await waitForMail(outsider, SHARED);
  const link = linkIn(mail, `${server.url}/s#`);
  expect(mail.text).not.toContain("orchid lantern");

  const visitor = await (await newVisitor()).newPage();
  await visitor.goto(link);
  await expect(visitor.getByText("Password protected")).toBeVisible();
  await visitor.getByLabel(/^Password/).fill("orchid lantern");
  // An external address also needs the code e-mailed to it (issue 19).
  await visitor.getByRole("button", { name: "E-mail me a code" }).click();
  const codeMail = await waitForMail(outsider, /Your code to open a secret/);
  const code = /\b(\d{6})\b/.exec(codeMail.text)?.[1] ?? "";
  await visitor.getByLabel("Code from the e-mail").fill(code);
  await visitor.getByRole("button", { name: "Reveal secret" }).click();
  await expect(visitor.getByTestId("secret-text")).toHaveText("vpn pre-shared key: k2-8811", {
    timeout: 20_000,
  });

  // The dashboard does not call it open to "Anyone": the server required the password.
  await page.goto("/app");
  const row = page.locator("tr.data-table__row");
  await expect(row).toHaveCount(1);
  await expect(row.getByRole("cell", { name: /^Link and password/ })).toBeVisible();
  await expect(page.locator(`li.recipient-line[data-recipient="${outsider}"]`)).toBeVisible();
});

test("organization-only switches external recipients off and disables it", async ({ page }) => {
  await signUp(page.context(), { label: "admin" });
  await page.goto("/");
  const external = page.getByLabel("Allow external recipients");
  const orgOnly = page.getByLabel("Limit access to people within organization");

  await external.check();
  await expect(page.getByLabel(/^Password/)).toHaveAttribute("required", "");
  await orgOnly.check();
  await expect(external).not.toBeChecked();
  await expect(external).toBeDisabled();
  await expect(page.getByLabel(/^Password/)).not.toHaveAttribute("required", "");
  await expect(page.getByText("(optional)").first()).toBeVisible();

  await orgOnly.uncheck();
  await expect(external).toBeEnabled();
  await expect(external).not.toBeChecked();
});

test("chips by keyboard: Enter, comma, space, leaving the field, Backspace, duplicates, invalid addresses", async ({
  page,
}) => {
  await signUp(page.context(), { label: "admin" });
  await page.goto("/");
  const input = page.getByLabel(/^E-mail the link to/);
  const chips = page.getByRole("list", { name: "Recipients" }).getByRole("listitem");

  await input.click();
  await page.keyboard.type("alice@example.com ");
  await page.keyboard.type("bob@example.org,");
  await page.keyboard.type("carol@example.net");
  await page.keyboard.press("Enter");
  await expect(chips).toHaveText(["alice@example.com", "bob@example.org", "carol@example.net"]);
  // Enter made a chip, it did not submit the form.
  await expect(page.getByRole("heading", { name: "Share a secret" })).toBeVisible();

  // Duplicates (any case) are ignored.
  await page.keyboard.type("ALICE@example.com ");
  await expect(chips).toHaveCount(3);

  // Backspace in the empty field removes the last chip.
  await page.keyboard.press("Backspace");
  await expect(chips).toHaveText(["alice@example.com", "bob@example.org"]);

  // Invalid addresses stay in the field with a message.
  await input.fill("Eve <eve@example.com>");
  await input.press("Enter");
  await expect(page.getByRole("alert")).toHaveText(/without a name/);
  await expect(input).toHaveValue("Eve <eve@example.com>");
  await input.fill("not-an-address");
  await input.press("Enter");
  await expect(page.getByRole("alert")).toHaveText("“not-an-address” is not an e-mail address.");
  // Submitting with an invalid rest stops at the field.
  await page.getByLabel("Secret", { exact: true }).fill("x");
  await page.getByRole("button", { name: "Create secret link" }).click();
  await expect(input).toBeFocused();
  await expect(page.getByRole("heading", { name: "Share a secret" })).toBeVisible();

  // Leaving the field makes a chip of a valid address.
  await input.fill("dave@example.com");
  await page.getByLabel(/^Name/).focus();
  await expect(chips).toHaveCount(3);

  // Each chip's remove button, by keyboard.
  await page.getByRole("button", { name: "Remove bob@example.org" }).focus();
  await page.keyboard.press("Enter");
  await expect(chips).toHaveText(["alice@example.com", "dave@example.com"]);
  await expect(input).toBeFocused();
});

test("recipients: axe on the form with chips, screenshots at desktop and 390 px", async ({
  page,
  server,
  newVisitor,
}) => {
  // Two recipients with a password: an Argon2id run per recipient's link, twice.
  test.setTimeout(180_000);
  const admin = await signUp(page.context(), { label: "admin", name: "Dana Scully" });
  const member = await addMember(page.context(), orgIdOf(admin), await newVisitor(), server);
  const outsider = uniqueEmail("outsider");

  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: width < 500 ? 844 : 800 });
    await page.goto("/");
    await page.getByLabel("Secret", { exact: true }).fill("db root: s3cr3t-rotate-me");
    await page.getByLabel(/^Name/).fill(`Root password (${width})`);
    await addChip(page, member.email);
    await addChip(page, outsider);
    await expect(page.getByRole("list", { name: "Recipients" }).getByRole("listitem")).toHaveCount(
      2,
    );
    await page.getByLabel(/^E-mail the link to/).fill("Eve <eve@example.com>");
    await page.getByLabel(/^E-mail the link to/).press("Enter");
    await expect(page.getByRole("alert")).toBeVisible();
    await expectAccessible(page, `share form with chips at ${width} px`);
    await screenshotAs(page, "recipients-01-chips");

    // The outsider is refused by the server; the error sits next to the chips.
    await page.getByLabel(/^E-mail the link to/).fill("");
    await page.getByRole("button", { name: "Create secret link" }).click();
    await expect(page.getByRole("alert")).toContainText(`${outsider} is not a member`);
    await expectAccessible(page, `recipient_not_member at ${width} px`);
    await screenshotAs(page, "recipients-02-not-member");

    // External recipients on: the password becomes required.
    await page.getByLabel("Allow external recipients").check();
    await page.getByLabel(/^Password/).fill("orchid lantern");
    await expectAccessible(page, `external recipients at ${width} px`);
    await screenshotAs(page, "recipients-03-external");
    await page.getByRole("button", { name: "Create secret link" }).click();
    await expect(page.getByText("Sent by e-mail to 2 people")).toBeVisible({ timeout: 60_000 });
    await expectAccessible(page, `created with recipients at ${width} px`);
    await screenshotAs(page, "recipients-04-created");
  }

  await waitForMail(outsider, SHARED, { nth: 2 });
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: width < 500 ? 844 : 800 });
    await expect(async () => {
      await page.goto("/app");
      await expect(page.locator('[data-delivery="sent"]')).toHaveCount(4, { timeout: 1000 });
    }).toPass({ timeout: 15_000 });
    await expectAccessible(page, `dashboard with recipients at ${width} px`);
    await screenshotAs(page, "recipients-05-dashboard");
  }
});
