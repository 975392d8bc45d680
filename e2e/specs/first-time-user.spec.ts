/**
 * What a first-time user, a screen-reader user and a non-English user stumble on (session 23's
 * pass): axe finds nothing moderate or worse on the Requests tab once a request link is made,
 * and a manage link that no longer manages anything (bad, or its secret gone) offers a way on.
 * Reveal pressed from the keyboard while the server fails (500, or gone away) says why and keeps
 * the focus on Reveal secret, which pressed again opens the secret once the server is back; so
 * does Yes, delete it on the manage page, and Add endpoint in the webhook form. Resend the link
 * (an address not yet confirmed) keeps the focus too, as Send it again.
 */
import type { Route } from "@playwright/test";

import { signUp } from "../fixtures/accounts.js";
import { expectAxeClean } from "../fixtures/checks.js";
import { signUpAdmin } from "../fixtures/org-admin.js";
import { fillRequestForm } from "../fixtures/request-form.js";
import { buildShare } from "../fixtures/shares.js";
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

test("a manage link that no longer works, or whose secret is gone, offers a way on", async ({
  page,
  server,
}) => {
  const share = await buildShare(server);
  await page.goto(`/manage/${share.id}#wrong-token`);
  await expect(page.getByRole("heading", { name: "This manage link does not work" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Share another secret" })).toHaveAttribute(
    "href",
    "/",
  );
  await expectAxeClean(page, "/manage (wrong token)");

  await page.goto("about:blank");
  await page.goto(share.manageLink);
  await page.getByRole("button", { name: "Delete secret" }).click();
  await page.getByRole("button", { name: "Yes, delete it" }).click();
  await expect(page.getByTestId("share-status")).toHaveText("Deleted");
  await expect(page.getByRole("link", { name: "Share another secret" })).toHaveAttribute(
    "href",
    "/",
  );
  await expectAxeClean(page, "/manage (deleted)");
});

const REVEAL = /\/api\/v1\/shares\/[A-Za-z0-9_-]+\/reveal$/;
const failures: [string, (route: Route) => Promise<void>, string][] = [
  [
    "a 500",
    (route) =>
      route.fulfill({
        status: 500,
        contentType: "application/json",
        body: JSON.stringify({ error: { code: "internal_error", message: "Internal error" } }),
      }),
    "Internal error",
  ],
  [
    "no answer",
    (route) => route.abort("connectionrefused"),
    "The server could not be reached. Check your connection and try again.",
  ],
];

for (const [name, answer, message] of failures) {
  test(`a reveal that fails (${name}) keeps the focus on Reveal secret, which tries again`, async ({
    page,
    server,
  }) => {
    const share = await buildShare(server, { text: "after the outage" });
    await page.route(REVEAL, answer);
    await page.goto(share.link);
    const reveal = page.getByRole("button", { name: "Reveal secret" });
    await reveal.focus();
    await page.keyboard.press("Enter");
    await expect(page.getByRole("alert")).toHaveText(message);
    await expect(reveal).toBeFocused();

    await page.unroute(REVEAL);
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("secret-text")).toHaveText("after the outage");
  });
}

test("a delete that fails on the manage page keeps the focus on its confirm button, which tries again", async ({
  page,
  server,
}) => {
  const share = await buildShare(server);
  const deletion = `**/api/v1/shares/${share.id}`;
  await page.route(deletion, (route) =>
    route.request().method() === "DELETE" ? route.abort("connectionrefused") : route.fallback(),
  );
  await page.goto(share.manageLink);
  await page.getByRole("button", { name: "Delete secret" }).click();
  const confirm = page.getByRole("button", { name: "Yes, delete it" });
  await confirm.focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("alert")).toHaveText(
    "The server could not be reached. Check your connection and try again.",
  );
  await expect(confirm).toBeFocused();

  await page.unroute(deletion);
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("share-status")).toHaveText("Deleted");
});

test("a webhook that fails to save keeps the focus on Add endpoint, which tries again", async ({
  page,
}) => {
  const admin = await signUpAdmin(page, "Webhook Retry");
  const hooks = `**/api/v1/orgs/${admin.orgId}/webhooks`;
  await page.route(hooks, (route) =>
    route.request().method() === "POST" ? route.abort("connectionrefused") : route.fallback(),
  );
  await page.goto("/app/webhooks");
  await page.getByRole("button", { name: "Add endpoint" }).click();
  await page.getByLabel("Endpoint URL").fill("http://127.0.0.1:9/hushlink");
  await page.getByLabel("Share created").check();
  const save = page.getByRole("button", { name: "Add endpoint" });
  await save.focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("alert")).toHaveText(
    "The server could not be reached. Check your connection and try again.",
  );
  await expect(save).toBeFocused();

  await page.unroute(hooks);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("button", { name: "Done, I copied it" })).toBeVisible();
});

test("Resend the link pressed from the keyboard keeps the focus, as Send it again", async ({
  page,
}) => {
  const account = await signUp(page.context(), { label: "resend-focus", verified: false });
  await page.goto("/app/account");
  await page.getByRole("button", { name: "Resend the link" }).first().focus();
  await page.keyboard.press("Enter");
  await expect(page.getByText(`We sent a new link to ${account.email}.`).first()).toBeVisible();
  await expect(page.getByRole("button", { name: "Send it again" }).first()).toBeFocused();
});
