/**
 * Issue 5 end to end: an account from sign-up to its dashboard, with the real SMTP server in
 * between (verification and "viewed" mails), and a share followed from creation to deletion.
 */
import { PASSWORD, uniqueEmail } from "../fixtures/accounts.js";
import { linkIn, waitForMail } from "../fixtures/mail.js";
import { expect, test } from "../fixtures/test.js";

test("sign up, verify by mail, share signed in, follow it in /app, reveal elsewhere, delete it", async ({
  page,
  server,
  newVisitor,
}) => {
  const email = uniqueEmail("dana");

  // Sign up on the page: it says to check the inbox (the same for an address that has an
  // account, issue 15), and signs nobody in yet.
  await page.goto("/signup");
  await page.getByLabel(/^Your name/).fill("Dana Scully");
  await page.getByLabel("E-mail address").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { name: "Check your inbox" })).toBeVisible();
  await expect(page.getByText(`We sent a message to ${email}.`)).toBeVisible();

  // The verification mail went through SMTP; its link, opened in the browser that signed up,
  // confirms and signs in, and leaves no token in the URL.
  const verification = await waitForMail(email, /Confirm your e-mail address/);
  const verifyLink = linkIn(verification, `${server.url}/verify-email#`);
  await page.goto(verifyLink);
  await expect(
    page.getByRole("heading", { name: "Your e-mail address is confirmed" }),
  ).toBeVisible();
  expect(page.url()).toBe(`${server.url}/verify-email`);
  await page.getByRole("link", { name: "Open your dashboard" }).click();
  await expect(page).toHaveURL(`${server.url}/app`);
  await expect(page.getByRole("heading", { name: "Dana Scully's organization" })).toBeVisible();
  await expect(page.getByText("Confirm your e-mail address.")).toHaveCount(0);
  // Used once: the same link now says so.
  await page.goto(verifyLink);
  // Used once, by the same person: the headline says what is true, not that the link failed.
  await expect(
    page.getByRole("heading", { name: "Your e-mail address is already confirmed" }),
  ).toBeVisible();
  await expect(page.getByText(`${email} was confirmed before`)).toBeVisible();
  await expect(page.getByText("This confirmation link does not work")).toHaveCount(0);

  // Share from / while signed in: the extra options, and no manage link.
  await page.goto("/");
  await page.getByLabel("Secret", { exact: true }).fill("staging db: hunter2-but-longer");
  await page.getByLabel(/^Name/).fill("Staging DB for Mulder");
  await page.getByLabel("Max views").selectOption({ label: "3 views" });
  await expect(page.getByLabel("Limit access to people within organization")).not.toBeChecked();
  await page.getByLabel("E-mail me when it is viewed").check();
  await page.getByRole("button", { name: "Create secret link" }).click();
  await expect(page.getByRole("heading", { name: "Your secret link is ready" })).toBeVisible();
  await expect(page.getByRole("textbox", { name: "Manage link" })).toHaveCount(0);
  const link = await page.getByRole("textbox", { name: "Share link" }).inputValue();
  await page.getByRole("link", { name: "See it in your dashboard" }).click();

  // It is listed: name, views, access, status.
  await expect(page).toHaveURL(`${server.url}/app`);
  const row = page.getByRole("row").filter({ hasText: "Staging DB for Mulder" });
  await expect(row.getByRole("cell", { name: "0 / 3" })).toBeVisible();
  await expect(row.getByRole("cell", { name: "Anyone with the link", exact: true })).toBeVisible();
  await expect(row.getByText("Active")).toBeVisible();

  // Someone else reveals it.
  const visitorContext = await newVisitor();
  const visitor = await visitorContext.newPage();
  await visitor.goto(link);
  await visitor.getByRole("button", { name: "Reveal secret" }).click();
  await expect(visitor.getByTestId("secret-text")).toHaveText("staging db: hunter2-but-longer");

  // The creator asked for a mail on each view.
  await waitForMail(email, /was viewed/);

  // The dashboard shows the view, and the access log has the reveal.
  await page.reload();
  await expect(row.getByRole("cell", { name: "1 / 3" })).toBeVisible();
  await row.getByRole("button", { name: "Access log of Staging DB for Mulder" }).click();
  await expect(row.getByRole("button", { name: /Access log/ })).toHaveAttribute(
    "aria-expanded",
    "true",
  );
  const log = page.getByRole("table", { name: "Access log" });
  const reveal = log.getByRole("row").filter({ hasText: "Revealed" });
  await expect(reveal).toHaveCount(1);
  await expect(reveal.getByRole("cell", { name: "127.0.0.1" })).toBeVisible();
  await expect(reveal.getByRole("cell", { name: "Not signed in" })).toBeVisible();
  await expect(log.getByRole("row").filter({ hasText: "Created" })).toHaveCount(1);

  // Delete with the trash icon, after the confirmation.
  await row.getByRole("button", { name: "Delete Staging DB for Mulder" }).click();
  const dialog = page.getByRole("dialog", { name: "Delete this secret?" });
  await expect(dialog).toBeVisible();
  // Focus starts on the safe choice.
  await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
  await dialog.getByRole("button", { name: "Delete secret" }).click();
  await expect(dialog).toBeHidden();
  await expect(row.getByText("Deleted")).toBeVisible();
  await expect(row.getByRole("button", { name: /^Delete/ })).toHaveCount(0);
  // The Delete button that had focus is gone: focus stays on the row, on what it still offers,
  // instead of falling back to the page.
  await expect(
    row.getByRole("button", { name: "Access log of Staging DB for Mulder" }),
  ).toBeFocused();
  expect(
    await page.evaluate(() => ({
      button: document.activeElement?.textContent,
      row: document.activeElement?.closest("tr")?.querySelector("th")?.textContent,
    })),
  ).toEqual({ button: "Access log of Staging DB for Mulder", row: "Staging DB for Mulder" });
  await expect(log.getByRole("row").filter({ hasText: "Deleted" })).toHaveCount(1);

  // And the link says so (a new page: from /s, the same link would only change the fragment).
  const later = await visitorContext.newPage();
  await later.goto(link);
  await expect(later.getByRole("heading", { name: "This secret was deleted" })).toBeVisible();
});
