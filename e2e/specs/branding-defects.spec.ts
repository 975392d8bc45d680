/**
 * Issue 25, defect 10: the contrast check compares the primary colour with the background too
 * (yellow on cream is refused, live and by the server); branded pages show no Hushlink "Sign in"
 * button to visitors; while the look loads, the header shows a neutral placeholder.
 */
import { createSignedInShare, setBrandingColors, signUpAdmin } from "../fixtures/org-admin.js";
import { expect, test } from "../fixtures/test.js";
import { checkBothWidths } from "../fixtures/widths.js";

const CREAM = "#fdf6ec";
const INK = "#2b2118";

test("yellow on cream: the primary's contrast is shown low and the save is refused", async ({
  page,
}) => {
  await signUpAdmin(page, "Gold Leaf");
  await page.goto("/app/branding");
  await page.getByLabel("Background colour", { exact: true }).fill(CREAM);
  await page.getByLabel("Text colour", { exact: true }).fill(INK);
  await page.getByLabel("Primary colour", { exact: true }).fill("#f5c518");
  // Text on the background is fine; the primary on it is not, and the page says so before Save.
  await expect(page.getByTestId("contrast-ratio")).not.toHaveText(/^[1-4]\.\d+:1$/);
  await expect(page.getByTestId("primary-contrast-ratio")).toHaveText(/^1\.\d+:1$/);
  await expect(page.getByText(/Primary on background: .* too low: at least 3:1/)).toBeVisible();
  await page.getByRole("button", { name: "Save", exact: true }).click();
  const refusal = page.getByRole("alert").filter({ hasText: "Not saved" });
  await expect(refusal).toContainText("primary colour on the background");
  await expect(refusal).toContainText("stands out from the background");
  await expect(page.getByLabel("Primary colour", { exact: true })).toHaveAttribute(
    "aria-invalid",
    "true",
  );
  await expect(page.getByLabel("Text colour", { exact: true })).not.toHaveAttribute(
    "aria-invalid",
    "true",
  );
  await checkBothWidths(page, "branding-primary-low");

  // A primary that stands out is saved.
  await page.getByLabel("Primary colour", { exact: true }).fill("#0f766e");
  await expect(
    page.getByText(/Primary on background: .* buttons and links stand out/),
  ).toBeVisible();
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
});

test("a branded share page shows visitors no Sign in button, and a placeholder while loading", async ({
  page,
  baseURL,
  newVisitor,
}) => {
  const admin = await signUpAdmin(page, "Quiet Brand");
  await setBrandingColors(page, admin.orgId, {
    primaryColor: "#0f766e",
    backgroundColor: CREAM,
    textColor: INK,
  });
  const share = await createSignedInShare(page, baseURL!, "branded and quiet");

  const visitor = await (await newVisitor()).newPage();
  // Hold the metadata answer back a moment (the real server's answer, delayed) to see the
  // loading state.
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  await visitor.route(`**/api/v1/shares/${share.id}`, async (route) => {
    await held;
    await route.continue();
  });
  await visitor.goto(share.link);
  const placeholder = visitor.locator(".wordmark__placeholder");
  await expect(placeholder).toBeVisible();
  const box = await placeholder.boundingBox();
  expect(box?.width ?? 0).toBeGreaterThan(60);
  await expect(visitor.getByRole("link", { name: "Sign in" })).toHaveCount(0);
  await expect(visitor.locator(".wordmark")).not.toContainText(/hushlink/i);
  release();

  await expect(visitor.getByRole("button", { name: "Reveal secret" })).toBeVisible();
  await expect(visitor.locator(".brand-mark")).toContainText(admin.orgName);
  await expect(visitor.getByRole("banner").getByRole("link", { name: "Sign in" })).toHaveCount(0);
  await checkBothWidths(visitor, "branding-no-sign-in");

  // Hushlink's own share form still offers Sign in.
  const plain = await (await newVisitor()).newPage();
  await plain.goto("/");
  await expect(plain.getByRole("banner").getByRole("link", { name: "Sign in" })).toBeVisible();
});
