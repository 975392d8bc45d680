import { expect, test } from "../fixtures/test.js";

test("a password share refuses a wrong password with the attempts left, then opens", async ({
  page,
  newVisitor,
}) => {
  const text = "root password: hunter2";
  await page.goto("/");
  await page.getByLabel("Secret", { exact: true }).fill(text);
  await page.getByLabel(/^Password/).fill("correct horse");
  await page.getByRole("button", { name: "Show password" }).click();
  await expect(page.getByLabel(/^Password/)).toHaveAttribute("type", "text");
  await page.getByLabel("Max views").selectOption({ label: "2 views" });
  await page.getByRole("button", { name: "Create secret link" }).click();
  // Argon2id (64 MiB) runs in a worker while the page says so.
  await expect(page.getByRole("button", { name: "Securing the password…" })).toBeDisabled();
  await expect(page.getByRole("heading", { name: "Your secret link is ready" })).toBeVisible();
  await expect(page.getByText("Expires in 1 day or after 2 views")).toBeVisible();
  await expect(page.getByText("Protected by a password")).toBeVisible();
  const link = await page.getByLabel("Share link", { exact: true }).inputValue();

  const recipient = await (await newVisitor()).newPage();
  await recipient.goto(link);
  await expect(recipient.getByText("Password protected")).toBeVisible();
  await expect(recipient.getByText("2 views left")).toBeVisible();
  const password = recipient.getByLabel(/^Password/);
  await expect(password).toBeFocused();

  await password.fill("correct horse battery");
  await recipient.getByRole("button", { name: "Reveal secret" }).click();
  const checking = recipient.getByRole("button", { name: "Checking password…" });
  await expect(checking).toBeDisabled();
  // The page stays responsive while the worker hashes.
  expect(await recipient.evaluate(() => 1 + 1)).toBe(2);
  await expect(recipient.getByRole("alert")).toHaveText(
    "Wrong password. 9 attempts left before the secret is locked and deleted.",
  );
  await expect(recipient.getByTestId("secret-text")).toHaveCount(0);

  await password.fill("correct horse");
  await recipient.getByRole("button", { name: "Reveal secret" }).click();
  await expect(recipient.getByTestId("secret-text")).toHaveText(text);
  await expect(recipient.getByText("This link can still be opened 1 more time.")).toBeVisible();
});

test("an empty password is asked for before anything is sent", async ({ page, server }) => {
  const { buildShare } = await import("../fixtures/shares.js");
  const share = await buildShare(server, { password: "pw" });
  let reveals = 0;
  page.on("request", (request) => {
    if (request.url().endsWith("/reveal")) reveals++;
  });
  await page.goto(share.link);
  await page.getByRole("button", { name: "Reveal secret" }).click();
  await expect(page.getByRole("alert")).toHaveText("Enter the password to reveal the secret.");
  expect(reveals).toBe(0);
});
