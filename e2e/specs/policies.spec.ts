/**
 * Sharing policies in the pages (SPEC F16, issue 21): with ANONYMOUS_SHARING=off the home page
 * asks visitors to sign in instead of offering a form the server would refuse, while a link
 * still opens for them; a signed-in member sees the form the policy allows.
 */
import { seal, shareLink } from "@hushlink/protocol/client";

import { callApi, signUp } from "../fixtures/accounts.js";
import { startExtraServer, type ExtraServer } from "../fixtures/server-process.js";
import { expect, test } from "../fixtures/test.js";
import { checkBothWidths } from "../fixtures/widths.js";

let closed: ExtraServer;
test.beforeAll(async () => {
  closed = await startExtraServer({ ANONYMOUS_SHARING: "off" });
});
test.afterAll(async () => {
  await closed.stop();
});

test("ANONYMOUS_SHARING=off: visitors are asked to sign in; links still open for them", async ({
  page,
  newVisitor,
}) => {
  await page.goto(`${closed.url}/`);
  await expect(page.getByRole("heading", { name: "Sign in to share a secret" })).toBeVisible();
  await expect(page.getByLabel("Secret", { exact: true })).toHaveCount(0);
  await checkBothWidths(page, "anonymous-sharing-off");
  await page.getByRole("link", { name: "Sign in" }).first().click();
  await expect(page).toHaveURL(/\/login/);

  // A member's share opens for a visitor without an account.
  const sealed = await seal("visible to the link holder");
  const member = await newVisitor({ baseURL: closed.url });
  const created = await callApi(member, "POST", "/api/v1/shares", {
    ...sealed.body,
    expiresIn: 3600,
  });
  // Only signed-in members may create: the visitor's context is not signed in yet.
  expect(created.status).toBe(401);
  await signUp(member, { verified: false });
  const accepted = await callApi(member, "POST", "/api/v1/shares", {
    ...sealed.body,
    expiresIn: 3600,
  });
  expect(accepted.status).toBe(201);
  const visitor = await newVisitor();
  const view = await visitor.newPage();
  await view.goto(shareLink(closed.url, sealed.linkSecret));
  await view.getByRole("button", { name: /Reveal/ }).click();
  await view.getByRole("button", { name: /Show the secret/ }).click();
  await expect(view.getByText("visible to the link holder")).toBeVisible();
});
