/**
 * Issue 25, defect 11: on a server without SMTP the share form says why it cannot e-mail the
 * link, and tells admins what to configure; members are told whom to ask. A second server runs
 * for this, built like the run's own but without SMTP_URL (its mail goes to .eml files).
 */
import type { BrowserContext } from "@playwright/test";

import { PASSWORD, uniqueEmail } from "../fixtures/accounts.js";
import { callExtra, tokenFromMail } from "../fixtures/extra-accounts.js";
import { startExtraServer, type ExtraServer } from "../fixtures/server-process.js";
import { expect, test } from "../fixtures/test.js";
import { checkBothWidths } from "../fixtures/widths.js";

let extra: ExtraServer;
test.beforeAll(async () => {
  extra = await startExtraServer();
});
test.afterAll(async () => {
  await extra.stop();
});

/** The token after `marker` in the newest mail file of this spec's server to `email`. */
const mailToken = (email: string, marker: RegExp) => tokenFromMail(extra, email, marker);
/** A JSON API call to this spec's server. */
const call = (context: BrowserContext, method: string, url: string, data?: unknown) =>
  callExtra(extra, context, method, url, data);

test("without SMTP the share form says why there are no e-mail recipients", async ({
  newVisitor,
}) => {
  const adminContext = await newVisitor();
  const adminEmail = uniqueEmail("admin");
  expect(
    (
      await call(adminContext, "POST", "/api/v1/auth/signup", {
        email: adminEmail,
        password: PASSWORD,
      })
    ).status,
  ).toBe(202);
  const verify = await mailToken(adminEmail, /verify-email#([\w-]+)/);
  expect(
    (await call(adminContext, "POST", "/api/v1/auth/verify-email", { token: verify })).status,
  ).toBeLessThan(300);
  const signedIn = await call(adminContext, "POST", "/api/v1/auth/login", {
    email: adminEmail,
    password: PASSWORD,
  });
  expect(signedIn.status).toBe(200);

  const admin = await adminContext.newPage();
  await admin.goto(`${extra.url}/`);
  const note = admin.getByTestId("email-off");
  await expect(note).toContainText("this server cannot send e-mail, because no mail server (SMTP)");
  await expect(note).toContainText("sets SMTP_URL");
  await expect(note).toContainText("MAIL_FROM");
  await expect(admin.getByLabel(/^E-mail the link to/)).toHaveCount(0);
  await checkBothWidths(admin, "email-off-admin");

  // A member is told whom to ask, not how to configure a server they do not run.
  const me = (await call(adminContext, "GET", "/api/v1/auth/me")).body as {
    orgs: { id: string }[];
  };
  const memberEmail = uniqueEmail("member");
  expect(
    (
      await call(adminContext, "POST", `/api/v1/orgs/${me.orgs[0]!.id}/invitations`, {
        email: memberEmail,
        role: "member",
      })
    ).status,
  ).toBe(201);
  const invitation = await mailToken(memberEmail, /\/invitations\/([\w-]+)/);
  const memberContext = await newVisitor();
  expect(
    (
      await call(memberContext, "POST", "/api/v1/auth/signup", {
        email: memberEmail,
        password: PASSWORD,
        invitation,
      })
    ).status,
  ).toBe(201);
  const member = await memberContext.newPage();
  await member.goto(`${extra.url}/`);
  await expect(member.getByTestId("email-off")).toContainText(
    "An admin of your organization can ask whoever runs this server to set it up.",
  );
  await expect(member.getByTestId("email-off")).not.toContainText("SMTP_URL");
  await checkBothWidths(member, "email-off-member");
});
