/**
 * Issue 25 (conveniences): an admin resends a pending invitation from Members. A second mail
 * arrives with a new link; the first link no longer works; the new one does.
 */
import { callApi, signUp, uniqueEmail } from "../fixtures/accounts.js";
import { linkIn, waitForMail } from "../fixtures/mail.js";
import { expect, test } from "../fixtures/test.js";
import { checkBothWidths } from "../fixtures/widths.js";

test("Resend mails a pending invitation again with a new link", async ({
  page,
  server,
  newVisitor,
}) => {
  const admin = await signUp(page.context(), { label: "admin", name: "Walter Resend" });
  const invitee = uniqueEmail("late-reader");
  const invited = await callApi(
    page.context(),
    "POST",
    `/api/v1/orgs/${admin.me.orgs[0]!.id}/invitations`,
    { email: invitee, role: "member" },
  );
  expect(invited.status).toBe(201);
  const first = linkIn(await waitForMail(invitee, /invited you to/), `${server.url}/invitations/`);

  await page.goto("/app/members");
  const resend = page.getByRole("button", { name: `Resend the invitation to ${invitee}` });
  await expect(resend).toBeVisible();
  await checkBothWidths(page, "invitation-resend");
  await resend.click();
  await expect(page.getByText(`The invitation to ${invitee} was sent again`)).toBeAttached();

  const second = linkIn(
    await waitForMail(invitee, /invited you to/, { nth: 2 }),
    `${server.url}/invitations/`,
  );
  expect(second).not.toBe(first);
  const visitor = await (await newVisitor()).newPage();
  await visitor.goto(first);
  await expect(visitor.getByRole("heading", { level: 1 })).toContainText(
    /not valid|does not work/i,
  );
  await visitor.goto(second);
  await expect(
    visitor.getByRole("heading", { name: /Join Walter Resend's organization/ }),
  ).toBeVisible();
});
