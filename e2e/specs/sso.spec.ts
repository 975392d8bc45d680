/**
 * Single sign-on in Chromium (SPEC F15) against a real OpenID provider (`oidc-provider`) that the
 * spec starts on 127.0.0.1: an admin connects it in the Security tab and tests the connection; a
 * new person signs in through it (account confirmed, member of the organization); an existing
 * password account of a member is linked; with "require single sign-on" the password is refused except for
 * the break-glass admin; a share one SSO member limits to the organization opens for another SSO
 * member. axe and screenshots at 1280 and 390 px on the way.
 */
import { randomBytes } from "node:crypto";

import type { Me } from "@hushlink/protocol";
import type { Page } from "@playwright/test";

import { startTestProvider, type TestProvider } from "../../server/test/helpers/oidc-provider.js";
import { callApi, PASSWORD, signUp } from "../fixtures/accounts.js";
import { publishTxt } from "../fixtures/dns.js";
import { linkIn, waitForMail } from "../fixtures/mail.js";
import { expect, test } from "../fixtures/test.js";
import { checkBothWidths } from "../fixtures/widths.js";

const domain = `acme-${randomBytes(4).toString("hex")}.test`;
const at = (local: string) => `${local}@${domain}`;

async function typeAddress(page: Page, email: string) {
  await page.goto("/login");
  await page.getByLabel("E-mail address").fill(email);
}

