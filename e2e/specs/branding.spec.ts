/**
 * Custom branding (SPEC F7): an admin sets colours and a logo in /app/branding; the
 * organization's share and request pages then show them, and no Hushlink name anywhere, in fresh
 * browsers at desktop and phone width, without CSP violations (the fixture checks).
 */
import type { Page } from "@playwright/test";

import { signUp } from "../fixtures/accounts.js";
import { expectAccessible } from "../fixtures/checks.js";
import {
  createRequest,
  createSignedInShare,
  logoPng,
  PHONE,
  screenshotAs,
  setBrandingColors,
  signUpAdmin,
  uploadLogo,
} from "../fixtures/org-admin.js";
import { expect, test } from "../fixtures/test.js";

const COLORS = { primary: "#0f766e", background: "#fdf6ec", text: "#2b2118" };
const RGB = { background: "rgb(253, 246, 236)", text: "rgb(43, 33, 24)" };
const LOGO = logoPng([15, 118, 110, 255], [43, 33, 24, 255]);

/** What the server has saved, as the dashboard reads it. */
async function serverBranding(page: Page, orgId: string) {
  const res = await page.request.get(`/api/v1/orgs/${orgId}/branding`);
  expect(res.status()).toBe(200);
  return (await res.json()) as {
    primaryColor: string | null;
    backgroundColor: string | null;
    textColor: string | null;
    logoUrl: string | null;
    defaultLocale?: string | null;
  };
}

/** The page wears the organization's look and says nothing of Hushlink. */
async function expectBranded(page: Page, orgName: string, state: string) {
  const logo = page.getByRole("banner").getByRole("img", { name: orgName });
  await expect(logo, `logo on ${state}`).toBeVisible();
  await expect
    .poll(() => logo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
    .toBe(240);
  const look = await page.evaluate(() => {
    const body = getComputedStyle(document.body);
    return {
      background: body.backgroundColor,
      color: body.color,
      text: document.body.innerText,
      title: document.title,
    };
  });
  expect(look.background, `background on ${state}`).toBe(RGB.background);
  expect(look.color, `text colour on ${state}`).toBe(RGB.text);
  expect(look.text, `visible text on ${state}`).not.toMatch(/hushlink/i);
  expect(look.title, `title on ${state}`).not.toMatch(/hushlink/i);
  expect(look.title, `title on ${state}`).toContain(orgName);
  await expect(page.locator(".wordmark")).toHaveCount(0);
}

test("branding: colours and logo set in the dashboard show on the share pages", async ({
  page,
  baseURL,
  newVisitor,
}) => {
  const admin = await signUpAdmin(page, "Northwind");

  await page.goto("/app/branding");
  await expect(
    page.getByRole("heading", { name: "Branding of share and request pages" }),
  ).toBeVisible();
  await expect(page.getByTestId("brand-preview").getByText("Hushlink")).toBeVisible();

  // A text colour too close to the background: shown live, and refused by the server.
  await page.getByLabel("Background colour", { exact: true }).fill(COLORS.background);
  await page.getByLabel("Text colour", { exact: true }).fill("#d9cbb8");
  await expect(page.getByTestId("contrast-ratio")).toHaveText(/^1\.\d+:1$/);
  await page.getByRole("button", { name: "Save", exact: true }).click();
  const refusal = page.getByRole("alert").filter({ hasText: "Not saved" });
  await expect(refusal).toContainText("at least 4.5:1");
  await expect(page.getByLabel("Text colour", { exact: true })).toHaveAttribute(
    "aria-invalid",
    "true",
  );
  await screenshotAs(page, "branding-02-low-contrast");

  // Readable colours are saved; the preview takes them at once.
  await page.getByLabel("Primary colour", { exact: true }).fill(COLORS.primary);
  await page.getByLabel("Text colour", { exact: true }).fill(COLORS.text);
  await expect(page.getByTestId("contrast-ratio")).toHaveText(/^1[3-5]\.\d+:1$/);
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByText(/^Saved\. Share and request pages/)).toBeVisible();
  await expect(page.getByTestId("brand-preview")).toHaveCSS("background-color", RGB.background);

  await page.getByLabel("Upload logo").setInputFiles({
    name: "northwind.png",
    mimeType: "image/png",
    buffer: LOGO,
  });
  await expect(page.getByTestId("current-logo")).toBeVisible();
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "use this logo" })).toBeVisible();
  await expect(page.getByTestId("brand-preview").getByText("Hushlink")).toHaveCount(0);
  await expectAccessible(page, "/app/branding (saved, with logo)");
  await screenshotAs(page, "branding-01-saved");
  await page.setViewportSize(PHONE.viewport);
  await screenshotAs(page, "branding-01-saved");

  // The organization's shares, opened by people with fresh browsers.
  let share = await createSignedInShare(page, baseURL!, "wifi: correct-horse-battery");

  for (const [size, options] of [
    ["desktop", {}],
    ["phone", PHONE],
  ] as const) {
    const visitor = await (await newVisitor(options)).newPage();

    await visitor.goto(share.link);
    await expect(
      visitor.getByRole("heading", { name: "Someone shared a secret with you" }),
    ).toBeVisible();
    await expectBranded(visitor, admin.orgName, `/s (${size})`);
    await expectAccessible(visitor, `/s branded (${size})`);
    await screenshotAs(visitor, "branding-11-share");

    await visitor.getByRole("button", { name: "Reveal secret" }).click();
    await expect(visitor.getByTestId("secret-text")).toHaveText(share.text);
    await expectBranded(visitor, admin.orgName, `/s revealed (${size})`);
    await screenshotAs(visitor, "branding-12-share-revealed");

    // Viewed: the 410 answer carries the branding too, and no link to Hushlink's own page.
    await visitor.goto("about:blank");
    await visitor.goto(share.link);
    await expect(
      visitor.getByRole("heading", { name: "This secret has already been viewed" }),
    ).toBeVisible();
    await expectBranded(visitor, admin.orgName, `/s gone (${size})`);
    await expect(visitor.getByRole("link", { name: /share a secret/i })).toHaveCount(0);
    await screenshotAs(visitor, "branding-13-share-gone");

    // This visitor used the only view; the next one gets a share of its own.
    share = await createSignedInShare(page, baseURL!, "wifi: staple-horse-battery");
  }
});

