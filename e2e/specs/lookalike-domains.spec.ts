/**
 * Lookalike domains (docs/SPEC.md): wherever the dashboard shows an address whose domain is not
 * plain ASCII, the domain's punycode stands beside it, so an all-Cyrillic lookalike of a Latin
 * domain shows as the xn-- name it is. Here: a pending invitation and a member at bücher.example.
 */
import { callApi, PASSWORD, signUp } from "../fixtures/accounts.js";
import { linkIn, waitForMail } from "../fixtures/mail.js";
import { expect, test } from "../fixtures/test.js";
import { checkBothWidths } from "../fixtures/widths.js";

test("members and invitations show a non-ASCII domain with its punycode", async ({
  page,
  server,
  newVisitor,
}) => {
  const admin = await signUp(page.context(), { label: "admin", name: "Dana Scully" });
  const orgId = admin.me.orgs[0]!.id;
  const local = `jurgen-${Date.now().toString(36)}${process.pid.toString(36)}`;
  const email = `${local}@bücher.example`;
  const punycode = "(xn--bcher-kva.example)";

  // Invited in its punycode spelling, it is stored and shown in its Unicode one.
  const invited = await callApi(page.context(), "POST", `/api/v1/orgs/${orgId}/invitations`, {
    email: `${local}@xn--bcher-kva.example`,
    role: "member",
  });
  expect(invited.status, JSON.stringify(invited.body)).toBe(201);
  await page.goto("/app/members");
  const pending = page.getByRole("row").filter({ hasText: email });
  await expect(pending).toContainText(punycode);

  // The invitee signs up with the invitation: a member at once, no address name of their own.
  // The test SMTP server takes SMTPUTF8, so the envelope keeps the Unicode spelling.
  const mail = await waitForMail(email, /invited you to/);
  const token = linkIn(mail, `${server.url}/invitations/`).split("/").pop() ?? "";
  const invitee = await newVisitor();
  const joined = await callApi(invitee, "POST", "/api/v1/auth/signup", {
    email,
    password: PASSWORD,
    invitation: token,
  });
  expect(joined.status, JSON.stringify(joined.body)).toBe(201);

  await page.reload();
  const members = page.getByRole("table", { name: /^Members of/ });
  const row = members.getByRole("row").filter({ hasText: email });
  await expect(row).toContainText(punycode);
  // An ASCII address has nothing beside it.
  await expect(members.getByRole("row").filter({ hasText: admin.email })).not.toContainText("xn--");
  await checkBothWidths(page, "members-idn");
});

test("the SSO settings show a claimed non-ASCII domain with its punycode", async ({ page }) => {
  const admin = await signUp(page.context(), { label: "sso-idn", name: "Fox Mulder" });
  const orgId = admin.me.orgs[0]!.id;
  const label = `bücher-${Date.now().toString(36)}${process.pid.toString(36)}`;
  const domain = `${label}.example`;
  const ascii = new URL(`http://${domain}`).hostname;
  // Claimed in its punycode spelling, next to an ASCII domain; no provider is asked on save.
  const saved = await callApi(page.context(), "PUT", `/api/v1/orgs/${orgId}/sso`, {
    enabled: false,
    issuer: "https://idp.example.test",
    clientId: "hushlink",
    clientSecret: "provider-issued-client-secret",
    domains: [ascii, `${label.replace("bücher", "plain")}.test`],
  });
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);

  await page.goto("/app/security");
  const claims = page.getByTestId("sso-claim");
  const idn = claims.filter({ hasText: domain });
  await expect(idn.locator("strong")).toHaveText(`${domain} (${ascii})`);
  // The TXT record's name is in ASCII, as DNS holds it; an ASCII domain has nothing beside it.
  await expect(idn.locator("code").first()).toHaveText(`_hushlink.${ascii}`);
  await expect(claims.filter({ hasText: "plain-" }).locator("strong")).not.toContainText("(");
  await checkBothWidths(page, "security-sso-idn");
});
