/**
 * An admin's dangerous changes from a session that signed in a while ago (extension; docs/SPEC.md,
 * "Admin changes: recent proof"): making a member admin and adding a webhook endpoint answer 403
 * recent_sign_in_required, and the page asks for the password in place of the refused change
 * (the tokens form's PasswordAction), then makes it; inviting an admin and connecting single
 * sign-on (the first provider) ask the same way, and so does deleting the organization. The
 * session is aged in the database: 16 minutes back, past the 15 a sign-in counts for. Axe and
 * screenshots at 1280 and 390 px.
 */
import { randomBytes } from "node:crypto";

import { startTestProvider } from "../../server/test/helpers/oidc-provider.js";
import { addMember, callApi, orgIdOf, PASSWORD, signUp } from "../fixtures/accounts.js";
import {
  CONFIRM_CHANGE_FIELD,
  agePastRecentProof,
  wrongThenRightPassword,
} from "../fixtures/recent-proof.js";
import { expect, test } from "../fixtures/test.js";
import { checkBothWidths } from "../fixtures/widths.js";

test("an old admin session promotes a member and adds a webhook after giving the password", async ({
  page,
  newVisitor,
  server,
}) => {
  test.setTimeout(180_000);
  const admin = await signUp(page.context(), { label: "old-admin", name: "Dana Scully" });
  const orgId = orgIdOf(admin);
  const member = await addMember(page.context(), orgId, await newVisitor(), server);
  agePastRecentProof(server, admin.email);

  await page.goto("/app/members");
  await page.getByRole("combobox", { name: "Role of Fox Mulder" }).selectOption("admin");
  await page
    .getByRole("group", { name: "Change the role of Fox Mulder" })
    .getByRole("button", { name: "Change role" })
    .click();
  // The prompt names the member it makes admin, not only "this change".
  const roleField = page.getByLabel("Your password, to make Fox Mulder an admin");
  await expect(roleField).toBeFocused();
  await expect(page.getByText(/You signed in a while ago, so confirm it is you/)).toBeVisible();
  await checkBothWidths(page, "admin-recent-proof-role");
  await wrongThenRightPassword(roleField, page);
  await expect(page.getByRole("status").filter({ hasText: "is now an admin" })).toBeVisible();
  await expect(roleField).toHaveCount(0);
  const field = page.getByLabel(CONFIRM_CHANGE_FIELD);
  const members = await callApi<{ items: { email: string; role: string }[] }>(
    page.context(),
    "GET",
    `/api/v1/orgs/${orgId}/members`,
  );
  expect(members.body.items.find((m) => m.email === member.email)?.role).toBe("admin");

  // The password proves this change only: inviting an admin asks again, in place of the form.
  await page.getByLabel("E-mail address").fill("new.admin@example.test");
  await page.getByLabel("Role", { exact: true }).selectOption("admin");
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(field).toBeFocused();
  await field.fill(PASSWORD);
  await field.press("Enter");
  await expect(
    page.getByText(/Invitation sent to new\.admin@example\.test as an admin/),
  ).toBeVisible();

  await page.goto("/app/webhooks");
  await page.getByRole("button", { name: "Add endpoint" }).click();
  await page.getByLabel("Endpoint URL").fill("http://127.0.0.1:9/old-session");
  await page.getByLabel("Share created").check();
  await page.getByRole("button", { name: "Add endpoint" }).click();
  await expect(field).toBeFocused();
  await checkBothWidths(page, "admin-recent-proof-webhook");
  // Cancel gives the form back as it was.
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByLabel("Endpoint URL")).toHaveValue("http://127.0.0.1:9/old-session");
  await page.getByRole("button", { name: "Add endpoint" }).click();
  await field.fill(PASSWORD);
  await field.press("Enter");
  await expect(page.getByRole("heading", { name: "Endpoint added" })).toBeFocused();
  await expect(page.getByRole("textbox", { name: "Signing secret" })).toHaveValue(/^whsec_/);
});

