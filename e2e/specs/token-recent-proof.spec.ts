/**
 * Creating an API token from a session that signed in a while ago (SPEC F8, extension): the
 * server answers 403 recent_sign_in_required, and the API tokens tab asks for the password in
 * place, then creates the token with what was chosen; the owner is mailed (name, scope, expiry,
 * never the token). The session is aged in the database: 16 minutes back, past the 15 a sign-in
 * counts for. Axe and screenshots at 1280 and 390 px.
 */
import { signUp } from "../fixtures/accounts.js";
import { agePastRecentProof, wrongThenRightPassword } from "../fixtures/recent-proof.js";
import { waitForMail } from "../fixtures/mail.js";
import { expect, test } from "../fixtures/test.js";
import { checkBothWidths } from "../fixtures/widths.js";

test("an old session creates an API token after giving the password", async ({ page, server }) => {
  test.setTimeout(180_000);
  const account = await signUp(page.context(), { label: "old-token" });
  agePastRecentProof(server, account.email);
  await page.goto("/app/tokens");
  await expect(page.getByText("You have no API tokens.")).toBeVisible();
  await page.getByLabel("Scope").selectOption({ label: "Read only" });
  await page.getByLabel("Token name").fill("Old laptop");
  await page.getByRole("button", { name: "Create token" }).click();

  const field = page.getByLabel("Your password, to create an API token");
  await expect(field).toBeVisible();
  await expect(field).toBeFocused();
  await expect(page.getByText(/You signed in a while ago, so confirm it is you/)).toBeVisible();
  await checkBothWidths(page, "token-recent-proof");

  // Cancel gives the form back as it was; asking again shows the field again.
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByLabel("Token name")).toHaveValue("Old laptop");
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(field).toBeFocused();

  await wrongThenRightPassword(field, page);

  await expect(page.getByRole("heading", { name: "Token “Old laptop” created" })).toBeFocused();
  await expect(page.getByText(/^Read only, expires \d+ \w+/)).toBeVisible();
  const token = await page.getByRole("textbox", { name: "Your new API token" }).inputValue();
  expect(token).toMatch(/^hl_/);
  const mail = await waitForMail(account.email, /An API token was created/);
  expect(mail.text).toContain("“Old laptop”");
  expect(mail.text).toContain("Scope: read only.");
  expect(mail.text).not.toContain(token);
});
