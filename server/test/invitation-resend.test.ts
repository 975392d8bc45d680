/**
 * Issue 25 (conveniences): an admin mails a pending invitation again. The invitation gets a new
 * link and a new week, the old link stops working, the mail limits apply (a refused resend
 * changes nothing), and only admins of the invitation's organization may do it.
 */
import { beforeAll, describe, expect, it } from "vitest";

import {
  linkIn,
  login,
  mailsTo,
  memberOf,
  newOrg,
  orgIdOf,
  signup,
  uniqueEmail,
  type Client,
} from "./helpers/accounts.js";
import { testDialects } from "./helpers/databases.js";
import { clockPerTest, suiteApp } from "./helpers/suite.js";
import { json } from "./helpers/http.js";

describe.each(testDialects)("resending an invitation on %s", (dialect) => {
  const t = suiteApp(dialect, { env: { MAIL_LIMIT_RECIPIENT: "3" }, clock: clockPerTest() });
  let admin: Client;
  let orgId: string;
  beforeAll(async () => {
    // MAIL_LIMIT_RECIPIENT 3: an invitation and two resends to one address, then 429.
    ({ admin, orgId } = await newOrg(t, uniqueEmail("admin"), "Ada"));
  });

  const invite = async (email: string) => {
    const res = await admin.inject({
      method: "POST",
      url: `/api/v1/orgs/${orgId}/invitations`,
      payload: { email },
    });
    expect(res.statusCode, res.body).toBe(201);
    return json<{ id: string }>(res).id;
  };
  const tokenOf = async (email: string) =>
    linkIn(await mailsTo(t, email), "http://hushlink.test/invitations/").split("/invitations/")[1]!;
  /** Every invitation token mailed to `email`, in no particular order (mails sent together share a time). */
  const tokensOf = async (email: string) =>
    (await mailsTo(t, email)).map(
      (m) => linkIn(m, "http://hushlink.test/invitations/").split("/invitations/")[1]!,
    );
  const resend = (c: Client, id: string, org = orgId) =>
    c.inject({ method: "POST", url: `/api/v1/orgs/${org}/invitations/${id}/resend` });
  const opens = async (token: string) =>
    (await t.app.inject({ url: `/api/v1/invitations/${token}` })).statusCode;

  it("mails a new link, ends the old one, and restarts the week", async () => {
    const email = uniqueEmail("bob");
    const id = await invite(email);
    const first = await tokenOf(email);
    t.clock.advance(3 * 24 * 3600 * 1000);
    const res = await resend(admin, id);
    expect(res.statusCode, res.body).toBe(200);
    const body = json<{ id: string; email: string; role: string; expiresAt: string }>(res);
    expect(body).toMatchObject({ id, email, role: "member" });
    expect(Date.parse(body.expiresAt)).toBe(t.clock.now() + 7 * 24 * 3600 * 1000);
    const second = await tokenOf(email);
    expect(second).not.toBe(first);
    expect(await opens(first)).toBe(404);
    expect(await opens(second)).toBe(200);
    // The pending list shows the new expiry, and never a token.
    const pending = await admin.inject({ url: `/api/v1/orgs/${orgId}/invitations` });
    expect(pending.body).toContain(body.expiresAt);
    expect(pending.body).not.toContain(second);
  });

  it("counts toward the mail limits; a refused resend keeps the old link", async () => {
    const email = uniqueEmail("carol");
    const id = await invite(email);
    expect((await resend(admin, id)).statusCode).toBe(200);
    const earlier = await tokensOf(email);
    expect((await resend(admin, id)).statusCode).toBe(200);
    // The link of the last resend: the one mail whose token was not there before it.
    const latest = (await tokensOf(email)).filter((token) => !earlier.includes(token));
    expect(latest).toHaveLength(1);
    const token = latest[0]!;
    const refused = await resend(admin, id);
    expect(refused.statusCode).toBe(429);
    expect(json(refused)).toMatchObject({ error: { code: "mail_limit" } });
    expect(await opens(token)).toBe(200);
  });

  it("answers 404 for invitations that are not pending, and refuses non-admins", async () => {
    const email = uniqueEmail("dave");
    const id = await invite(email);
    const member = await memberOf(t, orgId);
    const byMember = await resend(member, id);
    expect(byMember.statusCode).toBe(403);
    expect(json(byMember)).toMatchObject({ error: { code: "admin_required" } });
    const outsider = await signup(t);
    expect((await resend(outsider, id)).statusCode).toBe(404);
    // Another organization's admin, with this invitation's id under their own organization.
    const foreign = await resend(outsider, id, await orgIdOf(outsider));
    expect(json(foreign)).toMatchObject({ error: { code: "invitation_not_found" } });
    const signedOut = await t.app.inject({
      method: "POST",
      url: `/api/v1/orgs/${orgId}/invitations/${id}/resend`,
    });
    expect(signedOut.statusCode).toBe(401);

    expect(json(await resend(admin, "no-such-invitation"))).toMatchObject({
      error: { code: "invitation_not_found" },
    });
    // Cancelled, then resent: 404, and no mail.
    const before = (await mailsTo(t, email)).length;
    await admin.inject({ method: "DELETE", url: `/api/v1/orgs/${orgId}/invitations/${id}` });
    expect((await resend(admin, id)).statusCode).toBe(404);
    expect((await mailsTo(t, email)).length).toBe(before);
    // Expired: 404.
    const late = await invite(uniqueEmail("erin"));
    t.clock.advance(8 * 24 * 3600 * 1000);
    // The session idled out over the week: sign in again.
    admin = await login(t, admin.email);
    expect((await resend(admin, late)).statusCode).toBe(404);
  });
});
