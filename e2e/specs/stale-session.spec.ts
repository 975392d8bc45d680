/**
 * The session behind the share form ends while the page is open (signed out elsewhere, revoked,
 * expired): the create is refused (401 login_required) rather than quietly made anonymous, the
 * form keeps what was typed and says so, and the author chooses to sign in again or to go on
 * without an account (black-box finding, session 28).
 */
import { signUp } from "../fixtures/accounts.js";
import { endSessions } from "../fixtures/database.js";
import { expect, test } from "../fixtures/test.js";

test("a create after the session ended keeps the form and offers to go on without an account", async ({
  page,
  context,
  server,
  baseURL,
}) => {
  const account = await signUp(context, { label: "stale" });
  await page.goto("/");
  // Signed in: the options of members are offered.
  await expect(page.getByLabel("Show my name and organization to the recipient")).toBeVisible();

  endSessions(server, account.email);
  const text = `stale-session ${Date.now()}`;
  await page.getByLabel("Secret", { exact: true }).fill(text);
  await page.getByLabel("Name (optional)", { exact: true }).fill("For Sam");
  const refused = page.waitForResponse(
    (r) => r.url().endsWith("/api/v1/shares") && r.request().method() === "POST",
  );
  await page.getByRole("button", { name: "Create secret link" }).click();
  expect((await refused).status()).toBe(401);

  const alert = page.getByRole("alert").filter({ hasText: "Your session has ended." });
  await expect(alert).toHaveText(
    /Your session has ended\. Sign in again to keep this share in your account, or create it without an account\./,
  );
  await expect(page.getByLabel("Secret", { exact: true })).toHaveValue(text);
  await expect(page.getByLabel("Name (optional)", { exact: true })).toHaveValue("For Sam");
  const signIn = alert.getByRole("link", { name: "Sign in (opens a new tab)" });
  await expect(signIn).toHaveAttribute("href", "/login?next=%2F");
  await expect(signIn).toHaveAttribute("target", "_blank");
  // The refusal cleared the stale cookies.
  const names = (await context.cookies()).map((c) => c.name);
  expect(names).not.toContain("hl_session");
  expect(names).not.toContain("hl_csrf");

  await alert.getByRole("button", { name: "Create without an account" }).click();
  await expect(page.getByRole("heading", { name: "Your secret link is ready" })).toBeFocused();
  const link = await page.getByLabel("Share link", { exact: true }).inputValue();
  expect(link).toMatch(new RegExp(`^${baseURL}/s#[A-Za-z0-9_-]{43}$`));
  // Made without an account: it has a manage link of its own, as every anonymous share does.
  await expect(page.getByLabel("Manage link", { exact: true })).toBeVisible();
});

test("a request asked for after the session ended offers to sign in or to go on without an account", async ({
  page,
  context,
  server,
}) => {
  const account = await signUp(context, { label: "stale-request" });
  await page.goto("/request");
  await expect(page.getByRole("heading", { name: "Request a secret" })).toBeVisible();

  endSessions(server, account.email);
  await page.getByLabel("What do you need? (optional)", { exact: true }).fill("Staging password");
  const refused = page.waitForResponse(
    (r) => r.url().endsWith("/api/v1/requests") && r.request().method() === "POST",
  );
  await page.getByRole("button", { name: "Create request link" }).click();
  expect((await refused).status()).toBe(401);

  // Not the message for a server that takes no anonymous requests: this one does.
  const alert = page.getByRole("alert").filter({ hasText: "Your session has ended." });
  await expect(alert).toHaveText(
    /Your session has ended\. Sign in again to keep this request in your account, or create it without an account\./,
  );
  await expect(page.getByLabel("What do you need? (optional)", { exact: true })).toHaveValue(
    "Staging password",
  );
  const signIn = alert.getByRole("link", { name: "Sign in (opens a new tab)" });
  await expect(signIn).toHaveAttribute("href", "/login?next=%2Frequest");
  await expect(signIn).toHaveAttribute("target", "_blank");

  await alert.getByRole("button", { name: "Create without an account" }).click();
  await expect(
    page.getByRole("heading", { name: "Request link for “Staging password”" }),
  ).toBeVisible();
});
