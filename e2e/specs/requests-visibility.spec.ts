/**
 * A request's id answers it, so the Requests tab shows a plain member only their own requests,
 * without the "Created by" filter; an admin sees every member's, and can filter to their own.
 */
import { addMember, callApi, orgIdOf, signUp } from "../fixtures/accounts.js";
import { expectAxeClean } from "../fixtures/checks.js";
import { openInOrg } from "../fixtures/org-member.js";
import { expect, test } from "../fixtures/test.js";

test("the Requests tab: a member sees their own requests, an admin everyone's", async ({
  page,
  server,
  newVisitor,
}) => {
  const admin = await signUp(page.context(), { label: "requests-admin", name: "Dana Scully" });
  const orgId = orgIdOf(admin);
  const memberContext = await newVisitor();
  await addMember(page.context(), orgId, memberContext, server);
  const create = async (context: typeof memberContext, name: string) => {
    const created = await callApi<{ id: string }>(context, "POST", "/api/v1/requests", {
      name,
      expiresIn: 86400,
      access: "anyone",
      orgId,
    });
    expect(created.status).toBe(201);
    return created.body.id;
  };
  const admins = await create(page.context(), "Admin's VPN key");
  const members = await create(memberContext, "Member's API key");

  const memberPage = await openInOrg(memberContext, orgId, "/app/requests");
  await expect(memberPage.getByRole("heading", { name: /^Your requests in / })).toBeVisible();
  const memberTable = memberPage.getByTestId("requests-table");
  await expect(memberTable.locator(`tr[data-request-id="${members}"]`)).toBeVisible();
  await expect(memberTable.locator(`tr[data-request-id="${admins}"]`)).toHaveCount(0);
  await expect(memberPage.getByText("Admin's VPN key")).toHaveCount(0);
  await expect(memberPage.getByLabel("Created by")).toHaveCount(0);
  await expect(memberPage.getByLabel("Status")).toBeVisible();
  await expectAxeClean(memberPage, "/app/requests (a member)");

  await page.goto("/app/requests");
  await expect(page.getByRole("heading", { name: /^Requests in / })).toBeVisible();
  const adminTable = page.getByTestId("requests-table");
  await expect(adminTable.locator(`tr[data-request-id="${members}"]`)).toBeVisible();
  await expect(adminTable.locator(`tr[data-request-id="${admins}"]`)).toBeVisible();
  await page.getByLabel("Created by").selectOption("me");
  await expect(adminTable.locator(`tr[data-request-id="${members}"]`)).toHaveCount(0);
  await expect(adminTable.locator(`tr[data-request-id="${admins}"]`)).toBeVisible();
});