test("branding: request pages of a branded organization", async ({ page, newVisitor }) => {
  const admin = await signUpAdmin(page, "Woodgrove");
  await setBrandingColors(page, admin.orgId, {
    primaryColor: COLORS.primary,
    backgroundColor: COLORS.background,
    textColor: COLORS.text,
  });
  await uploadLogo(page, admin.orgId, LOGO);
  const requests = {
    desktop: await createRequest(page, { name: "VPN certificate for Lena" }),
    phone: await createRequest(page, { name: "Router admin password" }),
  };
  const membersOnly = await createRequest(page, { name: "Board minutes", access: "organization" });

  for (const [size, options] of [
    ["desktop", {}],
    ["phone", PHONE],
  ] as const) {
    // Organization-only, opened signed out: the sign-in page (a 401 answer) wears the look too,
    // and names the organization from its branding, but not the request.
    const stranger = await (await newVisitor(options)).newPage();
    await stranger.goto(membersOnly.url);
    await expect(
      stranger.getByRole("heading", { name: "Sign in to answer this request" }),
    ).toBeVisible();
    await expect(
      stranger.getByText(`Only members of ${admin.orgName} can send a secret for it.`),
    ).toBeVisible();
    await expectBranded(stranger, admin.orgName, `/r sign-in (${size})`);
    await expect(stranger.getByText("Board minutes")).toHaveCount(0);
    await expectAccessible(stranger, `/r sign-in branded (${size})`);
    await screenshotAs(stranger, "branding-18-request-sign-in");

    // Signed in outside the organization: the "not allowed" page (a 403 answer), branded alike.
    const outsiderContext = await newVisitor(options);
    await signUp(outsiderContext, { label: "outsider" });
    const outsider = await outsiderContext.newPage();
    await outsider.goto(membersOnly.url);
    await expect(
      outsider.getByRole("heading", { name: "Your account cannot answer this request" }),
    ).toBeVisible();
    await expect(
      outsider.getByText(`Only members of ${admin.orgName} can send a secret for it.`),
    ).toBeVisible();
    await expectBranded(outsider, admin.orgName, `/r not allowed (${size})`);
    await expect(outsider.getByText("Board minutes")).toHaveCount(0);
    await expectAccessible(outsider, `/r not allowed branded (${size})`);
    await screenshotAs(outsider, "branding-19-request-not-allowed");

    const visitor = await (await newVisitor(options)).newPage();
    await visitor.goto(requests[size].url);
    await expect(
      // The person who asked, then the organization (issue 25, defect 7).
      visitor.getByRole("heading", { name: `Woodgrove of ${admin.orgName} asks you for a secret` }),
    ).toBeVisible();
    await expectBranded(visitor, admin.orgName, `/r (${size})`);
    await expectAccessible(visitor, `/r branded (${size})`);
    await screenshotAs(visitor, "branding-10-request");

    if (size === "desktop") {
      await visitor.getByLabel("Secret", { exact: true }).fill("-----BEGIN CERTIFICATE-----");
      await visitor.getByRole("button", { name: "Send secret" }).click();
      await expect(visitor.getByRole("heading", { name: "Sent" })).toBeVisible();
      await expectBranded(visitor, admin.orgName, "/r sent");
      await screenshotAs(visitor, "branding-14-request-sent");
    } else {
      // The desktop visitor answered the other request already.
      await visitor.goto(requests.desktop.url);
      await expect(
        visitor.getByRole("heading", { name: "This request was already answered" }),
      ).toBeVisible();
      await expectBranded(visitor, admin.orgName, "/r answered");
      await screenshotAs(visitor, "branding-15-request-answered");
    }
  }
});

