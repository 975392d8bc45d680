/**
 * What a first-time user, a screen-reader user and a non-English user stumble on (session 23's
 * pass): axe finds nothing moderate or worse on the Requests tab once a request link is made.
 */
import { expectAxeClean } from "../fixtures/checks.js";
import { signUpAdmin } from "../fixtures/org-admin.js";
import { fillRequestForm } from "../fixtures/request-form.js";
import { expect, test } from "../fixtures/test.js";

test("the Requests tab keeps its heading order once a request link is made", async ({ page }) => {
  await signUpAdmin(page, "Heading Order");
  await page.goto("/app/requests");
  await expect(page.getByRole("heading", { name: "Request a secret" })).toBeVisible();
  await fillRequestForm(page, "VPN key");
  await expectAxeClean(page, "/app/requests (request link made)");
  // The section is still named by its heading.
  await expect(page.getByRole("region", { name: "Request link for “VPN key”" })).toBeVisible();
});
