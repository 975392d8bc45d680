/**
 * Every page state of issue 5 (sign-in pages, invitations, the dashboard's tabs, the signed-in
 * share form and view page), at the project's viewport (desktop 1280×800 and mobile 390×844):
 * axe-core finds no serious or critical violation, nothing scrolls sideways, and a screenshot
 * goes to e2e/artifacts/screenshots/.
 */
import type { Page } from "@playwright/test";

import { buildMemberShare, callApi, PASSWORD, signUp, uniqueEmail } from "../fixtures/accounts.js";
import { expectAccessible, screenshot } from "../fixtures/checks.js";
import { linkIn, waitForMail } from "../fixtures/mail.js";
import { expireShare } from "../fixtures/shares.js";
import { expect, test } from "../fixtures/test.js";

/** axe and a screenshot of the page as it is now. */
async function capture(page: Page, testInfo: Parameters<typeof screenshot>[1], name: string) {
  await expectAccessible(page, name);
  await screenshot(page, testInfo, name);
}

test("sign-in pages: login, sign-up, forgot and reset password", async ({
  page,
  server,
  newVisitor,
}, testInfo) => {
  // Ten states with axe and a full-page screenshot each, and about five argon2 hashes: 38-39 s
  // at load 15 on the 2-core machine, over the 60 s default at load 28; as slow as the dashboard's.
  test.slow();
  await page.goto("/login");
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await capture(page, testInfo, "account-01-login");

  await page.getByLabel("E-mail address").fill("nobody@example.test");
  await page.getByLabel("Password", { exact: true }).fill("wrong-password-here");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toHaveText("The e-mail address or the password is wrong.");
  await capture(page, testInfo, "account-02-login-wrong");

  await page.goto("/signup");
  await expect(page.getByRole("heading", { name: "Create an account" })).toBeVisible();
  await capture(page, testInfo, "account-03-signup");
  await page.getByLabel("E-mail address").fill("someone@example.test");
  await page.getByLabel("Password", { exact: true }).fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("alert")).toHaveText("Use at least 10 characters.");
  await expect(page.getByLabel("Password", { exact: true })).toBeFocused();
  await capture(page, testInfo, "account-04-signup-invalid");
  // A valid sign-up says "check your inbox", for a new address as for a taken one (issue 15).
  await page.getByLabel("Password", { exact: true }).fill("Quiet-Harbour-Lantern-31");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { name: "Check your inbox" })).toBeVisible();
  await expect(page.getByText("We sent a message to someone@example.test.")).toBeVisible();
  await capture(page, testInfo, "account-04b-signup-check-inbox");

  // Reset: the same answer for any address; the real one gets a link with the token after "#".
  const owner = await signUp(await newVisitor(), { label: "forgetful" });
  await page.goto("/forgot-password");
  await capture(page, testInfo, "account-05-forgot");
  await page.getByLabel("E-mail address").fill(owner.email);
  await page.getByRole("button", { name: "Send reset link" }).click();
  await expect(page.getByRole("heading", { name: "Check your e-mail" })).toBeVisible();
  await capture(page, testInfo, "account-06-forgot-sent");
  await page.goto("/forgot-password");
  await page.getByLabel("E-mail address").fill("no-account@example.test");
  await page.getByRole("button", { name: "Send reset link" }).click();
  await expect(page.getByRole("heading", { name: "Check your e-mail" })).toBeVisible();

  const mail = await waitForMail(owner.email, /Reset your Hushlink password/);
  const resetLink = linkIn(mail, `${server.url}/reset-password#`);
  await page.goto(resetLink);
  await expect(page.getByRole("heading", { name: "Choose a new password" })).toBeVisible();
  expect(page.url()).toBe(`${server.url}/reset-password`);
  await page.getByLabel("New password", { exact: true }).fill("Blue-Copper-Kettle-77");
  await page.getByLabel("New password, again").fill("Blue-Copper-Kettle-78");
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page.getByRole("alert")).toHaveText("The two passwords are not the same.");
  await capture(page, testInfo, "account-07-reset");
  await page.getByLabel("New password, again").fill("Blue-Copper-Kettle-77");
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page).toHaveURL(`${server.url}/login?notice=password-reset`);
  await expect(page.getByRole("status")).toContainText("Your password was changed");
  await capture(page, testInfo, "account-08-login-after-reset");
  await page.getByLabel("E-mail address").fill(owner.email);
  await page.getByLabel("Password", { exact: true }).fill("Blue-Copper-Kettle-77");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(`${server.url}/app`);

  // The link works once.
  await page.goto(resetLink);
  await page.getByLabel("New password", { exact: true }).fill("Another-Copper-Kettle-1");
  await page.getByLabel("New password, again").fill("Another-Copper-Kettle-1");
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page.getByRole("heading", { name: "This reset link does not work" })).toBeVisible();
  await capture(page, testInfo, "account-09-reset-invalid");
});

