/**
 * Sharing policies in the pages (SPEC F16, issue 21): with ANONYMOUS_SHARING=off the home page
 * asks visitors to sign in instead of offering a form the server would refuse, while a link
 * still opens for them; a signed-in member sees the form the policy allows.
 */
import { seal, shareLink } from "@hushlink/protocol/client";

import { callApi, signUp } from "../fixtures/accounts.js";
import { signUpAdmin } from "../fixtures/org-admin.js";
import { startExtraServer, type ExtraServer } from "../fixtures/server-process.js";
import { expect, test } from "../fixtures/test.js";
import { checkBothWidths } from "../fixtures/widths.js";

let closed: ExtraServer;
test.beforeAll(async () => {
  closed = await startExtraServer({ ANONYMOUS_SHARING: "off" });
});
test.afterAll(async () => {
  await closed.stop();
});

test("ANONYMOUS_SHARING=off: visitors are asked to sign in; links still open for them", async ({
  page,
  newVisitor,
}) => {
  await page.goto(`${closed.url}/`);
  await expect(page.getByRole("heading", { name: "Sign in to share a secret" })).toBeVisible();
  await expect(page.getByLabel("Secret", { exact: true })).toHaveCount(0);
  await checkBothWidths(page, "anonymous-sharing-off");
  await page.getByRole("link", { name: "Sign in" }).first().click();
  await expect(page).toHaveURL(/\/login/);

  // A member's share opens for a visitor without an account.
  const sealed = await seal("visible to the link holder");
  const member = await newVisitor({ baseURL: closed.url });
  const created = await callApi(member, "POST", "/api/v1/shares", {
    ...sealed.body,
    expiresIn: 3600,
  });
  // Only signed-in members may create: the visitor's context is not signed in yet.
  expect(created.status).toBe(401);
  await signUp(member, { verified: false });
  const accepted = await callApi(member, "POST", "/api/v1/shares", {
    ...sealed.body,
    expiresIn: 3600,
  });
  expect(accepted.status).toBe(201);
  const visitor = await newVisitor();
  const view = await visitor.newPage();
  await view.goto(shareLink(closed.url, sealed.linkSecret));
  await view.getByRole("button", { name: /Reveal/ }).click();
  await view.getByRole("button", { name: /Show the secret/ }).click();
  await expect(view.getByText("visible to the link holder")).toBeVisible();
});

test("an admin sets the policy in the Security tab; the share form offers only what it allows", async ({
  page,
}) => {
  const admin = await signUpAdmin(page, "Policy Admin");
  await page.goto("/app/security");
  await expect(page.getByRole("heading", { name: "Sharing policy" })).toBeVisible();
  await page.getByLabel("Longest expiry").selectOption({ label: "1 hour" });
  await page.getByLabel("Most views per link").fill("3");
  await page.getByLabel("Require a password on every share").check();
  await page.getByLabel("Allow shares that anyone with the link can open").uncheck();
  await page.getByLabel("Allow files").uncheck();
  await page.getByRole("button", { name: "Save policy" }).click();
  await expect(page.getByText("The sharing policy is saved.")).toBeVisible();
  await checkBothWidths(page, "security-sharing-policy");

  // What the server holds is what the form said.
  const saved = await callApi<{ policy: Record<string, unknown> }>(
    page.context(),
    "GET",
    `/api/v1/orgs/${admin.orgId}/policy`,
  );
  expect(saved.body.policy).toMatchObject({
    maxExpiresIn: 3600,
    maxViews: 3,
    requirePassword: true,
    allowAnyoneWithLink: false,
    allowFiles: false,
  });

  await page.goto("/");
  await expect(page.getByText("Every secret needs a password.")).toBeVisible();
  // Longer presets and more views are not offered; files are not offered at all.
  await expect(page.getByLabel("Expires in").locator("option", { hasText: "1 day" })).toHaveCount(
    0,
  );
  await expect(page.getByLabel("Max views").locator("option", { hasText: "5 views" })).toHaveCount(
    0,
  );
  await expect(page.getByTestId("file-drop")).toHaveCount(0);
  await expect(page.getByLabel(/Organization only|Limit access/)).toBeChecked();
  await expect(page.getByLabel(/Limit access/)).toBeDisabled();
  await expect(
    page.getByLabel("Max views").locator("option", { hasText: "Unlimited" }),
  ).toHaveCount(0);
  await checkBothWidths(page, "share-form-under-policy");

  await page.getByLabel("Secret", { exact: true }).fill("under the policy");
  await page.getByRole("button", { name: "Create secret link" }).click();
  await expect(page.getByText(/Enter a password/)).toBeVisible();
  await page.getByLabel(/^Password/).fill("fir-moss-cello-7");
  await page.getByRole("button", { name: "Create secret link" }).click();
  await expect(page.getByRole("heading", { name: "Your secret link" })).toBeVisible();
});