test("branding: reset to default and logo removal bring Hushlink's look back", async ({
  page,
  baseURL,
  newVisitor,
}) => {
  const { orgId } = await signUpAdmin(page, "Contoso");
  await page.goto("/app/branding");
  await page.getByLabel("Primary colour", { exact: true }).fill("#7c3aed");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByText(/^Saved\./)).toBeVisible();
  await page.getByLabel("Upload logo").setInputFiles({
    name: "logo.png",
    mimeType: "image/png",
    buffer: LOGO,
  });
  await expect(page.getByTestId("current-logo")).toBeVisible();
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByText(/^Saved\./)).toBeVisible();
  const before = await serverBranding(page, orgId);
  expect(before.logoUrl).not.toBeNull();

  // Not an image: the server decides by the bytes, whatever the name and type say; with it a
  // colour change: the refusal saves neither.
  await page.getByLabel("Replace logo").setInputFiles({
    name: "logo.png",
    mimeType: "image/png",
    buffer: Buffer.from("<svg xmlns='http://www.w3.org/2000/svg'/>"),
  });
  await page.getByLabel("Primary colour", { exact: true }).fill("#0f766e");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByRole("alert")).toContainText("not a PNG, JPEG or WebP image");
  expect(await serverBranding(page, orgId)).toEqual(before);
  await expect(page.getByTestId("unsaved")).toBeVisible();
  await page.getByRole("button", { name: "Discard changes" }).click();

  await page.getByRole("button", { name: "Remove logo" }).click();
  await expect(page.getByText("No logo")).toBeVisible();
  await page.getByRole("button", { name: "Default colours" }).click();
  await expect(page.getByLabel("Primary colour", { exact: true })).toHaveValue("");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByText(/^Saved\./)).toBeVisible();
  expect(await serverBranding(page, orgId)).toMatchObject({ primaryColor: null, logoUrl: null });

  const share = await createSignedInShare(page, baseURL!, "plain");
  const visitor = await (await newVisitor()).newPage();
  await visitor.goto(share.link);
  await expect(visitor.getByRole("link", { name: "Hushlink, share a new secret" })).toBeVisible();
  expect(await visitor.title()).toBe("Reveal secret · Hushlink");
});

test("branding: members see the branding read-only", async ({ page }) => {
  // A member's view, reached by signing up and then losing the admin role would need a second
  // account; the read-only rendering is checked through the role the page is given instead.
  await signUpAdmin(page, "Fabrikam");
  await page.route("**/api/v1/auth/me", async (route) => {
    const response = await route.fetch();
    const me = (await response.json()) as { orgs: { role: string }[] };
    for (const org of me.orgs) org.role = "member";
    await route.fulfill({ response, json: me });
  });
  await page.goto("/app/branding");
  await expect(page.getByText(/Only admins of .+ can change the branding/)).toBeVisible();
  await expect(page.getByLabel("Primary colour", { exact: true })).toBeDisabled();
  await expect(page.getByRole("button", { name: "Save", exact: true })).toHaveCount(0);
  await expect(page.getByLabel("Upload logo")).toHaveCount(0);
  await expectAccessible(page, "/app/branding (member)");
  await screenshotAs(page, "branding-03-member");
});