test("an old admin session connects single sign-on after giving the password; Cancel keeps the draft", async ({
  page,
  server,
}) => {
  test.setTimeout(180_000);
  const admin = await signUp(page.context(), { label: "old-sso-admin" });
  const orgId = orgIdOf(admin);
  agePastRecentProof(server, admin.email);
  const domain = `old-${randomBytes(4).toString("hex")}.test`;
  const idp = await startTestProvider(`${server.url}/api/v1/auth/sso/callback`);
  const stored = async () =>
    (
      await callApi<{ enabled: boolean; issuer: string | null }>(
        page.context(),
        "GET",
        `/api/v1/orgs/${orgId}/sso`,
      )
    ).body;
  try {
    await page.goto("/app/security");
    await page.getByLabel("Issuer URL").fill(idp.issuer);
    await page.getByLabel("Client ID").fill(idp.clientId);
    await page.locator("input[name=clientSecret]").fill(idp.clientSecret);
    await page.getByLabel("E-mail domains").fill(domain);
    await page.getByRole("switch", { name: "Use single sign-on" }).click();
    const save = page.getByRole("button", { name: "Save single sign-on" });
    await save.click();
    // The first provider redirects sign-in: the password, in place of the form.
    const field = page.getByLabel(CONFIRM_CHANGE_FIELD);
    await expect(field).toBeFocused();
    await expect(page.getByLabel("Issuer URL")).toHaveCount(0);
    await checkBothWidths(page, "admin-recent-proof-sso");
    expect(await stored()).toMatchObject({ enabled: false, issuer: null });

    // Cancel gives the form back as it was, nothing saved.
    await page.getByRole("button", { name: "Cancel" }).click();
    await expect(page.getByLabel("Issuer URL")).toHaveValue(idp.issuer);
    await expect(page.getByLabel("Client ID")).toHaveValue(idp.clientId);
    await expect(page.getByLabel("E-mail domains")).toHaveValue(domain);
    await expect(page.getByRole("switch", { name: "Use single sign-on" })).toBeChecked();
    expect(await stored()).toMatchObject({ enabled: false, issuer: null });

    await save.click();
    await wrongThenRightPassword(field, page);
    await expect(page.getByText("Saved. Single sign-on uses these settings now.")).toBeVisible();
    await expect(field).toHaveCount(0);
    expect(await stored()).toMatchObject({ enabled: true, issuer: idp.issuer });
  } finally {
    await idp.close();
  }
});

test("an old admin session deletes the organization after giving the password", async ({
  page,
  server,
}) => {
  test.setTimeout(120_000);
  const admin = await signUp(page.context(), { label: "old-deleter" });
  const orgId = orgIdOf(admin);
  const orgName = admin.me.orgs[0]!.name;
  agePastRecentProof(server, admin.email);
  const orgs = async () =>
    (await callApi<{ orgs: { id: string }[] }>(page.context(), "GET", "/api/v1/auth/me")).body.orgs;

  await page.goto("/app/settings");
  const panel = page.getByRole("region", { name: "Delete this organization" });
  await panel.getByLabel(`Type “${orgName}” to confirm`).fill(orgName);
  await panel.getByRole("button", { name: "Delete organization" }).click();
  // Refused without the password: it is asked for in place of the form, nothing is deleted.
  const field = panel.getByLabel(CONFIRM_CHANGE_FIELD);
  await expect(field).toBeFocused();
  await expect(panel.getByLabel(`Type “${orgName}” to confirm`)).toHaveCount(0);
  expect((await orgs()).map((o) => o.id)).toContain(orgId);
  await checkBothWidths(page, "admin-recent-proof-delete-org");
  await field.fill("not the password");
  await field.press("Enter");
  await expect(panel.getByText("The password is wrong.")).toBeVisible();
  expect((await orgs()).map((o) => o.id)).toContain(orgId);
  await field.fill(PASSWORD);
  await field.press("Enter");
  await expect(page.getByRole("heading", { name: "You are not in an organization" })).toBeVisible();
  expect((await orgs()).map((o) => o.id)).not.toContain(orgId);
});
