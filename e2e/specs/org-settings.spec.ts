/**
 * Issue 25, defect 5: a company address names the new organization after its domain, an admin
 * renames it in Settings, and the request page then asks in the new name. Members read the name.
 */
import { randomBytes } from "node:crypto";

import { callApi, PASSWORD, signUp, uniqueEmail } from "../fixtures/accounts.js";
import { linkIn, waitForMail } from "../fixtures/mail.js";
import { createRequest } from "../fixtures/org-admin.js";
import { expect, test } from "../fixtures/test.js";
import { checkBothWidths } from "../fixtures/widths.js";

test("an admin renames the organization in Settings; the request page uses the new name", async ({
  page,
  newVisitor,
}) => {
  const domain = `acme-${randomBytes(4).toString("hex")}.com`;
  await signUp(page.context(), { email: `founder@${domain}`, name: "Ada Admin" });

  await page.goto("/app/settings");
  const name = page.getByLabel("Name", { exact: true });
  await expect(name).toHaveValue(domain);
  await checkBothWidths(page, "org-settings");

  // Refused before it reaches the server.
  await name.fill("   ");
  await page.getByRole("button", { name: "Save name" }).click();
  await expect(page.getByText("Enter a name.")).toBeVisible();
  await expect(name).toHaveAttribute("aria-invalid", "true");

  await name.fill("Acme Widgets");
  await page.getByRole("button", { name: "Save name" }).click();
  await expect(
    page.getByRole("region", { name: "Organization name" }).getByRole("status"),
  ).toContainText("The organization is now called Acme Widgets.");
  // The shell's organization name follows at once.
  await expect(page.getByRole("main")).toContainText("Acme Widgets");
  await checkBothWidths(page, "org-settings-saved");

  const request = await createRequest(page, { name: "VPN password" });
  const visitor = await (await newVisitor()).newPage();
  await visitor.goto(request.url);
  await expect(visitor.getByRole("heading", { level: 1 })).toContainText("Acme Widgets");
});

test("a member reads the organization's name in Settings but cannot change it", async ({
  page,
  server,
  newVisitor,
}) => {
  const admin = await signUp(page.context(), { name: "Walter Admin" });
  const orgId = admin.me.orgs[0]!.id;
  const email = uniqueEmail("reader");
  const invited = await callApi(page.context(), "POST", `/api/v1/orgs/${orgId}/invitations`, {
    email,
    role: "member",
  });
  expect(invited.status).toBe(201);
  const token = linkIn(await waitForMail(email, /invited you to/), `${server.url}/invitations/`)
    .split("/")
    .pop();
  const member = await newVisitor();
  const joined = await callApi(member, "POST", "/api/v1/auth/signup", {
    email,
    password: PASSWORD,
    invitation: token,
  });
  expect(joined.status).toBe(201);

  const memberPage = await member.newPage();
  await memberPage.goto("/app/settings");
  // The Settings panel's own line (the dashboard's heading may name the organization too).
  const readOnly = memberPage
    .getByRole("region", { name: "Organization name" })
    .locator("p", { hasText: "only admins can change it" });
  await expect(readOnly).toBeVisible();
  await expect(readOnly.locator("strong")).toHaveText("Walter Admin's organization");
  await expect(memberPage.getByRole("button", { name: "Save name" })).toHaveCount(0);
  // The default language, read-only too (issue 22).
  const language = memberPage
    .getByRole("region", { name: "Default language" })
    .locator("p", { hasText: "only admins can change it" });
  await expect(language.locator("strong")).toHaveText("Not set (English)");
  await expect(memberPage.getByRole("button", { name: "Save language" })).toHaveCount(0);
  await checkBothWidths(memberPage, "org-settings-member");
  // And the API agrees: 403 for a member.
  const renamed = await callApi(member, "PATCH", `/api/v1/orgs/${orgId}`, { name: "Mine" });
  expect(renamed.status).toBe(403);
});
