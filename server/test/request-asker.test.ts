/**
 * Issue 25, defect 7: the request page names the person who asked, not only the organization.
 * `GET /api/v1/requests/{id}` carries `requesterName` (their name, or their address when they
 * gave none) while the requester is a member of the request's organization.
 */
import { beforeAll, describe, expect, it } from "vitest";

import { memberOf, newOrg, uniqueEmail, type Client } from "./helpers/accounts.js";
import { testDialects } from "./helpers/databases.js";
import { suiteApp } from "./helpers/suite.js";
import { json } from "./helpers/http.js";

describe.each(testDialects)("who asks for a secret, on %s", (dialect) => {
  const t = suiteApp(dialect);
  let ada: Client;
  let orgId: string;
  beforeAll(async () => {
    ({ admin: ada, orgId } = await newOrg(t, uniqueEmail("ada"), "Ada Admin"));
  });

  const ask = async (c: Client) =>
    json<{ id: string }>(
      await c.inject({
        method: "POST",
        url: "/api/v1/requests",
        payload: { expiresIn: 3600, access: "anyone", orgId },
      }),
    ).id;
  const meta = async (id: string) =>
    json<{ orgName: string; requesterName?: string }>(
      await t.app.inject({ url: `/api/v1/requests/${id}` }),
    );

  it("names the requester and the organization", async () => {
    expect(await meta(await ask(ada))).toMatchObject({
      orgName: "Ada Admin's organization",
      requesterName: "Ada Admin",
    });
  });

  it("uses the address of a requester without a name, and nobody once they left", async () => {
    const email = uniqueEmail("bob");
    const bob = await memberOf(t, orgId, email);
    const id = await ask(bob);
    expect((await meta(id)).requesterName).toBe(email);
    await t.database.db
      .deleteFrom("memberships")
      .where("org_id", "=", orgId)
      .where("user_id", "=", (eb) => eb.selectFrom("users").select("id").where("email", "=", email))
      .execute();
    const after = await meta(id);
    expect(after).not.toHaveProperty("requesterName");
    expect(after.orgName).toBe("Ada Admin's organization");
  });
});
