/**
 * Lookalike domains (docs/SPEC.md): wherever the dashboard shows an address whose domain is not
 * plain ASCII, the domain's punycode stands beside it, so an all-Cyrillic lookalike of a Latin
 * domain shows as the xn-- name it is. Here: a pending invitation and a member at bücher.example.
 */
import { callApi, PASSWORD, signUp } from "../fixtures/accounts.js";
import { linkIn, waitForMail } from "../fixtures/mail.js";
import { expect, test } from "../fixtures/test.js";
import { checkBothWidths } from "../fixtures/widths.js";

// The last test makes a share for two recipients and takes screenshots at two widths thrice.
test.describe.configure({ timeout: 180_000 });

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

test("recipient chips and the dashboard's recipients show a whole-script IDN with its punycode; a mixed-script one is refused at the field", async ({
  page,
}) => {
  await signUp(page.context(), { label: "chips-idn", name: "Walter Skinner" });
  const local = `ivan-${Date.now().toString(36)}${process.pid.toString(36)}`;
  const idn = `${local}@пример.рф`;
  const punycode = "(xn--e1afmkfd.xn--p1ai)";
  // "exаmple.com" with a Cyrillic "а" (U+0430): one label, two alphabets.
  const mixed = `eve-${local}@ex\u0430mple.com`;

  await page.goto("/");
  await page.getByLabel("Secret", { exact: true }).fill("wifi: correct-horse");
  const to = page.getByLabel(/^E-mail the link to/);
  await to.fill(`${idn}, ${mixed}`);
  await to.press("Enter");
  const chips = page.getByRole("list", { name: "Recipients" }).getByRole("listitem");
  await expect(chips.filter({ hasText: idn })).toContainText(punycode);
  // On a phone too the punycode is there to read, not cut off with "…" at the chip's end.
  await page.setViewportSize({ width: 390, height: 844 });
  for (const text of await page.locator(".chip__text").all()) {
    expect(await text.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  // The mixed-script domain has a punycode too: it is the server that refuses it.
  await expect(chips.filter({ hasText: mixed })).toContainText("(xn--");
  await page.getByLabel("Allow external recipients").check();
  await page.getByLabel(/^Password/).fill(PASSWORD);
  await checkBothWidths(page, "share-chips-idn");

  await page.getByRole("button", { name: "Create secret link" }).click();
  const refused = page.getByRole("alert").filter({ hasText: "mixes alphabets" });
  // Hashing the password for two links comes first: slow on a loaded machine.
  await expect(refused).toHaveText(
    "An address's domain mixes alphabets in one name, so it looks like another domain. Check it letter by letter.",
    { timeout: 30_000 },
  );
  // At the recipients field, not the form's foot: the field has the focus, the chip is marked.
  await expect(to).toBeFocused();
  await expect(to).toHaveAttribute("aria-invalid", "true");
  await expect(to).toHaveAccessibleDescription(/mixes alphabets/);
  await expect(chips.filter({ hasText: mixed })).toHaveClass(/chip--invalid/);
  await expect(chips.filter({ hasText: idn })).not.toHaveClass(/chip--invalid/);
  await checkBothWidths(page, "share-chips-mixed-script");

  await page.getByRole("button", { name: `Remove ${mixed}` }).click();
  await expect(refused).toBeHidden();
  await page.getByRole("button", { name: "Create secret link" }).click();
  await expect(page.getByRole("heading", { name: "Your secret link is ready" })).toBeVisible({
    timeout: 20_000,
  });

  // The dashboard's share list: the recipient's line names the address with its punycode.
  await page.goto("/app");
  const line = page.locator("li.recipient-line").filter({ hasText: idn });
  await expect(line.locator(".recipient-line__email")).toContainText(idn);
  await expect(line.locator(".recipient-line__email")).toContainText(punycode);
  await checkBothWidths(page, "dashboard-recipient-idn");
});