test("verify-email: confirmed, then the used link; resend when unverified", async ({
  page,
  server,
}, testInfo) => {
  const account = await signUp(page.context(), { label: "verify", verified: false });
  await page.goto("/app/account");
  await expect(page.getByText("Not confirmed yet")).toBeVisible();
  await page.getByRole("button", { name: "Resend the link" }).first().click();
  await expect(page.getByText(`We sent a new link to ${account.email}.`).first()).toBeVisible();
  await capture(page, testInfo, "account-10-account-unverified");

  // Two mails now (sign-up, resend); the newest link is the one that works.
  const mail = await waitForMail(account.email, /Confirm your e-mail address/, { nth: 2 });
  await page.goto(linkIn(mail, `${server.url}/verify-email#`));
  await expect(
    page.getByRole("heading", { name: "Your e-mail address is confirmed" }),
  ).toBeVisible();
  await capture(page, testInfo, "account-11-verified");

  await page.context().clearCookies();
  await page.goto("/verify-email?token=not-a-real-token");
  await expect(
    page.getByRole("heading", { name: "This confirmation link does not work" }),
  ).toBeVisible();
  await capture(page, testInfo, "account-12-verify-invalid");
});

test("invitation page: signed out, wrong account, right account, joined, spent", async ({
  page,
  server,
  newVisitor,
}, testInfo) => {
  const adminContext = await newVisitor();
  const admin = await signUp(adminContext, { label: "inviter", name: "Monica Reyes" });
  const inviteeEmail = uniqueEmail("guest");
  const invited = await callApi(
    adminContext,
    "POST",
    `/api/v1/orgs/${admin.me.orgs[0]?.id}/invitations`,
    { email: inviteeEmail, role: "admin" },
  );
  expect(invited.status).toBe(201);
  const link = linkIn(
    await waitForMail(inviteeEmail, /invited you to/),
    `${server.url}/invitations/`,
  );

  await page.goto(link);
  await expect(
    page.getByRole("heading", { name: "Join Monica Reyes's organization as an admin" }),
  ).toBeVisible();
  await capture(page, testInfo, "invitation-01-signed-out");

  // Signed in as someone else.
  await signUp(page.context(), { label: "someone-else" });
  await page.reload();
  await expect(page.getByText("but this invitation is for")).toBeVisible();
  await capture(page, testInfo, "invitation-02-other-account");

  // "Sign out and continue as …" leads to sign-in with the address filled in.
  await page.getByRole("button", { name: `Sign out and continue as ${inviteeEmail}` }).click();
  await expect(page).toHaveURL(/\/login\?next=%2Finvitations%2F/);
  await expect(page.getByLabel("E-mail address")).toHaveValue(inviteeEmail);
  await page.getByRole("link", { name: "Create an account" }).click();
  await expect(page.getByLabel("E-mail address")).toHaveValue(inviteeEmail);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  // Signed up through the invitation: a member of that organization only, confirmed, in /app.
  await expect(page).toHaveURL(`${server.url}/app`);
  await expect(page.getByRole("heading", { name: "Monica Reyes's organization" })).toBeVisible();
  await expect(page.getByText("Confirm your e-mail address.")).toHaveCount(0);
  const me = await callApi<{ user: { emailVerified: boolean }; orgs: { name: string }[] }>(
    page.context(),
    "GET",
    "/api/v1/auth/me",
  );
  expect(me.body.user.emailVerified).toBe(true);
  expect(me.body.orgs.map((o) => o.name)).toEqual(["Monica Reyes's organization"]);
  await capture(page, testInfo, "invitation-04-joined");

  await page.goto(link);
  await expect(page.getByRole("heading", { name: "This invitation does not work" })).toBeVisible();
  await capture(page, testInfo, "invitation-05-spent");
});

