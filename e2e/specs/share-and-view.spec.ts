import { expect, test } from "../fixtures/test.js";

test("a share created in the page is revealed once, then the link says it was viewed", async ({
  page,
  context,
  baseURL,
  newVisitor,
}) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const text = `postgres://app:${Date.now()}@db.internal/app`;

  await page.goto("/");
  await page.getByLabel("Secret", { exact: true }).fill(text);
  await expect(page.getByText(`${text.length} characters`)).toBeVisible();
  await page.getByRole("button", { name: "Create secret link" }).click();

  await expect(page.getByRole("heading", { name: "Your secret link is ready" })).toBeFocused();
  const link = await page.getByLabel("Share link", { exact: true }).inputValue();
  expect(link).toMatch(new RegExp(`^${baseURL}/s#[A-Za-z0-9_-]{43}$`));
  await expect(page.getByText("Expires in 1 day or after 1 view")).toBeVisible();
  await expect(page.getByRole("img", { name: "QR code of the share link" })).toBeVisible();
  expect(await page.getByLabel("Manage link", { exact: true }).inputValue()).toMatch(
    new RegExp(`^${baseURL}/manage/[A-Za-z0-9_-]{22}#.+`),
  );

  await page.getByRole("button", { name: "Copy share link" }).click();
  await expect(page.getByRole("button", { name: "Copied" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);

  // The recipient, in a browser of their own.
  const recipient = await (await newVisitor()).newPage();
  await recipient.goto(link);
  await expect(
    recipient.getByRole("heading", { name: "Someone shared a secret with you" }),
  ).toBeVisible();
  expect(recipient.url(), "the fragment is dropped from the address bar").toBe(`${baseURL}/s`);
  await expect(recipient.getByText("1 view left")).toBeVisible();
  await expect(recipient.getByTestId("secret-text")).toHaveCount(0);

  await recipient.getByRole("button", { name: "Reveal secret" }).click();
  await expect(recipient.getByTestId("secret-text")).toHaveText(text);
  await expect(recipient.getByText("That was the last view.")).toBeVisible();
  await expect(recipient.getByRole("button", { name: "Destroy now" })).toHaveCount(0);

  // Anyone else who opens the link later learns that it was viewed.
  const latecomer = await (await newVisitor()).newPage();
  await latecomer.goto(link);
  await expect(
    latecomer.getByRole("heading", { name: "This secret has already been viewed" }),
  ).toBeVisible();
  await expect(
    latecomer.getByText(/This secret was viewed on .+; if that was not you, tell the sender\./),
  ).toBeVisible();
});

test("“Share another” starts a clean form", async ({ page }) => {
  await page.goto("/");
  await page.getByLabel("Secret", { exact: true }).fill("first");
  await page.getByRole("button", { name: "Create secret link" }).click();
  await page.getByRole("button", { name: "Share another secret" }).click();
  await expect(page.getByLabel("Secret", { exact: true })).toHaveValue("");
  await expect(page.getByLabel("Expires in")).toHaveValue(String(24 * 3600));
  await expect(page.getByLabel("Max views")).toHaveValue("1");
});

test("the form refuses an empty or oversized secret without calling the server", async ({
  page,
}) => {
  const creates: string[] = [];
  page.on("request", (request) => {
    if (request.method() === "POST") creates.push(request.url());
  });
  await page.goto("/");
  await page.getByRole("button", { name: "Create secret link" }).click();
  await expect(page.getByRole("alert")).toHaveText(
    "Enter the secret you want to share, or choose files.",
  );
  await expect(page.getByLabel("Secret", { exact: true })).toBeFocused();

  // 65,537 bytes against the default 64 KiB limit from /api/v1/config.
  await page.getByLabel("Secret", { exact: true }).fill("x".repeat(64 * 1024 + 1));
  await expect(page.getByText("64 kB of 64 kB")).toBeVisible();
  await expect(page.getByRole("alert")).toContainText("over the limit");
  await page.getByRole("button", { name: "Create secret link" }).click();
  expect(creates).toEqual([]);
});

test("the whole flow works with the keyboard alone", async ({ page, newVisitor }) => {
  await page.goto("/");
  // The page renders once its language's messages are loaded (a lazy module): keys before that
  // would go to an empty page.
  await expect(page.getByLabel("Secret", { exact: true })).toBeVisible();
  await page.keyboard.press("Tab"); // skip link
  await page.keyboard.press("Tab"); // wordmark
  await page.keyboard.press("Tab"); // "Sign in" in the header
  await expect(page.getByRole("link", { name: "Sign in" })).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Secret", { exact: true })).toBeFocused();
  await page.keyboard.type("typed with keys");
  // Secret → generate a password → choose files → note → name → password → show/hide → expires
  // → views → submit
  for (let i = 0; i < 9; i++) await page.keyboard.press("Tab");
  await expect(page.getByRole("button", { name: "Create secret link" })).toBeFocused();
  await page.keyboard.press("Enter");
  const link = await page.getByLabel("Share link", { exact: true }).inputValue();

  const recipient = await (await newVisitor()).newPage();
  await recipient.goto(link);
  const reveal = recipient.getByRole("button", { name: "Reveal secret" });
  await expect(reveal).toBeVisible();
  await reveal.focus();
  await recipient.keyboard.press("Enter");
  await expect(recipient.getByTestId("secret-text")).toHaveText("typed with keys");
  await expect(recipient.getByRole("heading", { name: "Here is your secret" })).toBeFocused();
});