test("single sign-on: set up, first sign-in, linking, require SSO", async ({
  page,
  context,
  server,
  newVisitor,
}) => {
  test.setTimeout(180_000);
  const admin = await signUp(context, { email: at("admin"), name: "Acme SSO" });
  const orgId = admin.me.orgs[0]!.id;
  const linkedContext = await newVisitor();
  const linked = await signUp(linkedContext, { email: at("linked") });
  // The provider links a confirmed account only once it is a member: a proven domain says who
  // runs its DNS, not that its accounts here are the organization's.
  const invited = await callApi(context, "POST", `/api/v1/orgs/${orgId}/invitations`, {
    email: linked.email,
    role: "member",
  });
  expect(invited.status, JSON.stringify(invited.body)).toBe(201);
  const invitation = linkIn(
    await waitForMail(linked.email, /invited you to/),
    `${server.url}/invitations/`,
  )
    .split("/")
    .pop();
  const accepted = await callApi(linkedContext, "POST", `/api/v1/invitations/${invitation}/accept`);
  expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
  let idp: TestProvider | null = null;
  // The browsers signed in through the provider, kept for the organization-only share below.
  let newcomerTab: Page | null = null;
  let linkedTab: Page | null = null;
  try {
    idp = await startTestProvider(`${server.url}/api/v1/auth/sso/callback`);
    const provider = idp;

    await test.step("the admin connects the provider and tests the connection", async () => {
      await page.goto("/app/security");
      await expect(page.getByRole("heading", { name: "Single sign-on" })).toBeVisible();
      await expect(page.getByTestId("redirect-uri")).toHaveText(
        `${server.url}/api/v1/auth/sso/callback`,
      );
      await page.getByLabel("Issuer URL").fill(provider.issuer);
      await page.getByRole("button", { name: "Test connection" }).click();
      const found = page.getByTestId("sso-found");
      await expect(found).toContainText(`${provider.issuer}/auth`);
      await expect(found).toContainText("supported");
      await page.getByLabel("Client ID").fill(provider.clientId);
      await page.locator("input[name=clientSecret]").fill(provider.clientSecret);
      await page.getByLabel("E-mail domains").fill(domain);
      await page.getByRole("switch", { name: "Use single sign-on" }).click();
      await checkBothWidths(page, "security-sso-tested");
      await page.getByRole("button", { name: "Save single sign-on" }).click();
      await expect(page.getByText("Saved. Single sign-on uses these settings now.")).toBeVisible();
      // The domain counts once its DNS proves it: the page shows the TXT record to add.
      const claim = page.getByTestId("sso-claim");
      await expect(claim).toContainText("Waiting for proof");
      const [recordName, recordValue] = await claim.locator("code").allTextContents();
      expect(recordName).toBe(`_hushlink.${domain}`);
      expect(recordValue).toMatch(/^hushlink-domain=/);
      await checkBothWidths(page, "security-sso-pending");
      const checkNow = page.getByRole("button", { name: `Check now: ${domain}` });
      await checkNow.click();
      await expect(page.getByText(/Not proven yet: No TXT record/)).toBeVisible();
      publishTxt(recordName!, [recordValue!]);
      await checkNow.click();
      await expect(claim).toContainText("Proven");
      await expect(page.getByText(`${domain} is proven`)).toBeVisible();
      // Write-only: the field is empty again, and the page says a secret is stored.
      await expect(page.locator("input[name=clientSecret]")).toHaveValue("");
      await expect(page.getByText("A secret is stored and is never shown again.")).toBeVisible();
      const saved = await callApi(context, "GET", `/api/v1/orgs/${orgId}/sso`);
      expect(saved.body).toMatchObject({ enabled: true, clientSecretSet: true, domains: [domain] });
      expect(JSON.stringify(saved.body)).not.toContain(provider.clientSecret);
      await page.reload();
      await expect(page.locator("input[name=clientSecret]")).toHaveValue("");
      await checkBothWidths(page, "security-sso-saved");
    });

    await test.step("a new person signs in through the provider", async () => {
      const visitor = await newVisitor();
      const tab = await visitor.newPage();
      const email = at("newcomer");
      provider.signInAs({ sub: "newcomer-1", email, email_verified: true, name: "New Comer" });
      await typeAddress(tab, email);
      const go = tab.getByRole("button", { name: "Continue with single sign-on" });
      await expect(go).toBeVisible();
      await expect(tab.getByLabel("Password", { exact: true })).toHaveCount(0);
      await checkBothWidths(tab, "login-sso-address");
      await go.click();
      await expect(tab).toHaveURL(`${server.url}/app`);
      const me = await callApi<Me>(visitor, "GET", "/api/v1/auth/me");
      expect(me.body.user).toMatchObject({ email, emailVerified: true });
      expect(me.body.orgs).toContainEqual(expect.objectContaining({ id: orgId, role: "member" }));
      newcomerTab = tab;
    });

    await test.step("an existing password account is linked, not duplicated", async () => {
      const visitor = await newVisitor();
      const tab = await visitor.newPage();
      provider.signInAs({ sub: "linked-1", email: linked.email, email_verified: true });
      await typeAddress(tab, linked.email);
      await tab.getByRole("button", { name: "Continue with single sign-on" }).click();
      await expect(tab).toHaveURL(`${server.url}/app`);
      const me = await callApi<Me>(visitor, "GET", "/api/v1/auth/me");
      expect(me.body.user.id).toBe(linked.me.user.id);
      expect(me.body.orgs).toContainEqual(expect.objectContaining({ id: orgId, role: "member" }));
      linkedTab = tab;
    });

    await test.step("an organization-only share from one SSO member opens for another", async () => {
      const creator = newcomerTab!;
      await creator.goto("/");
      await creator.getByLabel("Secret", { exact: true }).fill("vpn: Acme-Only-7");
      await creator.getByLabel("Limit access to people within organization").check();
      await creator.getByRole("button", { name: "Create secret link" }).click();
      await expect(
        creator.getByRole("heading", { name: "Your secret link is ready" }),
      ).toBeVisible();
      const link = await creator.getByRole("textbox", { name: "Share link" }).inputValue();

      // Signed out, the page says sign-in is needed before any Reveal button.
      const stranger = await (await newVisitor()).newPage();
      await stranger.goto(link);
      await expect(
        stranger.getByRole("heading", { name: "Sign in to open this secret" }),
      ).toBeVisible();

      const reader = linkedTab!;
      await reader.goto(link);
      await reader.getByRole("button", { name: /Reveal/ }).click();
      await reader.getByRole("button", { name: /Show the secret/ }).click();
      await expect(reader.getByText("vpn: Acme-Only-7")).toBeVisible();
      await checkBothWidths(reader, "sso-member-revealed");
    });

    await test.step("the admin requires SSO and keeps a break-glass password", async () => {
      await page.getByRole("switch", { name: "Require single sign-on" }).click();
      await page.getByLabel(admin.email).check();
      await page.getByRole("button", { name: "Save single sign-on" }).click();
      await expect(page.getByText("Saved. Single sign-on uses these settings now.")).toBeVisible();
      await checkBothWidths(page, "security-sso-required");
    });

    await test.step("the password is refused for a member, allowed for break-glass", async () => {
      const refused = await (await newVisitor()).newPage();
      await typeAddress(refused, linked.email);
      await refused.getByRole("button", { name: "Use my password instead" }).click();
      await refused.getByLabel("Password", { exact: true }).fill(PASSWORD);
      await refused.getByRole("button", { name: "Sign in" }).click();
      await expect(refused.getByRole("alert")).toContainText(
        "Your organization signs you in through its identity provider.",
      );
      await checkBothWidths(refused, "login-sso-required");
      await expect(refused).toHaveURL(/\/login/);

      const glass = await (await newVisitor()).newPage();
      await typeAddress(glass, admin.email);
      await glass.getByRole("button", { name: "Use my password instead" }).click();
      await glass.getByLabel("Password", { exact: true }).fill(PASSWORD);
      await glass.getByRole("button", { name: "Sign in" }).click();
      await expect(glass).toHaveURL(`${server.url}/app`);
    });

    await test.step("a refused sign-in comes back to a page that says why", async () => {
      const tab = await (await newVisitor()).newPage();
      await tab.goto("/login?sso_error=email_unverified");
      await expect(tab.getByRole("alert")).toContainText("has not confirmed your e-mail address");
      await checkBothWidths(tab, "login-sso-refused");
    });
  } finally {
    await idp?.close();
  }
});