test("dashboard: every tab, shares in every state, access log, dialogs, header menu", async ({
  page,
  server,
  newVisitor,
}, testInfo) => {
  test.slow(); // two dozen shares, every tab, and axe on each
  const context = page.context();
  await signUp(context, { label: "fox", name: "Fox Mulder" });

  await page.goto("/app");
  await expect(page.getByText("No secrets shared yet")).toBeVisible();
  await capture(page, testInfo, "app-01-shares-empty");

  // Twenty-three shares: one more page than the first, and each status.
  for (let i = 1; i <= 19; i++) {
    await buildMemberShare(context, server, { name: `Deploy key ${i}`, maxViews: 5 });
  }
  const expired = await buildMemberShare(context, server, { name: "Old VPN profile" });
  expireShare(server, expired.id);
  const deleted = await buildMemberShare(context, server, { name: "Wrong paste" });
  await callApi(context, "DELETE", `/api/v1/shares/${deleted.id}`);
  const viewed = await buildMemberShare(context, server, { name: "Wi-Fi password for guests" });
  const reveal = await (
    await newVisitor()
  ).request.post(`/api/v1/shares/${viewed.id}/reveal`, {
    data: { viewToken: viewed.viewToken },
  });
  expect(reveal.status()).toBe(200);
  await buildMemberShare(context, server, {
    name: "Production database, read-only user for the analytics team",
    access: "organization",
    maxViews: null,
  });

  await page.reload();
  const table = page.getByRole("table", { name: /^Shared secrets of/ });
  await expect(table.getByRole("row")).toHaveCount(21); // header + 20
  await expect(page.getByRole("button", { name: "Load more" })).toBeVisible();
  await capture(page, testInfo, "app-02-shares");

  await page.getByRole("button", { name: "Load more" }).click();
  await expect(table.getByRole("row")).toHaveCount(24);
  await expect(page.getByRole("button", { name: "Load more" })).toHaveCount(0);
  for (const [name, status] of [
    ["Old VPN profile", "Expired"],
    ["Wrong paste", "Deleted"],
    ["Wi-Fi password for guests", "Viewed"],
  ] as const) {
    await expect(table.getByRole("row").filter({ hasText: name })).toContainText(status);
  }

  const viewedRow = table.getByRole("row").filter({ hasText: "Wi-Fi password for guests" });
  await viewedRow.getByRole("button", { name: /Access log/ }).click();
  await expect(page.getByRole("table", { name: "Access log" })).toContainText("Revealed");
  await viewedRow.scrollIntoViewIfNeeded();
  await capture(page, testInfo, "app-03-shares-access-log");

  await table
    .getByRole("button", {
      name: "Delete Production database, read-only user for the analytics team",
    })
    .click();
  await expect(page.getByRole("dialog", { name: "Delete this secret?" })).toBeVisible();
  await capture(page, testInfo, "app-04-shares-delete-dialog");
  await page.keyboard.press("Escape");
  await expect(page.getByRole("dialog")).toHaveCount(0);

  // The header's account menu.
  await page.getByRole("button", { name: /^Account menu of/ }).click();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  await capture(page, testInfo, "app-05-account-menu");
  await page.keyboard.press("Escape");
  await expect(page.getByRole("button", { name: "Sign out" })).toBeHidden();

  // Every tab in the bar: axe on each, screenshots of this issue's own.
  const tabs = page.getByRole("navigation", { name: "Dashboard" }).getByRole("link");
  const labels = await tabs.allInnerTexts();
  expect(labels).toEqual(expect.arrayContaining(["Shares", "Members", "API tokens", "Account"]));
  for (const label of labels) {
    await tabs.getByText(label, { exact: true }).click();
    await expect(tabs.getByText(label, { exact: true })).toHaveAttribute("aria-current", "page");
    await expect(page.getByRole("status").filter({ hasText: "Loading" })).toHaveCount(0);
    await expectAccessible(page, `/app tab ${label}`);
  }

  await page.goto("/app/members");
  await page.getByLabel("E-mail address").fill(uniqueEmail("colleague"));
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByText("Invitation sent to")).toBeVisible();
  await capture(page, testInfo, "app-06-members");

  await page.goto("/app/tokens");
  await page.getByLabel("Token name").fill("Laptop CLI");
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByRole("textbox", { name: "Your new API token" })).toBeVisible();
  await capture(page, testInfo, "app-07-tokens-created");

  await page.goto("/app/account");
  await expect(page.getByText("Confirmed", { exact: true })).toBeVisible();
  await capture(page, testInfo, "app-08-account");

  await page.goto("/app/nothing-here");
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
});

