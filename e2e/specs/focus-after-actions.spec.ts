/**
 * Where the keyboard focus goes when an action replaces or disables the button just pressed
 * (a first-time user's pass, session 22): never to <body>, from where the next Tab starts over at
 * the top of the page. Destroyed or deleted, the focus lands on the notice saying so; an
 * invitation sent or sent again, or single sign-on saved, it stays on its button; the
 * authenticator app's set-up opened, it is on its first step, and Cancel gives it back to Set up
 * an authenticator app; a webhook form opened, it is on its first field, and Cancel gives it back
 * to the button that opened it; branding saved, it is on the Saved notice; what was shown once
 * closed (a token, a signing secret, a request link), it is back where the form is.
 */
import { callApi, orgIdOf, signUp, uniqueEmail } from "../fixtures/accounts.js";
import { buildShare } from "../fixtures/shares.js";
import { expect, test } from "../fixtures/test.js";

test("“Yes, destroy it” after a reveal leaves the focus on the Destroyed notice", async ({
  page,
  server,
}) => {
  const share = await buildShare(server, { maxViews: 3, text: "three views" });
  await page.goto(share.link);
  await page.getByRole("button", { name: "Reveal secret" }).click();
  await page.getByRole("button", { name: "Destroy now" }).click();
  await page.getByRole("button", { name: "Yes, destroy it" }).focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("status").filter({ hasText: "Destroyed." })).toBeFocused();
});

test("“Yes, delete it” on the manage page leaves the focus on the Deleted notice", async ({
  page,
}) => {
  await page.goto("/");
  await page.getByLabel("Secret", { exact: true }).fill("managed secret");
  await page.getByRole("button", { name: "Create secret link" }).click();
  const manageLink = await page.getByLabel("Manage link", { exact: true }).inputValue();
  await page.goto(manageLink);
  await page.getByRole("button", { name: "Delete secret" }).click();
  await page.getByRole("button", { name: "Yes, delete it" }).focus();
  await page.keyboard.press("Enter");
  const notice = page.locator(".notice").filter({ hasText: "Deleted." });
  await expect(notice).toBeVisible();
  await expect(notice).toBeFocused();
  await expect(page.getByTestId("share-status")).toHaveText("Deleted");
});

test("Send invitation pressed from the keyboard keeps the focus on the button", async ({
  page,
}) => {
  await signUp(page.context(), { label: "inviter", name: "Dana Scully" });
  await page.goto("/app/members");
  const invitee = uniqueEmail("invitee");
  await page.getByLabel("E-mail address").fill(invitee);
  const send = page.getByRole("button", { name: "Send invitation" });
  await send.focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("status").filter({ hasText: "Invitation sent to" })).toContainText(
    invitee,
  );
  await expect(send).toBeFocused();
  await expect(send).not.toHaveAttribute("aria-disabled");
});

test("a webhook form takes the focus when it opens and gives it back on Cancel", async ({
  page,
}) => {
  const admin = await signUp(page.context(), { label: "hooks-focus", name: "Walter Skinner" });
  const url = "http://127.0.0.1:9/hushlink";
  const added = await callApi(page.context(), "POST", `/api/v1/orgs/${orgIdOf(admin)}/webhooks`, {
    url,
    events: ["share.created"],
  });
  expect(added.status).toBe(201);

  await page.goto("/app/webhooks");
  const add = page.getByRole("button", { name: "Add endpoint" });
  await add.click();
  await expect(page.getByLabel("Endpoint URL")).toBeFocused();
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(add).toBeFocused();

  await page.getByRole("button", { name: `Details of ${url}` }).click();
  const edit = page.getByRole("button", { name: "Edit" });
  await edit.click();
  await expect(page.getByLabel("Endpoint URL")).toBeFocused();
  await expect(page.getByLabel("Endpoint URL")).toHaveValue(url);
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(edit).toBeFocused();
});