test("a switch whose label wraps keeps it at the start, in German at 360 px", async ({
  newVisitor,
}) => {
  // "Single Sign-on verwenden" wrapped onto two lines centred in the button (a button centres
  // its text), apart from the fields above and below that all start at the edge.
  const context = await newVisitor({ viewport: { width: 360, height: 800 } });
  await signUp(context, { label: "switch-de" });
  expect((await callApi(context, "PATCH", "/api/v1/auth/me", { locale: "de" })).status).toBe(200);
  const page = await context.newPage();
  await page.goto("/app/security");
  const label = page
    .getByRole("switch", { name: "Single Sign-on verwenden" })
    .locator(".switch__label");
  await expect(label).toBeVisible();
  const [box, lines] = await label.evaluate((element) => {
    const range = document.createRange();
    range.selectNodeContents(element);
    return [
      element.getBoundingClientRect().left,
      [...range.getClientRects()].map((rect) => Math.round(rect.left)),
    ] as const;
  });
  expect(lines.length, "the label wraps at this width").toBeGreaterThan(1);
  for (const left of lines)
    expect(left, "each line starts at the label's edge").toBe(Math.round(box));
  await checkBothWidths(page, "sso-switch-de");
});

test("a switch's state word stays on one line, in Japanese at 360 px", async ({ newVisitor }) => {
  // "シングルサインオンを必須にする" squeezed the state word "オフ" into one character a line.
  const context = await newVisitor({ viewport: { width: 360, height: 800 } });
  await signUp(context, { label: "switch-ja" });
  expect((await callApi(context, "PATCH", "/api/v1/auth/me", { locale: "ja" })).status).toBe(200);
  const page = await context.newPage();
  await page.goto("/app/security");
  for (const name of ["シングルサインオンを使う", "シングルサインオンを必須にする"]) {
    const state = page.getByRole("switch", { name }).locator(".switch__state");
    await expect(state).toHaveText("オフ");
    const lines = await state.evaluate((element) => {
      const range = document.createRange();
      range.selectNodeContents(element);
      return new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size;
    });
    expect(lines, `"オフ" of ${name} on one line`).toBe(1);
  }
  await checkBothWidths(page, "sso-switch-ja");
});