test("dashboard when signed out: sign in, then back to the tab", async ({ page, server }) => {
  const account = await signUp(page.context(), { label: "return" });
  await page.context().clearCookies();
  await page.goto("/app/tokens");
  await expect(page).toHaveURL(`${server.url}/login?next=%2Fapp%2Ftokens`);
  await page.getByLabel("E-mail address").fill(account.email);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(`${server.url}/app/tokens`);
  await expect(page.getByRole("heading", { name: "API tokens" })).toBeVisible();

  // Sign out from the menu: back to the share page, signed out.
  await page.getByRole("button", { name: /^Account menu of/ }).click();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(`${server.url}/`);
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
  await page.goto("/app");
  await expect(page).toHaveURL(`${server.url}/login?next=%2Fapp`);
});

test("no open redirect: next must be a path on this site", async ({ page, server }) => {
  const account = await signUp(page.context(), { label: "redirect" });
  await page.context().clearCookies();
  for (const next of [
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example",
    "javascript:alert(1)",
  ]) {
    await page.goto(`/login?next=${encodeURIComponent(next)}`);
    await page.getByLabel("E-mail address").fill(account.email);
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(`${server.url}/app`);
    // Leave the dashboard first: signed out, it would redirect to /login while the next goto runs.
    await page.goto("about:blank");
    await page.context().clearCookies();
  }
});

test("share form and view page, signed in", async ({ page, newVisitor }, testInfo) => {
  const context = page.context();
  await signUp(context, { label: "creator", name: "John Doggett" });
  await page.goto("/");
  await expect(page.getByLabel("Limit access to people within organization")).toBeVisible();
  await page.getByLabel("Secret", { exact: true }).fill("root / Correct-Horse-Battery-9");
  await page.getByLabel(/^Name/).fill("Router admin");
  await page.getByLabel("Limit access to people within organization").check();
  await page.getByLabel("E-mail me when it is viewed").check();
  await capture(page, testInfo, "signed-in-01-share-form");

  await page.getByRole("button", { name: "Create secret link" }).click();
  await expect(page.getByRole("heading", { name: "Your secret link is ready" })).toBeVisible();
  await expect(page.getByText("Only for John Doggett's organization")).toBeVisible();
  await expect(page.getByRole("link", { name: "See it in your dashboard" })).toBeVisible();
  await capture(page, testInfo, "signed-in-02-share-created");
  const link = await page.getByRole("textbox", { name: "Share link" }).inputValue();

  const stranger = await (await newVisitor()).newPage();
  await stranger.goto(link);
  await expect(
    stranger.getByRole("heading", { name: "Sign in to open this secret" }),
  ).toBeVisible();
  await capture(stranger, testInfo, "signed-in-03-view-sign-in");

  await signUp(stranger.context(), { label: "stranger" });
  const strangerPage = await stranger.context().newPage();
  await strangerPage.goto(link);
  await expect(
    strangerPage.getByRole("heading", { name: "Your account is not in the sender's organization" }),
  ).toBeVisible();
  await capture(strangerPage, testInfo, "signed-in-04-view-not-allowed");
});
