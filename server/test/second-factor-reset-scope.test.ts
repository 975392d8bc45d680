/**
 * An admin's reset of a member's second factor reaches only accounts the admin answers for
 * (docs/SPEC.md, "Second factor: required by the organization"). The factors are the account's,
 * not the organization's: they guard every organization it belongs to, so the admin of one
 * organization must not strip them from a person who is also in another one they do not
 * administer (with that person's password, which a phishing page or a reused one gives, the
 * admin would then sign in as them, and act as admin of the other organization).
 */
import { describe, expect, it } from "vitest";

import {
  addMembership,
  newOrg,
  orgIdOf,
  signup,
  uniqueEmail,
  userIdOf,
  type Client,
} from "./helpers/accounts.js";
import { testDialects } from "./helpers/databases.js";
import { json } from "./helpers/http.js";
import { enrolTotp } from "./helpers/second-factor.js";
import { liveSuite } from "./helpers/suite.js";

describe.each(testDialects)("an admin's second-factor reset on %s", (dialect) => {
  const { t } = liveSuite(dialect);

  const reset = (admin: Client, orgId: string, userId: string) =>
    admin.inject({
      method: "DELETE",
      url: `/api/v1/orgs/${orgId}/members/${userId}/second-factor`,
    });

  const factorsOf = async (client: Client) =>
    json<{ totp: { enabled: boolean }; recoveryCodes: { remaining: number } }>(
      await client.inject({ url: "/api/v1/auth/second-factor" }),
    );

  /** The reset is refused with `code`, and nothing changed: the factors, the audit log. */
  async function expectResetRefused(
    admin: Client,
    orgId: string,
    member: Client,
    code: string,
  ): Promise<void> {
    const refused = await reset(admin, orgId, await userIdOf(t, member.email));
    expect(refused.statusCode, refused.body).toBe(403);
    expect(json(refused)).toMatchObject({ error: { code } });
    expect(await factorsOf(member)).toMatchObject({
      totp: { enabled: true },
      recoveryCodes: { remaining: 10 },
    });
    const audit = await admin.inject({ url: `/api/v1/orgs/${orgId}/audit` });
    expect(audit.body).not.toContain("member.second_factor_reset");
  }

  it("is refused for a member who also belongs to an organization the admin does not administer", async () => {
    // The victim runs an organization with a colleague and guards it with an authenticator app.
    const { admin: victim, orgId: victimOrg } = await newOrg(t, uniqueEmail("victim"));
    await addMembership(t, victimOrg, (await signup(t, uniqueEmail("victims-colleague"))).email);
    await enrolTotp(t, victim);
    // Another organization's admin has them join as a member there.
    const { admin: other, orgId: otherOrg } = await newOrg(t, uniqueEmail("other-admin"));
    await addMembership(t, otherOrg, victim.email);

    // Nothing was reset, so nothing is in the other organization's audit log either.
    await expectResetRefused(other, otherOrg, victim, "member_in_other_organization");

    // The victim's own organization has another member now: the same holds the other way.
    const lostPhone = await signup(t, uniqueEmail("lostphone"));
    await enrolTotp(t, lostPhone);
    const lostPhoneId = await userIdOf(t, lostPhone.email);
    const ownOrg = await orgIdOf(lostPhone);
    await addMembership(t, victimOrg, lostPhone.email);
    const colleague = await signup(t, uniqueEmail("colleague"));
    await addMembership(t, ownOrg, colleague.email);
    expect(json(await reset(victim, victimOrg, lostPhoneId))).toMatchObject({
      error: { code: "member_in_other_organization" },
    });
    expect(await factorsOf(lostPhone)).toMatchObject({ totp: { enabled: true } });
    // An organization of the member alone (the one their sign-up made) guards nobody else: a
    // lost phone is reset as before.
    await t.database.db
      .deleteFrom("memberships")
      .where("org_id", "=", ownOrg)
      .where("user_id", "=", await userIdOf(t, colleague.email))
      .execute();
    const done = await reset(victim, victimOrg, lostPhoneId);
    expect(done.statusCode, done.body).toBe(204);
    expect(await factorsOf(lostPhone)).toMatchObject({ totp: { enabled: false } });
  });

  it("lets an admin of both organizations reset a member of both", async () => {
    const { admin, orgId: first } = await newOrg(t, uniqueEmail("both-admin"));
    const { orgId: secondOrg } = await newOrg(t, uniqueEmail("second-org"));
    await addMembership(t, secondOrg, admin.email, "admin");
    const member = await signup(t, uniqueEmail("in-both"));
    await enrolTotp(t, member);
    const memberId = await userIdOf(t, member.email);
    await t.database.db.deleteFrom("memberships").where("user_id", "=", memberId).execute();
    await addMembership(t, first, member.email);
    await addMembership(t, secondOrg, member.email);

    const done = await reset(admin, first, memberId);
    expect(done.statusCode, done.body).toBe(204);
    expect(await factorsOf(member)).toMatchObject({ totp: { enabled: false } });
  });

  it("is refused for the admin's own account, whose factors change only with the password", async () => {
    // Turning one's own authenticator app off asks for the password again (DELETE
    // /api/v1/auth/totp): a borrowed or stolen session must not skip that through the members
    // route, where the caller is an admin of every organization they belong to.
    const { admin, orgId } = await newOrg(t, uniqueEmail("self-reset"));
    await enrolTotp(t, admin);

    await expectResetRefused(admin, orgId, admin, "own_second_factor");
  });
});
