/**
 * Deleting an account (Account tab) and an organization (Settings tab), issue 25: the
 * consequences said first, the password or the name typed to confirm, refusals in words, and
 * what is left afterwards. Screenshots and axe at 1280 and 390 px.
 */
import { addMember, callApi, orgIdOf, PASSWORD, signUp } from "../fixtures/accounts.js";
import { openInOrg } from "../fixtures/org-member.js";
import { expect, test } from "../fixtures/test.js";
import { checkBothWidths } from "../fixtures/widths.js";

test("Delete my account: the password confirms; afterwards the account is gone", async ({
  page,
}) => {
  const account = await signUp(page.context(), { label: "leaver" });
  await page.goto("/app/account");
  const panel = page.getByRole("region", { name: "Delete your account" });
  await expect(panel.getByText("every share you created is destroyed")).toBeVisible();
  await checkBothWidths(page, "account-delete");

  // Without the password, then with a wrong one: refused in words, the account stays.
  await panel.getByRole("button", { name: "Delete my account" }).click();
  await expect(panel.getByText("Enter your password to confirm.")).toBeVisible();
  await panel.getByLabel("Your password, to confirm").fill("not-my-password-at-all");
  await panel.getByRole("button", { name: "Delete my account" }).click();
  await expect(panel.getByText("The password is wrong.")).toBeVisible();
  await expect(panel.getByLabel("Your password, to confirm")).toBeFocused();

  await panel.getByLabel("Your password, to confirm").fill(PASSWORD);
  await panel.getByRole("button", { name: "Delete my account" }).click();
  await page.waitForURL((url) => url.pathname === "/");
  expect((await callApi(page.context(), "GET", "/api/v1/auth/me")).status).toBe(401);
  const signIn = await callApi(page.context(), "POST", "/api/v1/auth/login", {
    email: account.email,
    password: PASSWORD,
  });
  expect(signIn.status).toBe(401);
});

test("Delete my account: the only admin of an organization with members is told why not", async ({
  page,
  newVisitor,
  server,
}) => {
  const admin = await signUp(page.context(), { label: "soleadmin" });
  await addMember(page.context(), orgIdOf(admin), await newVisitor(), server);
  await page.goto("/app/account");
  const panel = page.getByRole("region", { name: "Delete your account" });
  await panel.getByLabel("Your password, to confirm").fill(PASSWORD);
  await panel.getByRole("button", { name: "Delete my account" }).click();
  await expect(panel.getByRole("alert")).toContainText(
    `You are the only admin of “${admin.me.orgs[0]!.name}”`,
  );
  await checkBothWidths(page, "account-delete-refused");
  expect((await callApi(page.context(), "GET", "/api/v1/auth/me")).status).toBe(200);
});

test("Delete an organization: admins only, its name typed to confirm; members keep their accounts", async ({
  page,
  newVisitor,
  server,
}) => {
  const admin = await signUp(page.context(), { label: "orgowner" });
  const orgId = orgIdOf(admin);
  const orgName = admin.me.orgs[0]!.name;
  const memberContext = await newVisitor();
  await addMember(page.context(), orgId, memberContext, server);

  // A member sees no delete, and the API refuses them.
  const memberPage = await openInOrg(memberContext, orgId, "/app/settings");
  await expect(
    memberPage
      .getByRole("region", { name: "Organization name" })
      .getByText("only admins can change it."),
  ).toBeVisible();
  await expect(memberPage.getByRole("heading", { name: "Organization name" })).toBeVisible();
  await expect(memberPage.getByRole("region", { name: "Delete this organization" })).toHaveCount(0);
  const refused = await callApi(memberContext, "DELETE", `/api/v1/orgs/${orgId}`, {
    name: orgName,
  });
  expect(refused.status).toBe(403);

  await page.goto("/app/settings");
  const panel = page.getByRole("region", { name: "Delete this organization" });
  await expect(panel.getByText("every member leaves it")).toBeVisible();
  const button = panel.getByRole("button", { name: "Delete organization" });
  // Disabled, and says why, until the name is typed exactly.
  await expect(button).toBeDisabled();
  await expect(button).toHaveAccessibleDescription(
    "Type the organization's name above to delete it.",
  );
  await panel.getByLabel(`Type “${orgName}” to confirm`).fill(`${orgName} (not)`);
  await expect(button).toBeDisabled();
  await checkBothWidths(page, "settings-delete-org");
  await panel.getByLabel(`Type “${orgName}” to confirm`).fill(orgName);
  await expect(button).toBeEnabled();
  await button.click();

  await page.waitForURL((url) => url.pathname === "/app" || url.pathname === "/app/shares");
  // The admin's only organization is gone: the dashboard says so.
  await expect(page.getByRole("heading", { name: "You are not in an organization" })).toBeVisible();
  const me = await callApi<{ orgs: { id: string }[] }>(memberContext, "GET", "/api/v1/auth/me");
  expect(me.status).toBe(200);
  expect(me.body.orgs.map((o) => o.id)).not.toContain(orgId);
});
