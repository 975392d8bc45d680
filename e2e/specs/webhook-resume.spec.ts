/**
 * An endpoint the server paused because its owner is no longer an admin (pausedReason
 * creator_not_admin; docs/SPEC.md, "Webhooks") says so in the Webhooks tab, and another admin
 * resumes it from a session signed in a while ago the way every other change that needs a recent
 * proof is made: the refused Enable asks for the password in place of the endpoint's actions,
 * then enables it, and that admin owns it from then on. The session is aged in the database (16
 * minutes back, past the 15 a sign-in counts for). Axe and screenshots at 1280 and 390 px.
 */
import type { Webhook } from "@hushlink/protocol";

import { addMember, callApi, orgIdOf, signUp } from "../fixtures/accounts.js";
import { CONFIRM_CHANGE_FIELD, agePastRecentProof } from "../fixtures/recent-proof.js";
import { expect, test } from "../fixtures/test.js";
import { checkBothWidths } from "../fixtures/widths.js";

test("an old admin session resumes an endpoint whose creator is no longer an admin after giving the password", async ({
  page,
  newVisitor,
  server,
}) => {
  test.setTimeout(180_000);
  const admin = await signUp(page.context(), { label: "resumer", name: "Dana Scully" });
  const orgId = orgIdOf(admin);
  const creatorContext = await newVisitor();
  const creator = await addMember(page.context(), orgId, creatorContext, server);
  const member = `/api/v1/orgs/${orgId}/members/${creator.me.user.id}`;
  expect((await callApi(page.context(), "PUT", member, { role: "admin" })).status).toBe(204);
  const url = `http://127.0.0.1:9/resume-${Date.now().toString(36)}`;
  const added = await callApi<Webhook>(creatorContext, "POST", `/api/v1/orgs/${orgId}/webhooks`, {
    url,
    events: ["share.created"],
  });
  expect(added.status, JSON.stringify(added.body)).toBe(201);
  // The creator made a member again: the server pauses what they own.
  expect((await callApi(page.context(), "PUT", member, { role: "member" })).status).toBe(204);
  agePastRecentProof(server, admin.email);
  const endpoint = async () =>
    (
      await callApi<{ webhooks: Webhook[] }>(
        page.context(),
        "GET",
        `/api/v1/orgs/${orgId}/webhooks`,
      )
    ).body.webhooks.find((w) => w.id === added.body.id);
  expect(await endpoint()).toMatchObject({ enabled: false, pausedReason: "creator_not_admin" });

  await page.goto("/app/webhooks");
  const row = page.locator(`[data-webhook-id="${added.body.id}"]`);
  await expect(row.getByText("Paused", { exact: true })).toBeVisible();
  await expect(row.getByText("Its creator is no longer an admin")).toBeVisible();
  await row.getByRole("button", { name: "Details" }).click();
  // Beside Enable: why it is paused, and what enabling it does.
  const enable = page.getByRole("button", { name: "Enable" });
  await expect(enable).toHaveAccessibleDescription(
    /^Paused because its creator is no longer an admin\. Once you enable it, you count as its creator/,
  );
  await enable.click();

  // Refused without a recent proof: the password, in place of the actions, nothing changed.
  const field = page.getByLabel(CONFIRM_CHANGE_FIELD);
  await expect(field).toBeFocused();
  await expect(page.getByText(/You signed in a while ago, so confirm it is you/)).toBeVisible();
  await expect(page.getByRole("alert")).toHaveCount(0);
  await checkBothWidths(page, "webhook-resume-proof");
  expect(await endpoint()).toMatchObject({ enabled: false, pausedReason: "creator_not_admin" });

  // Cancel hands the actions back, the focus on Enable.
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(enable).toBeFocused();
  await enable.click();
  await field.fill("not the password");
  await field.press("Enter");
  await expect(page.getByText("The password is wrong.")).toBeVisible();
  expect(await endpoint()).toMatchObject({ enabled: false, pausedReason: "creator_not_admin" });
  await field.fill(admin.password);
  await field.press("Enter");
  await expect(
    page.getByRole("status").filter({ hasText: `${url} is enabled again.` }),
  ).toBeVisible();
  await expect(field).toHaveCount(0);
  await expect(row.getByText("Enabled", { exact: true })).toBeVisible();
  await expect(row.getByText(/creator is no longer an admin/)).toHaveCount(0);
  // The focus stays on the button that was pressed, now Pause.
  await expect(page.getByRole("button", { name: "Pause" })).toBeFocused();
  const resumed = await endpoint();
  expect(resumed?.enabled).toBe(true);
  expect(resumed?.pausedReason).toBeUndefined();
});