test("branding: a dark palette with a pale primary stays readable", async ({
  page,
  baseURL,
  newVisitor,
}) => {
  const admin = await signUpAdmin(page, "Proseware");
  await setBrandingColors(page, admin.orgId, {
    primaryColor: "#f9a8d4",
    backgroundColor: "#111827",
    textColor: "#f3f4f6",
  });
  await page.goto("/app/branding");
  await expect(page.getByText("(near-black, chosen automatically)")).toBeVisible();
  await screenshotAs(page, "branding-04-dark");

  const share = await createSignedInShare(page, baseURL!, "dark mode");
  const visitor = await (await newVisitor()).newPage();
  await visitor.goto(share.link);
  await expect(visitor.getByRole("button", { name: "Reveal secret" })).toBeVisible();
  // No logo: the organization's name stands in for it.
  await expect(visitor.getByRole("banner").getByText(admin.orgName)).toBeVisible();
  expect(await visitor.evaluate(() => document.body.innerText)).not.toMatch(/hushlink/i);
  await expectAccessible(visitor, "/s branded dark");
  await screenshotAs(visitor, "branding-16-share-dark");
  await visitor.getByRole("button", { name: "Reveal secret" }).click();
  await expect(visitor.getByTestId("secret-text")).toHaveText("dark mode");
  await expectAccessible(visitor, "/s branded dark (revealed)");
  await screenshotAs(visitor, "branding-17-share-dark-revealed");
});

test("branding: logo and colours are staged, saved together by one Save, and dropped by Discard", async ({
  page,
}) => {
  const { orgId } = await signUpAdmin(page, "Fabrikam");
  await page.goto("/app/branding");
  const save = page.getByRole("button", { name: "Save", exact: true });
  const discard = page.getByRole("button", { name: "Discard changes" });
  await expect(save).toBeDisabled();
  await expect(discard).toBeDisabled();

  await page.getByLabel("Upload logo").setInputFiles({
    name: "fabrikam.png",
    mimeType: "image/png",
    buffer: LOGO,
  });
  await page.getByLabel("Background colour", { exact: true }).fill(COLORS.background);
  await page.getByLabel("Primary colour", { exact: true }).fill(COLORS.primary);
  await page.getByLabel("Text colour", { exact: true }).fill(COLORS.text);
  // The preview shows both at once; the server has neither.
  await expect(page.getByTestId("unsaved")).toBeVisible();
  await expect(page.getByText("Logo (not saved yet)")).toBeVisible();
  await expect(page.getByTestId("brand-preview")).toHaveCSS("background-color", RGB.background);
  await expect(page.getByTestId("brand-preview").getByText("Hushlink")).toHaveCount(0);
  expect(await serverBranding(page, orgId)).toEqual({
    primaryColor: null,
    backgroundColor: null,
    textColor: null,
    logoUrl: null,
    defaultLocale: null,
  });
  await expectAccessible(page, "/app/branding (unsaved changes)");
  await screenshotAs(page, "branding-03-unsaved");
  await page.setViewportSize(PHONE.viewport);
  await screenshotAs(page, "branding-03-unsaved");
  await page.setViewportSize({ width: 1280, height: 800 });

  await save.click();
  await expect(page.getByRole("status").filter({ hasText: "use this logo" })).toBeVisible();
  await expect(page.getByTestId("unsaved")).toHaveCount(0);
  const saved = await serverBranding(page, orgId);
  expect(saved).toMatchObject({
    primaryColor: COLORS.primary,
    backgroundColor: COLORS.background,
    textColor: COLORS.text,
  });
  expect(saved.logoUrl).not.toBeNull();

  // A new colour and the logo's removal, then Discard: both dropped, on the page and the server.
  await page.getByLabel("Primary colour", { exact: true }).fill("#7c3aed");
  await page.getByRole("button", { name: "Remove logo" }).click();
  await expect(page.getByText("No logo")).toBeVisible();
  await expect(page.getByTestId("unsaved")).toBeVisible();
  await discard.click();
  await expect(page.getByTestId("unsaved")).toHaveCount(0);
  await expect(page.getByLabel("Primary colour", { exact: true })).toHaveValue(COLORS.primary);
  await expect(page.getByTestId("current-logo")).toBeVisible();
  await expect(save).toBeDisabled();
  expect(await serverBranding(page, orgId)).toEqual(saved);
});
