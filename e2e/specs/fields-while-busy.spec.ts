/**
 * A busy form keeps its fields readable and the focus where it was (session 26). Its fields were
 * `disabled` while it sent: the field Enter was pressed in lost the focus to <body> (the next Tab
 * started at the top of the page, Enter could not try again) and screen readers skipped them.
 * Now text fields are readOnly; selects, checkboxes and buttons inside the form carry
 * aria-disabled and ignore a change. Each form here is sent with Enter while its request is held,
 * then refused, and sent again with Enter from the same place.
 */
import { signUp, uniqueEmail } from "../fixtures/accounts.js";
import {
  expectHeldChoice,
  expectHeldField,
  hold,
  lookWhileBusy,
  refuseHeld,
  sendHeld,
} from "../fixtures/busy.js";
import { expectAxeClean } from "../fixtures/checks.js";
import { signUpAdmin } from "../fixtures/org-admin.js";
import { requestFromDashboard } from "../fixtures/request-form.js";
import { expect, test } from "../fixtures/test.js";

// Each test runs axe and takes screenshots at two widths while busy: three times the usual time.
test.describe.configure({ timeout: 180_000 });

test("the share form: Enter in Name keeps the focus there while it sends and after it fails", async ({
  page,
}) => {
  const held = await hold(page, "**/api/v1/shares", "POST");
  await page.goto("/");
  const secret = page.getByLabel("Secret", { exact: true });
  await secret.fill("db-password-1");
  const name = page.getByLabel(/^Name/);
  await name.fill("Staging db");
  await sendHeld(page, held, name, "Staging db");
  await expect(secret).toHaveJSProperty("readOnly", true);
  await expect(secret).toHaveValue("db-password-1");
  await lookWhileBusy(page, "share-form");
  await name.focus();

  await refuseHeld(page, held);
  await expect(name).toBeFocused();
  await expect(name).toHaveJSProperty("readOnly", false);

  // Enter again from the same field sends again; the choices below ignore changes meanwhile.
  await page.keyboard.press("Enter");
  await expect.poll(() => held.count).toBe(2);
  await expect(name).toBeFocused();
  await expectHeldChoice(page, page.getByLabel("Max views"), "ArrowDown");
  await expectHeldChoice(page, page.getByLabel("Expires in"), "ArrowDown");
  const choose = page.getByRole("button", { name: "Choose files" });
  await expect(choose).toHaveAttribute("aria-disabled", "true");
  await refuseHeld(page, held);

  await page.unrouteAll();
  await name.focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { name: "Your secret link is ready" })).toBeFocused();
});

test("the signed-in share form: recipients and options ignore changes while it sends", async ({
  page,
}) => {
  await signUp(page.context(), { label: "share-busy", name: "Gibson Praise" });
  const held = await hold(page, "**/api/v1/shares", "POST");
  await page.goto("/");
  await page.getByLabel("Secret", { exact: true }).fill("signed-in secret");
  const notify = page.getByLabel("E-mail me when it is viewed");
  const name = page.getByLabel(/^Name/);
  await name.fill("For the team");
  await sendHeld(page, held, name, "For the team");
  await expectHeldChoice(page, notify, "Space");
  await expect(notify).not.toBeChecked();
  await expectAxeClean(page, "signed-in share form, busy");
  await refuseHeld(page, held);
  await expect(notify).toBeFocused();
  await page.keyboard.press("Space");
  await expect(notify).toBeChecked();
});

test("a request's answer: the secret stays readable and unchanged while it sends", async ({
  page,
  newVisitor,
}) => {
  // End to end, so the answer may carry files: their field is part of the busy form too.
  const { requestLink } = await requestFromDashboard(page, "Request Asker", "Router password");
  const answerer = await (await newVisitor()).newPage();
  const held = await hold(answerer, "**/api/v1/requests/*/submit", "POST");
  await answerer.goto(requestLink);
  const secret = answerer.getByLabel("Secret", { exact: true });
  await secret.fill("hunter2-router");
  // Named "Sending…" while busy: the same button either way.
  const send = answerer.getByRole("button", { name: /^(Send secret|Sending…)$/ });
  await send.focus();
  await answerer.keyboard.press("Enter");
  await expect.poll(() => held.count).toBe(1);
  await expect(send).toBeFocused();
  const choose = answerer.getByRole("button", { name: "Choose files" });
  await expect(choose).toHaveAttribute("aria-disabled", "true");
  await expect(choose).toHaveJSProperty("disabled", false);
  await secret.focus();
  await expectHeldField(answerer, secret, "hunter2-router");
  await lookWhileBusy(answerer, "request-answer");
  await send.focus();

  await refuseHeld(answerer, held);
  await expect(send).toBeFocused();
  await answerer.unrouteAll();
  await answerer.keyboard.press("Enter");
  await expect(answerer.getByRole("heading", { name: "Sent" })).toBeFocused();
});

test("the sharing policy: Enter in a number keeps the focus; boxes and lists ignore changes", async ({
  page,
}) => {
  await signUpAdmin(page, "Policy Busy");
  const held = await hold(page, "**/api/v1/orgs/*/policy", "PUT");
  await page.goto("/app/security");
  const views = page.getByLabel("Most views per link");
  await views.fill("5");
  await sendHeld(page, held, views, "5");
  await lookWhileBusy(page, "sharing-policy");
  await views.focus();
  await refuseHeld(page, held);
  await expect(views).toBeFocused();

  await page.keyboard.press("Enter");
  await expect.poll(() => held.count).toBe(2);
  await expectHeldChoice(page, page.getByLabel("Require a password on every share"), "Space");
  await expectHeldChoice(page, page.getByLabel("Longest expiry"), "ArrowDown");
  await refuseHeld(page, held);

  await page.unrouteAll();
  await views.focus();
  await page.keyboard.press("Enter");
  await expect(page.getByText("The sharing policy is saved.")).toBeVisible();
  await expect(views).toBeFocused();
});

test("an invitation: Enter in the address keeps the focus there; the role ignores changes", async ({
  page,
}) => {
  await signUpAdmin(page, "Invite Busy");
  const held = await hold(page, "**/api/v1/orgs/*/invitations", "POST");
  await page.goto("/app/members");
  const email = page.getByLabel("E-mail address");
  const address = uniqueEmail("busy-invite");
  await email.fill(address);
  await sendHeld(page, held, email, address);
  await lookWhileBusy(page, "invitation");
  await expectHeldChoice(page, page.getByLabel("Role", { exact: true }), "ArrowDown");
  await email.focus();
  await refuseHeld(page, held);
  await expect(email).toBeFocused();

  await page.unrouteAll();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("status").filter({ hasText: "Invitation sent to" })).toContainText(
    address,
  );
  await expect(email).toBeFocused();
});
