/**
 * The operator's sign-up setting in the pages (issues 15 and 20): with SIGNUP=invite the sign-in
 * page offers no sign-up and the sign-up page says accounts are by invitation (but still serves
 * an invitation's way back); with SIGNUP=domains the page says which addresses may, and explains
 * the server's refusal of another. Two extra servers, built like the run's own.
 */
import { PASSWORD, uniqueEmail } from "../fixtures/accounts.js";
import { startExtraServer, type ExtraServer } from "../fixtures/server-process.js";
import { expect, test } from "../fixtures/test.js";
import { checkBothWidths } from "../fixtures/widths.js";

let invite: ExtraServer;
let domains: ExtraServer;
test.beforeAll(async () => {
  invite = await startExtraServer({ SIGNUP: "invite" });
  domains = await startExtraServer({ SIGNUP: "domains", SIGNUP_DOMAINS: "acme.example" });
});
test.afterAll(async () => {
  await invite.stop();
  await domains.stop();
});

test("SIGNUP=invite: no sign-up offered, the page says accounts are by invitation", async ({
  page,
}) => {
  await page.goto(`${invite.url}/login`);
  await expect(page.getByText("Accounts on this server are by invitation")).toBeVisible();
  await expect(page.getByRole("link", { name: "Create an account" })).toHaveCount(0);

  await page.goto(`${invite.url}/signup`);
  await expect(page.getByRole("heading", { name: "Accounts are by invitation" })).toBeVisible();
  await expect(page.getByLabel("E-mail address")).toHaveCount(0);
  await checkBothWidths(page, "signup-invite-only");

  // On the way back from an invitation's page, the form is there.
  await page.goto(`${invite.url}/signup?next=${encodeURIComponent("/invitations/some-token")}`);
  await expect(page.getByRole("heading", { name: "Create an account" })).toBeVisible();
  await expect(page.getByLabel("E-mail address")).toBeVisible();
});

test("SIGNUP=domains: the page names the domain and explains a refusal", async ({ page }) => {
  await page.goto(`${domains.url}/signup`);
  await expect(page.getByText("Addresses at acme.example only.")).toBeVisible();
  await page.getByLabel("E-mail address").fill(uniqueEmail("outsider"));
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(
    page.getByText("This server creates accounts for addresses at acme.example only"),
  ).toBeVisible();
  await expect(page.getByLabel("E-mail address")).toBeFocused();
  await checkBothWidths(page, "signup-domains-refused");

  await page.getByLabel("E-mail address").fill(`pat-${Date.now()}@acme.example`);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { name: "Check your inbox" })).toBeVisible();
});
