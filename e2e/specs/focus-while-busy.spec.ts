/**
 * A control pressed from the keyboard keeps the focus while its action runs and after it fails
 * (session 24): a control made `disabled` while busy dropped it to <body>, so the next Tab started
 * over at the top of the page and Enter could not try again. Each family here is pressed against
 * a connection that is refused after a moment: a modal dialog's confirm button (Cancel
 * invitation), a webhook's Send test and Pause, a member's Change role (the focus goes back to
 * the role list, as the question goes away), Set up an authenticator app, Create token, and a
 * form sent with Enter from one of its fields (readOnly while busy since session 26: the focus
 * stays in that field; fields-while-busy.spec.ts goes through each form).
 */
import type { Page, Route } from "@playwright/test";

import { addMember, callApi, orgIdOf, signUp, uniqueEmail } from "../fixtures/accounts.js";
import { UNREACHABLE } from "../fixtures/busy.js";
import { expect, test } from "../fixtures/test.js";

/** `method` requests to `url` are refused after 300 ms (long enough for a render while busy). */
async function refuse(page: Page, url: string, method: string): Promise<void> {
  await page.route(url, async (route: Route) => {
    if (route.request().method() !== method) return route.fallback();
    await new Promise((resolve) => setTimeout(resolve, 300));
    return route.abort("connectionrefused");
  });
}

test("a dialog's confirm button keeps the focus when its action fails (Cancel invitation)", async ({
  page,
}) => {
  const admin = await signUp(page.context(), { label: "dialog-focus", name: "Dana Scully" });
  const invitee = uniqueEmail("cancelled");
  const invited = await callApi(
    page.context(),
    "POST",
    `/api/v1/orgs/${orgIdOf(admin)}/invitations`,
    {
      email: invitee,
      role: "member",
    },
  );
  expect(invited.status).toBe(201);
  await refuse(page, `**/api/v1/orgs/${orgIdOf(admin)}/invitations/*`, "DELETE");

  await page.goto("/app/members");
  await page.getByRole("button", { name: `Cancel the invitation to ${invitee}` }).click();
  const dialog = page.getByRole("dialog", { name: "Cancel this invitation?" });
  const confirm = dialog.getByRole("button", { name: "Cancel invitation" });
  await confirm.focus();
  await page.keyboard.press("Enter");
  await expect(dialog.getByRole("alert")).toHaveText(UNREACHABLE);
  await expect(confirm).toBeFocused();

  await page.unrouteAll();
  await page.keyboard.press("Enter");
  await expect(dialog).toBeHidden();
  await expect(page.getByText("No invitations are waiting for an answer.")).toBeVisible();
});

test("a webhook's Send test and Pause keep the focus when they fail", async ({ page }) => {
  const admin = await signUp(page.context(), { label: "hook-busy", name: "Walter Skinner" });
  const url = "http://127.0.0.1:9/hushlink";
  const hooks = `/api/v1/orgs/${orgIdOf(admin)}/webhooks`;
  const added = await callApi(page.context(), "POST", hooks, { url, events: ["share.created"] });
  expect(added.status).toBe(201);
  await refuse(page, `**${hooks}/*/test`, "POST");
  await refuse(page, `**${hooks}/*`, "PATCH");

  await page.goto("/app/webhooks");
  const sendTest = page.getByRole("button", { name: `Send test to ${url}` });
  await sendTest.focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("alert").filter({ hasText: UNREACHABLE })).toBeVisible();
  await expect(sendTest).toBeFocused();

  await page.getByRole("button", { name: `Details of ${url}` }).click();
  const pause = page.getByRole("button", { name: "Pause" });
  await pause.focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("alert").filter({ hasText: UNREACHABLE }).first()).toBeVisible();
  await expect(pause).toBeFocused();
});

test("Change role gives the focus back to the role list, which keeps it while saving", async ({
  page,
  newVisitor,
  server,
}) => {
  const admin = await signUp(page.context(), { label: "role-focus", name: "Monica Reyes" });
  const member = await addMember(page.context(), orgIdOf(admin), await newVisitor(), server);
  await refuse(page, `**/api/v1/orgs/${orgIdOf(admin)}/members/*`, "PUT");

  await page.goto("/app/members");
  const role = page.getByRole("combobox", { name: "Role of Fox Mulder" });
  await role.focus();
  await page.keyboard.press("ArrowDown");
  await expect(role).toHaveValue("admin");
  const question = page.getByRole("group", { name: "Change the role of Fox Mulder" });
  await question.getByRole("button", { name: "Change role" }).focus();
  await page.keyboard.press("Enter");
  await expect(role).toBeFocused();
  await expect(page.getByRole("alert").filter({ hasText: UNREACHABLE })).toBeVisible();
  await expect(role).toBeFocused();
  await expect(role).toHaveValue("member");

  // Keep member takes the question away too: the focus goes back to the list.
  await page.unrouteAll();
  await page.keyboard.press("ArrowDown");
  await question.getByRole("button", { name: "Keep member" }).focus();
  await page.keyboard.press("Enter");
  await expect(role).toBeFocused();
  expect(member.email).toContain("@");
});

test("Set up an authenticator app keeps the focus when the server cannot be reached", async ({
  page,
}) => {
  await signUp(page.context(), { label: "totp-busy", name: "John Doggett" });
  await refuse(page, "**/api/v1/auth/second-factor/totp", "POST");
  await page.goto("/app/account");
  const section = page.getByRole("region", { name: "Two-step sign-in" });
  const setUp = section.getByRole("button", { name: "Set up an authenticator app" });
  await setUp.focus();
  await page.keyboard.press("Enter");
  await expect(section.getByText(UNREACHABLE)).toBeVisible();
  await expect(setUp).toBeFocused();
});

test("Create token keeps the focus when the server cannot be reached", async ({ page }) => {
  await signUp(page.context(), { label: "token-busy", name: "Alex Krycek" });
  await refuse(page, "**/api/v1/tokens", "POST");
  await page.goto("/app/tokens");
  await page.getByLabel("Token name", { exact: true }).fill("deploy bot");
  const create = page.getByRole("button", { name: "Create token" });
  await create.focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("alert").filter({ hasText: UNREACHABLE })).toBeVisible();
  await expect(create).toBeFocused();
});

test("Enter in a field sends the form and leaves the focus in that field", async ({ page }) => {
  await signUp(page.context(), { label: "request-enter", name: "Jeffrey Spender" });
  // Held until the busy form was looked at, then refused.
  let refuseNow = (): void => undefined;
  const looked = new Promise<void>((resolve) => (refuseNow = resolve));
  await page.route("**/api/v1/requests", async (route: Route) => {
    if (route.request().method() !== "POST") return route.fallback();
    await looked;
    return route.abort("connectionrefused");
  });
  await page.goto("/app/requests");
  const name = page.getByLabel(/^What do you need\?/);
  await name.fill("VPN key");
  await name.press("Enter");
  // readOnly while busy, not disabled: the field keeps the focus and what was typed.
  await expect(page.getByRole("button", { name: "Creating…" })).toBeVisible();
  await expect(name).toHaveJSProperty("readOnly", true);
  await expect(name).toBeFocused();
  refuseNow();
  await expect(page.getByRole("alert")).toHaveText(UNREACHABLE);
  await expect(name).toBeFocused();
  await expect(name).toHaveValue("VPN key");

  await page.unrouteAll();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { name: "Request link for “VPN key”" })).toBeFocused();
});
