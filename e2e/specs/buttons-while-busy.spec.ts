/**
 * Buttons that were still `disabled` while their action ran (session 27): a modal dialog's
 * dismiss button (Keep invitation, ConfirmDialog's Cancel), the view page's "E-mail me a code"
 * and Sign out, in the header menu and on the Account tab. Disabled, the button pressed dropped
 * the focus to <body> (the next Tab started over at the top of the page) and a dialog's dismiss
 * button was skipped by Shift+Tab. Now each keeps the focus, carries aria-disabled and ignores a
 * press while busy: the request it sent is held here and counted, so a second press that sent
 * something would show.
 */
import { callApi, orgIdOf, PASSWORD, signUp, uniqueEmail } from "../fixtures/accounts.js";
import { expectHeldButton, hold, UNREACHABLE } from "../fixtures/busy.js";
import { linkIn, waitForMail } from "../fixtures/mail.js";
import { expect, test } from "../fixtures/test.js";
import { checkBothWidths } from "../fixtures/widths.js";

// Axe and screenshots at two widths while busy.
test.describe.configure({ timeout: 180_000 });

test("Sign out keeps the focus while it runs, in the menu and on the Account tab", async ({
  page,
}) => {
  const account = await signUp(page.context(), { label: "signout-busy", name: "Dana Scully" });
  const held = await hold(page, "**/api/v1/auth/logout", "POST");
  await page.goto("/app/account");

  // The header menu: refused, the page still goes to / (signed in, as the session stayed).
  await page.getByRole("button", { name: `Account menu of ${account.email}` }).click();
  const inMenu = page.locator(".account-menu__panel").getByRole("button");
  await inMenu.focus();
  await page.keyboard.press("Enter");
  await expect.poll(() => held.count).toBe(1);
  await expect(inMenu).toHaveText("Signing out…");
  await expectHeldButton(page, inMenu, held);
  await checkBothWidths(page, "busy-sign-out-menu");
  await inMenu.focus();
  held.release();
  await page.waitForURL((url) => url.pathname === "/");

  await page.goto("/app/account");
  const onTab = page.getByRole("button", { name: /^(Sign out|Signing out…)$/ });
  await onTab.focus();
  await page.keyboard.press("Enter");
  await expect.poll(() => held.count).toBe(2);
  await expect(onTab).toHaveText("Signing out…");
  await expectHeldButton(page, onTab, held, 2);
  await checkBothWidths(page, "busy-sign-out-tab");
  await onTab.focus();
  held.pass();
  await page.waitForURL((url) => url.pathname === "/");
  await expect(page.getByRole("link", { name: "Sign in" }).first()).toBeVisible();
});

test("a dialog's Keep button stays reachable and ignores presses while the action runs", async ({
  page,
}) => {
  const admin = await signUp(page.context(), { label: "dialog-busy", name: "Fox Mulder" });
  const invitee = uniqueEmail("kept");
  const invitations = `/api/v1/orgs/${orgIdOf(admin)}/invitations`;
  const invited = await callApi(page.context(), "POST", invitations, {
    email: invitee,
    role: "member",
  });
  expect(invited.status).toBe(201);
  const held = await hold(page, `**${invitations}/*`, "DELETE");

  await page.goto("/app/members");
  await page.getByRole("button", { name: `Cancel the invitation to ${invitee}` }).click();
  const dialog = page.getByRole("dialog", { name: "Cancel this invitation?" });
  const keep = dialog.getByRole("button", { name: "Keep invitation" });
  await expect(keep).toBeFocused();
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  await expect.poll(() => held.count).toBe(1);
  await expect(dialog.getByRole("button", { name: "Cancelling…" })).toBeFocused();

  // Shift+Tab reaches Keep invitation, which says it is unavailable and does not close.
  await page.keyboard.press("Shift+Tab");
  await expectHeldButton(page, keep, held);
  await page.keyboard.press("Escape");
  await expect(dialog).toBeVisible();
  await expect(keep).toBeFocused();
  await checkBothWidths(page, "busy-dialog");

  await keep.focus();
  held.release();
  await expect(dialog.getByRole("alert")).toHaveText(UNREACHABLE);
  await expect(keep).toBeFocused();
  await expect(keep).not.toHaveAttribute("aria-disabled");
  await page.keyboard.press("Enter");
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("row").filter({ hasText: invitee })).toBeVisible();
});

test("E-mail me a code keeps the focus while it sends and until a new code may be asked", async ({
  page,
  newVisitor,
  server,
}) => {
  await signUp(page.context(), { label: "code-busy", name: "Walter Skinner" });
  const outsider = uniqueEmail("code-busy-outsider");
  await page.goto("/");
  await page.getByLabel("Secret", { exact: true }).fill("alarm code 4417");
  const to = page.getByLabel(/^E-mail the link to/);
  await to.fill(outsider);
  await to.press("Enter");
  await page.getByLabel("Allow external recipients").check();
  await page.getByLabel(/^Password/).fill(PASSWORD);
  await page.getByRole("button", { name: "Create secret link" }).click();
  await expect(page.getByRole("heading", { name: "Your secret link is ready" })).toBeVisible({
    timeout: 20_000,
  });
  const link = linkIn(await waitForMail(outsider, /shared a secret with you/), `${server.url}/s#`);

  const visitor = await (await newVisitor()).newPage();
  const held = await hold(visitor, "**/api/v1/shares/*/email-code", "POST");
  await visitor.goto(link);
  const send = visitor.getByRole("button", { name: /^(E-mail me a code|Sending…)$/ });
  await send.focus();
  await visitor.keyboard.press("Enter");
  await expect.poll(() => held.count).toBe(1);
  await expect(send).toHaveText("Sending…");
  await expectHeldButton(visitor, send, held);
  await checkBothWidths(visitor, "busy-email-code");

  // Sent: the button asks for a new code, and waits (aria-disabled, told why) with the focus.
  await send.focus();
  held.pass();
  await expect(visitor.getByText("A six-digit code is on its way to")).toBeVisible();
  const again = visitor.getByRole("button", { name: "E-mail me a new code" });
  await expect(again).toHaveAccessibleDescription(/You can ask for another code at/);
  await expectHeldButton(visitor, again, held);
  await checkBothWidths(visitor, "email-code-wait");
});
