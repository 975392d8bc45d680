/**
 * SPEC F8 organizations: an admin invites by e-mail (through the real SMTP server), the invitee
 * signs up from the invitation and joins; pending invitations and cancelling one; roles, the
 * last-admin rule, and leaving.
 */
import { callApi, PASSWORD, signUp, uniqueEmail } from "../fixtures/accounts.js";
import { expectAccessible, screenshot } from "../fixtures/checks.js";
import { linkIn, waitForMail } from "../fixtures/mail.js";
import { PHONE, screenshotAs } from "../fixtures/org-admin.js";
import { expect, test } from "../fixtures/test.js";

test("invitations: the admin invites, the invitee signs up and accepts, Members shows both", async ({
  page,
  server,
  newVisitor,
}) => {
  const admin = await signUp(page.context(), { label: "admin", name: "Walter Skinner" });
  const orgName = "Walter Skinner's organization";
  const inviteeEmail = uniqueEmail("invitee");

  await page.goto("/app/members");
  await expect(page.getByRole("heading", { name: `Members of ${orgName}` })).toBeVisible();
  await page.getByLabel("E-mail address").fill(inviteeEmail);
  await page.getByLabel("Role", { exact: true }).selectOption("member");
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Invitation sent to" })).toContainText(
    inviteeEmail,
  );

  // The invitee opens the mail's link signed out, and signs up with the invited address.
  const mail = await waitForMail(inviteeEmail, /invited you to/);
  const invitationLink = linkIn(mail, `${server.url}/invitations/`);
  const invitee = await (await newVisitor()).newPage();
  await invitee.goto(invitationLink);
  await expect(invitee.getByRole("heading", { name: `Join ${orgName} as a member` })).toBeVisible();
  await invitee.getByRole("link", { name: "Create an account" }).click();
  await expect(invitee).toHaveURL(/\/signup\?next=%2Finvitations%2F/);
  await expect(invitee.getByLabel("E-mail address")).toHaveValue(inviteeEmail);
  await invitee.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await invitee.getByRole("button", { name: "Create account" }).click();

  // Signed up through the invitation: a member of that organization at once, and only of it.
  await expect(invitee).toHaveURL(`${server.url}/app`);
  await expect(invitee.getByRole("heading", { name: orgName, level: 1 })).toBeVisible();
  await invitee.goto("/app/members");
  await expect(invitee.getByRole("row").filter({ hasText: admin.email })).toBeVisible();
  // A member sees the roles, without controls to change them.
  await expect(invitee.getByRole("combobox", { name: /^Role of/ })).toHaveCount(0);

  // The invitation is spent.
  const again = await (await newVisitor()).newPage();
  await again.goto(invitationLink);
  await expect(again.getByRole("heading", { name: "This invitation does not work" })).toBeVisible();

  // The admin sees both.
  await page.reload();
  const members = page.getByRole("table", { name: `Members of ${orgName}` });
  await expect(members.getByRole("row").filter({ hasText: admin.email })).toBeVisible();
  await expect(members.getByRole("row").filter({ hasText: inviteeEmail })).toBeVisible();
  await expect(page.getByRole("combobox", { name: `Role of ${inviteeEmail}` })).toHaveValue(
    "member",
  );

  // The admin removes the new member, after the confirmation. The row now last is the admin's
  // own, whose controls are disabled (the only admin): focus goes to the list's heading.
  await members.getByRole("button", { name: `Remove ${inviteeEmail}` }).click();
  const dialog = page.getByRole("dialog", { name: "Remove this member?" });
  await expect(dialog).toContainText(`${inviteeEmail} loses access to ${orgName}'s shares`);
  await dialog.getByRole("button", { name: "Remove", exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(
    page.getByRole("status").filter({ hasText: `${inviteeEmail} was removed from ${orgName}.` }),
  ).toBeAttached();
  await expect(members.getByRole("row").filter({ hasText: inviteeEmail })).toHaveCount(0);
  await expect(page.getByRole("combobox", { name: "Role of Walter Skinner" })).toBeDisabled();
  await expect(page.getByRole("heading", { name: `Members of ${orgName}` })).toBeFocused();
  const after = await callApi<{ orgs: { name: string }[] }>(
    invitee.context(),
    "GET",
    "/api/v1/auth/me",
  );
  expect(after.body.orgs.map((o) => o.name)).not.toContain(orgName);
});

test("members: the last admin cannot step down or leave; an admin changes roles", async ({
  page,
  server,
  newVisitor,
}, testInfo) => {
  const admin = await signUp(page.context(), { label: "solo", name: "Solo Admin" });
  await page.goto("/app/members");
  const ownRole = page.getByRole("combobox", { name: "Role of Solo Admin" });

  // The only admin: stepping down and leaving are disabled before any click, the reason beside.
  await expect(ownRole).toBeDisabled();
  await expect(ownRole).toHaveAccessibleDescription(
    "The only admin: make someone else an admin first.",
  );
  const leave = page.getByRole("button", { name: "Leave" });
  await expect(leave).toBeDisabled();
  await expect(leave).toHaveAccessibleDescription("You cannot leave as the only admin.");
  await expectAccessible(page, "members, sole admin");
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 844 });
    await screenshot(page, testInfo, `members-sole-admin-${width}`);
  }
  await page.setViewportSize({ width: 1280, height: 800 });

  // With a second member made admin, the first can step down.
  const otherContext = await newVisitor();
  const other = await signUp(otherContext, { label: "second" });
  const invite = await page.evaluate(
    async ([orgId, email]) => {
      const csrf = /hl_csrf=([^;]+)/.exec(document.cookie)?.[1] ?? "";
      const response = await fetch(`/api/v1/orgs/${orgId}/invitations`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": decodeURIComponent(csrf) },
        body: JSON.stringify({ email, role: "member" }),
      });
      return response.status;
    },
    [admin.me.orgs[0]?.id ?? "", other.email] as const,
  );
  expect(invite).toBe(201);
  const mail = await waitForMail(other.email, /invited you to/);
  const invitee = await otherContext.newPage();
  await invitee.goto(linkIn(mail, `${server.url}/invitations/`));
  await invitee.getByRole("button", { name: /^Join / }).click();
  await expect(invitee.getByRole("heading", { name: /^You joined/ })).toBeVisible();

  await page.reload();
  // A role change is asked in the row itself, and applies only when confirmed.
  const otherRole = page.getByRole("combobox", { name: `Role of ${other.email}` });
  await otherRole.selectOption("admin");
  const confirm = page.getByRole("group", { name: `Change the role of ${other.email}` });
  await expect(confirm).toContainText(`Make ${other.email} an admin?`);
  await expect(confirm).toBeInViewport();
  await expectAccessible(page, "members, role change asked in the row");
  await screenshot(page, testInfo, "members-role-confirm-1280");
  await confirm.getByRole("button", { name: "Keep member" }).click();
  await expect(otherRole).toHaveValue("member");
  let members = await callApi<{ items: { email: string; role: string }[] }>(
    page.context(),
    "GET",
    `/api/v1/orgs/${admin.me.orgs[0]?.id ?? ""}/members`,
  );
  expect(members.body.items.find((m) => m.email === other.email)?.role).toBe("member");

  await otherRole.selectOption("admin");
  await confirm.getByRole("button", { name: "Change role" }).click();
  await expect(page.getByRole("status").filter({ hasText: "is now an admin" })).toBeVisible();
  members = await callApi(
    page.context(),
    "GET",
    `/api/v1/orgs/${admin.me.orgs[0]?.id ?? ""}/members`,
  );
  expect(members.body.items.find((m) => m.email === other.email)?.role).toBe("admin");
  // Two admins: the first may step down now.
  await expect(ownRole).toBeEnabled();
  await ownRole.selectOption("member");
  await page
    .getByRole("group", { name: "Change the role of Solo Admin" })
    .getByRole("button", { name: "Change role" })
    .click();
  await expect(
    page.getByRole("status").filter({ hasText: "Solo Admin is now a member" }),
  ).toBeVisible();
  // No longer an admin: no invitation form, no role controls.
  await expect(page.getByRole("button", { name: "Send invitation" })).toHaveCount(0);
  await expect(page.getByRole("combobox", { name: /^Role of/ })).toHaveCount(0);
});

