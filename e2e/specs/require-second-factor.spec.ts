/**
 * "Require a second factor" (SPEC F16) in the browser: the admin turns it on in the Security tab;
 * a member without one signs in and reaches only enrolment, on every dashboard route and through
 * the API; after setting up an authenticator app the dashboard opens. The admin then resets the
 * member's second factor from the Members tab (with a confirmation), and the member gets the mail
 * through the real SMTP catcher. Codes are computed with otplib, as an authenticator app would.
 */
import { generate } from "otplib";

import { callApi, PASSWORD, signUp, uniqueEmail } from "../fixtures/accounts.js";
import { linkIn, waitForMail } from "../fixtures/mail.js";
import { expect, test } from "../fixtures/test.js";
import { checkBothWidths } from "../fixtures/widths.js";
import type { BrowserContext } from "@playwright/test";

const codeFor = (secret: string, steps = 0) =>
  generate({ secret, epoch: Math.floor(Date.now() / 1000) + steps * 30 });

/** Sets up an authenticator app through the API (the admin's own, before requiring it). */
async function enrolByApi(context: BrowserContext) {
  const started = await callApi<{ secret: string }>(
    context,
    "POST",
    "/api/v1/auth/second-factor/totp",
  );
  expect(started.status).toBe(200);
  const confirmed = await callApi(context, "POST", "/api/v1/auth/second-factor/totp/confirm", {
    code: await codeFor(started.body.secret),
  });
  expect(confirmed.status).toBe(200);
}

test("require a second factor: the member reaches only enrolment until set up; the admin resets it and the member is mailed", async ({
  page,
  server,
  newVisitor,
}) => {
  test.setTimeout(300_000);
  const admin = await signUp(page.context(), { label: "req2fa-admin", name: "Walter Skinner" });
  const orgId = admin.me.orgs[0]!.id;
  await enrolByApi(page.context());

  // A member joins through an invitation (the API; the invitation pages have specs of their own).
  const memberEmail = uniqueEmail("req2fa-member");
  const invited = await callApi(page.context(), "POST", `/api/v1/orgs/${orgId}/invitations`, {
    email: memberEmail,
    role: "member",
  });
  expect(invited.status).toBe(201);
  const invitation = linkIn(
    await waitForMail(memberEmail, /invited you to/),
    `${server.url}/invitations/`,
  ).slice(`${server.url}/invitations/`.length);
  const memberContext = await newVisitor();
  const joined = await callApi(memberContext, "POST", "/api/v1/auth/signup", {
    email: memberEmail,
    password: PASSWORD,
    invitation,
  });
  expect(joined.status).toBe(201);
  await memberContext.clearCookies();

  // The admin turns the requirement on.
  await page.goto("/app/security");
  const section = page.getByRole("region", { name: "Two-step sign-in" });
  const toggle = section.getByLabel("Require a second factor");
  await expect(toggle).not.toBeChecked();
  await toggle.check();
  await section.getByRole("button", { name: "Save" }).click();
  await expect(section.getByRole("status")).toContainText(
    "A second factor is now required of every member.",
  );
  await checkBothWidths(page, "require-second-factor-security");

  // The member signs in and is sent to enrolment, wherever they go in the dashboard.
  const member = await memberContext.newPage();
  await member.goto("/login");
  await member.getByLabel("E-mail address").fill(memberEmail);
  await member.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await member.getByRole("button", { name: "Sign in" }).click();
  const enrolment = member.getByRole("heading", { name: "Set up two-step sign-in" });
  await expect(enrolment).toBeVisible();
  await checkBothWidths(member, "require-second-factor-enrolment");
  for (const path of ["/app", "/app/requests", "/app/members", "/app/tokens", "/app/account"]) {
    await member.goto(path);
    await expect(enrolment, path).toBeVisible();
    await expect(member.getByRole("navigation", { name: /dashboard/i }), path).toHaveCount(0);
  }
  // The API refuses the member too, with the code that says why.
  const refused = await callApi<{ error: { code: string } }>(
    memberContext,
    "GET",
    "/api/v1/shares",
  );
  expect(refused.status).toBe(403);
  expect(refused.body.error.code).toBe("second_factor_required");

  // Enrolment: the authenticator app, its first code, the recovery codes; then the dashboard.
  await member.getByRole("button", { name: "Set up an authenticator app" }).click();
  const secret = ((await member.getByTestId("totp-secret").textContent()) ?? "").replace(/\s/g, "");
  await member.getByLabel("Code from the app").fill(await codeFor(secret));
  await member.getByRole("button", { name: "Turn on" }).click();
  await expect(member.getByTestId("recovery-codes").getByRole("listitem")).toHaveCount(10);
  await member.getByRole("button", { name: "I have saved them" }).click();
  await expect(enrolment).toHaveCount(0);
  await member.goto("/app/members");
  await expect(member.getByRole("heading", { name: /^Members of / })).toBeVisible();
  expect((await callApi(memberContext, "GET", "/api/v1/shares")).status).toBe(200);

  // The admin sees the member's state and resets it, after confirming.
  await page.goto("/app/members");
  const row = page.getByRole("row").filter({ hasText: memberEmail });
  await expect(row).toContainText("Two-step sign-in on");
  await row.getByRole("button", { name: `Reset second factor of ${memberEmail}` }).click();
  const dialog = page.getByRole("dialog", { name: "Reset this member's second factor?" });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText("they are told by e-mail");
  await checkBothWidths(page, "require-second-factor-reset-dialog");
  await dialog.getByRole("button", { name: "Reset second factor" }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toContainText("No two-step sign-in");
  await expect(row.getByRole("button", { name: /Reset second factor/ })).toHaveCount(0);
  await checkBothWidths(page, "require-second-factor-members");

  const mail = await waitForMail(memberEmail, /Two-step sign-in was reset/);
  expect(mail.text).not.toMatch(/https?:\/\//);
  // Back to enrolment for the member.
  await member.goto("/app");
  await expect(enrolment).toBeVisible();
});
