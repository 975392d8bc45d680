/**
 * The invitations an admin sent are withdrawn, in the same transaction, when that admin is
 * removed from the organization, leaves it, or is made a member: otherwise an admin on the way
 * out could invite an address of their own (as admin, even) and come back in through it after
 * losing access. Invitations other admins sent stay, and so do the leaver's in other
 * organizations.
 */
import { describe, expect, it } from "vitest";

import {
  GOOD_PASSWORD,
  linkIn,
  mailsTo,
  memberOf,
  newOrg,
  signup,
  uniqueEmail,
  userIdOf,
  type Client,
} from "./helpers/accounts.js";
import { testDialects } from "./helpers/databases.js";
import { json } from "./helpers/http.js";
import { suiteApp } from "./helpers/suite.js";

describe.each(testDialects)("an admin's invitations when they lose the role on %s", (dialect) => {
  const t = suiteApp(dialect);

  async function invite(admin: Client, orgId: string, role: "admin" | "member" = "member") {
    const email = uniqueEmail("invitee");
    const res = await admin.inject({
      method: "POST",
      url: `/api/v1/orgs/${orgId}/invitations`,
      payload: { email, role, password: GOOD_PASSWORD },
    });
    expect(res.statusCode, res.body).toBe(201);
    const link = linkIn(await mailsTo(t, email), "http://hushlink.test/invitations/");
    return { email, token: link.split("/invitations/")[1]! };
  }

  async function accepted(invitation: { email: string; token: string }) {
    const invitee = await signup(t, invitation.email);
    return invitee.inject({
      method: "POST",
      url: `/api/v1/invitations/${invitation.token}/accept`,
    });
  }

  /** An organization with its first admin and a second admin, both signed in. */
  async function twoAdmins() {
    const { admin: owner, orgId } = await newOrg(t, uniqueEmail("owner"));
    const second = await memberOf(t, orgId, uniqueEmail("second"));
    const promoted = await owner.inject({
      method: "PUT",
      url: `/api/v1/orgs/${orgId}/members/${await userIdOf(t, second.email)}`,
      payload: { role: "admin", password: GOOD_PASSWORD },
    });
    expect(promoted.statusCode, promoted.body).toBe(204);
    return { owner, second, orgId };
  }

  const pendingEmails = async (admin: Client, orgId: string) =>
    json<{ items: { email: string }[] }>(
      await admin.inject({ url: `/api/v1/orgs/${orgId}/invitations` }),
    ).items.map((i) => i.email);

  const changes = {
    removed: async (owner: Client, second: Client, orgId: string) =>
      owner.inject({
        method: "DELETE",
        url: `/api/v1/orgs/${orgId}/members/${await userIdOf(t, second.email)}`,
      }),
    "who left": async (_owner: Client, second: Client, orgId: string) =>
      second.inject({
        method: "DELETE",
        url: `/api/v1/orgs/${orgId}/members/${await userIdOf(t, second.email)}`,
      }),
    "made a member": async (owner: Client, second: Client, orgId: string) =>
      owner.inject({
        method: "PUT",
        url: `/api/v1/orgs/${orgId}/members/${await userIdOf(t, second.email)}`,
        payload: { role: "member" },
      }),
  };

  for (const [how, change] of Object.entries(changes)) {
    it(`withdraws the invitations of an admin ${how}, and keeps the other admins'`, async () => {
      const { owner, second, orgId } = await twoAdmins();
      const asAdmin = await invite(second, orgId, "admin");
      const asMember = await invite(second, orgId);
      const owners = await invite(owner, orgId);

      const res = await change(owner, second, orgId);
      expect(res.statusCode, res.body).toBe(204);

      expect(await pendingEmails(owner, orgId)).toEqual([owners.email]);
      for (const invitation of [asAdmin, asMember]) {
        const refused = await accepted(invitation);
        expect(refused.statusCode, refused.body).toBe(404);
        expect(json(refused)).toMatchObject({ error: { code: "invitation_not_found" } });
      }
      expect((await accepted(owners)).statusCode).toBe(200);
    });
  }

  it("keeps the invitations a leaver sent in another organization", async () => {
    const { owner, second, orgId } = await twoAdmins();
    // Their sign-up made them an organization of their own, where they stay admin.
    const me = json<{ orgs: { id: string; role: string }[] }>(
      await second.inject({ url: "/api/v1/auth/me" }),
    );
    const theirOrg = me.orgs.find((o) => o.id !== orgId)!.id;
    const there = await invite(second, theirOrg);
    const left = await changes.removed(owner, second, orgId);
    expect(left.statusCode).toBe(204);
    expect((await accepted(there)).statusCode).toBe(200);
  });
});
