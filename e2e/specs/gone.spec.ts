import { buildShare, expireShare, wrongPasswordAttempts } from "../fixtures/shares.js";
import { expect, test } from "../fixtures/test.js";

test("an expired share says when it expired", async ({ page, server }) => {
  const share = await buildShare(server);
  expireShare(server, share.id);
  await page.goto(share.link);
  await expect(page.getByRole("heading", { name: "This secret has expired" })).toBeVisible();
  await expect(page.getByText(/It expired on .+ and was deleted\./)).toBeVisible();
  await expect(page.getByRole("button", { name: "Reveal secret" })).toHaveCount(0);
});

test("“Destroy now” after reading a 3-view share deletes it for everyone", async ({
  page,
  server,
  newVisitor,
}) => {
  const share = await buildShare(server, { maxViews: 3, text: "three views" });
  await page.goto(share.link);
  await expect(page.getByText("3 views left")).toBeVisible();
  await page.getByRole("button", { name: "Reveal secret" }).click();
  await expect(page.getByTestId("secret-text")).toHaveText("three views");
  await expect(page.getByText("This link can still be opened 2 more times.")).toBeVisible();

  await page.getByRole("button", { name: "Destroy now" }).click();
  await expect(page.getByText("Destroy this secret for everyone?")).toBeVisible();
  // Focus starts on the safe answer.
  await expect(page.getByRole("button", { name: "Cancel" })).toBeFocused();
  await page.getByRole("button", { name: "Yes, destroy it" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Destroyed." })).toBeVisible();
  // What was revealed stays readable on this page.
  await expect(page.getByTestId("secret-text")).toHaveText("three views");

  const other = await (await newVisitor()).newPage();
  await other.goto(share.link);
  await expect(other.getByRole("heading", { name: "This secret was deleted" })).toBeVisible();
  await expect(other.getByText(/It was deleted on .+/)).toBeVisible();
});

test("the manage link shows the status and deletes the share", async ({
  page,
  newVisitor,
  baseURL,
}) => {
  await page.goto("/");
  await page.getByLabel("Secret", { exact: true }).fill("managed secret");
  await page.getByLabel(/^Name/).fill("Deploy key for CI");
  await page.getByLabel("Expires in").selectOption({ label: "7 days" });
  await page.getByRole("button", { name: "Create secret link" }).click();
  await expect(page.getByText("Expires in 7 days or after 1 view")).toBeVisible();
  const link = await page.getByLabel("Share link", { exact: true }).inputValue();
  const manageLink = await page.getByLabel("Manage link", { exact: true }).inputValue();

  const creator = await (await newVisitor()).newPage();
  await creator.goto(manageLink);
  await expect(creator.getByRole("heading", { name: "Deploy key for CI" })).toBeVisible();
  expect(creator.url(), "the manage token is dropped from the address bar").not.toContain("#");
  expect(creator.url()).toMatch(new RegExp(`^${baseURL}/manage/[A-Za-z0-9_-]{22}$`));
  await expect(creator.getByTestId("share-status")).toHaveText("Active");
  await expect(creator.getByText("0 of 1 used")).toBeVisible();

  await creator.getByRole("button", { name: "Delete secret" }).click();
  await expect(creator.getByRole("button", { name: "Cancel" })).toBeFocused();
  await creator.getByRole("button", { name: "Cancel" }).click();
  await expect(creator.getByRole("button", { name: "Delete secret" })).toBeFocused();
  await creator.getByRole("button", { name: "Delete secret" }).click();
  await creator.getByRole("button", { name: "Yes, delete it" }).click();
  await expect(creator.getByText("Deleted.", { exact: false }).first()).toBeVisible();
  await expect(creator.getByTestId("share-status")).toHaveText("Deleted");
  await expect(creator.getByRole("button", { name: "Delete secret" })).toHaveCount(0);

  const recipient = await (await newVisitor()).newPage();
  await recipient.goto(link);
  await expect(recipient.getByRole("heading", { name: "This secret was deleted" })).toBeVisible();
});

test("a share locked after too many wrong passwords says so", async ({ page, server }) => {
  const share = await buildShare(server, { password: "right" });
  await wrongPasswordAttempts(server, share, 10);
  await page.goto(share.link);
  await expect(page.getByRole("heading", { name: "This secret is locked" })).toBeVisible();
  await expect(page.getByText(/after too many wrong passwords/)).toBeVisible();
});

test("an unknown or incomplete link says it does not exist", async ({ page }) => {
  await page.goto(`/s#${"A".repeat(43)}`);
  await expect(page.getByRole("heading", { name: "This link does not exist" })).toBeVisible();
  // A URL that differs only in its fragment would be a same-document navigation.
  await page.goto("about:blank");
  await page.goto("/s#not-a-link");
  await expect(page.getByRole("heading", { name: "This link is damaged" })).toBeVisible();
  await page.goto("about:blank");
  await page.goto("/s");
  await expect(page.getByRole("heading", { name: "This address has no secret key" })).toBeVisible();
});
