/**
 * Where the keyboard focus goes when an action replaces or disables the button just pressed
 * (a first-time user's pass, session 22): never to <body>, from where the next Tab starts over at
 * the top of the page. Destroyed or deleted, the focus lands on the notice saying so; an
 * invitation sent, it stays on Send invitation.
 */
import { signUp, uniqueEmail } from "../fixtures/accounts.js";
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