test("pending invitations: a sent invitation is listed at once; cancelled, its link shows the error page", async ({
  page,
  server,
  newVisitor,
}) => {
  const admin = await signUp(page.context(), { label: "host", name: "Alex Krycek" });
  const orgName = "Alex Krycek's organization";
  const orgId = admin.me.orgs[0]?.id ?? "";
  await page.goto("/app/members");
  const pending = page.getByRole("table", { name: `Pending invitations to ${orgName}` });
  await expect(page.getByText("No invitations are waiting for an answer.")).toBeVisible();

  // Two invitations from the form: each row appears as soon as it is sent, newest first.
  const keptEmail = uniqueEmail("kept");
  const cancelledEmail = uniqueEmail("cancelled");
  for (const [email, role] of [
    [keptEmail, "admin"],
    [cancelledEmail, "member"],
  ] as const) {
    await page.getByLabel("E-mail address").fill(email);
    await page.getByLabel("Role", { exact: true }).selectOption(role);
    await page.getByRole("button", { name: "Send invitation" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Invitation sent to" })).toContainText(
      email,
    );
    await expect(pending.getByRole("row").filter({ hasText: email })).toBeVisible();
  }
  const rows = pending.locator("tbody tr");
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText(cancelledEmail);
  await expect(rows.nth(0)).toContainText("Member");
  await expect(rows.nth(0)).toContainText("Alex Krycek");
  await expect(rows.nth(1)).toContainText(keptEmail);
  await expect(rows.nth(1)).toContainText("Admin");
  await expectAccessible(page, "members tab with pending invitations");
  await screenshotAs(page, "members-pending-invitations");
  await page.setViewportSize(PHONE.viewport);
  await screenshotAs(page, "members-pending-invitations");
  await page.setViewportSize({ width: 1280, height: 800 });

  // The invitee got a working link...
  const link = linkIn(
    await waitForMail(cancelledEmail, /invited you to/),
    `${server.url}/invitations/`,
  );
  const invitee = await (await newVisitor()).newPage();
  await invitee.goto(link);
  await expect(invitee.getByRole("heading", { name: `Join ${orgName} as a member` })).toBeVisible();

  // ...until the admin cancels it, behind a confirmation.
  await pending.getByRole("button", { name: `Cancel the invitation to ${cancelledEmail}` }).click();
  const dialog = page.getByRole("dialog", { name: "Cancel this invitation?" });
  await expect(dialog).toContainText(cancelledEmail);
  await expectAccessible(page, "cancel invitation dialog");
  await screenshotAs(page, "members-cancel-invitation-dialog");
  // Dismissing keeps it; the two buttons do not both say Cancel.
  await expect(dialog.getByRole("button", { name: /cancel/i })).toHaveCount(1);
  await dialog.getByRole("button", { name: "Keep invitation" }).click();
  await expect(dialog).toBeHidden();
  await expect(rows).toHaveCount(2);
  await pending.getByRole("button", { name: `Cancel the invitation to ${cancelledEmail}` }).click();
  await dialog.getByRole("button", { name: "Cancel invitation" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("status").filter({ hasText: "was cancelled" })).toContainText(
    cancelledEmail,
  );
  await expect(rows).toHaveCount(1);
  await expect(rows.nth(0)).toContainText(keptEmail);
  // Focus moved to the row that took the cancelled one's place.
  await expect(
    pending.getByRole("button", { name: `Cancel the invitation to ${keptEmail}` }),
  ).toBeFocused();
  // Still so after a reload: the server no longer lists it.
  await page.reload();
  await expect(rows).toHaveCount(1);
  await expect(pending).not.toContainText(cancelledEmail);

  // The link now shows the error page, for the invitee signed out and signed in alike; it says
  // that cancelling is one of the reasons.
  await invitee.reload();
  await expect(
    invitee.getByRole("heading", { name: "This invitation does not work" }),
  ).toBeVisible();
  await expect(invitee.getByText(/an admin cancelled it/)).toBeVisible();
  await screenshotAs(invitee, "invitation-cancelled");
  await invitee.setViewportSize(PHONE.viewport);
  await screenshotAs(invitee, "invitation-cancelled");
  await signUp(invitee.context(), { email: cancelledEmail });
  await invitee.reload();
  await expect(
    invitee.getByRole("heading", { name: "This invitation does not work" }),
  ).toBeVisible();
  const token = link.split("/invitations/")[1] ?? "";
  const accept = await callApi(invitee.context(), "POST", `/api/v1/invitations/${token}/accept`);
  expect(accept.status).toBe(404);
  const members = await callApi<{ items: { email: string }[] }>(
    page.context(),
    "GET",
    `/api/v1/orgs/${orgId}/members`,
  );
  expect(members.body.items.map((m) => m.email)).not.toContain(cancelledEmail);
});