test("Save on the Branding tab leaves the focus on the Saved notice", async ({ page }) => {
  await signUp(page.context(), { label: "brand-focus", name: "Monica Reyes" });
  await page.goto("/app/branding");
  await page.getByLabel("Primary colour", { exact: true }).fill("#7c3aed");
  await page.getByRole("button", { name: "Save", exact: true }).focus();
  await page.keyboard.press("Enter");
  // Saved, nothing is left to save and the button is disabled: the focus is on what happened.
  const saved = page.locator(".notice").filter({ hasText: /^Saved\./ });
  await expect(saved).toBeVisible();
  await expect(page.getByRole("button", { name: "Save", exact: true })).toBeDisabled();
  await expect(saved).toBeFocused();
});

test("Resend keeps the focus on the invitation's Resend button", async ({ page }) => {
  await signUp(page.context(), { label: "resender", name: "John Doggett" });
  const invitee = uniqueEmail("resent");
  await page.goto("/app/members");
  await page.getByLabel("E-mail address").fill(invitee);
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Invitation sent to" })).toBeVisible();
  const resend = page.getByRole("button", { name: `Resend the invitation to ${invitee}` });
  await resend.focus();
  await page.keyboard.press("Enter");
  await expect(page.getByText(`The invitation to ${invitee} was sent again`)).toBeAttached();
  await expect(resend).toBeFocused();
});

test("the authenticator app's set-up puts the focus on its first step", async ({ page }) => {
  await signUp(page.context(), { label: "totp-focus", name: "Dana Scully" });
  await page.goto("/app/account");
  const section = page.getByRole("region", { name: "Two-step sign-in" });
  const setUp = section.getByRole("button", { name: "Set up an authenticator app" });
  await setUp.focus();
  await page.keyboard.press("Enter");
  await expect(section.getByRole("list").filter({ hasText: "Scan this QR code" })).toBeFocused();

  // Cancel brings back the button the set-up replaced, with the focus on it.
  await section.getByRole("button", { name: "Cancel" }).click();
  await expect(setUp).toBeFocused();
});

test("closing what was shown once gives the focus back to the section, not to <body>", async ({
  page,
}) => {
  await signUp(page.context(), { label: "done-focus", name: "Alex Krycek" });

  // An API token: Done brings back the form, under the section's heading.
  await page.goto("/app/tokens");
  await page.getByLabel("Token name").fill("laptop");
  await page.getByRole("button", { name: "Create token" }).click();
  await page.getByRole("button", { name: "Done, I copied it" }).click();
  await expect(page.getByRole("heading", { name: "API tokens", level: 2 })).toBeFocused();

  // A webhook's signing secret: Done brings back Add endpoint.
  await page.goto("/app/webhooks");
  await page.getByRole("button", { name: "Add endpoint" }).click();
  await page.getByLabel("Endpoint URL").fill("http://127.0.0.1:9/hushlink");
  await page.getByLabel("Share created").check();
  await page.getByRole("button", { name: "Add endpoint" }).click();
  await page.getByRole("button", { name: "Done, I copied it" }).click();
  await expect(page.getByRole("button", { name: "Add endpoint" })).toBeFocused();

  // A request link: Create another request brings back the form, under its heading.
  await page.goto("/app/requests");
  await page.getByRole("button", { name: "Create request link" }).click();
  await page.getByRole("button", { name: "Create another request" }).click();
  await expect(page.getByRole("heading", { name: "Request a secret", level: 2 })).toBeFocused();
});

test("Save single sign-on pressed from the keyboard keeps the focus on the button", async ({
  page,
}) => {
  await signUp(page.context(), { label: "sso-focus", name: "Jeffrey Spender" });
  await page.goto("/app/security");
  const save = page.getByRole("button", { name: "Save single sign-on" });
  await save.focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("status").locator(".notice")).toBeVisible();
  await expect(save).toBeFocused();
});
