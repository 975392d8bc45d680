/**
 * Signing up through an invitation (issue 25, item 6; extends SPEC §4 sign-up): the account joins
 * the inviting organization only, as the invited role, and counts as confirmed, since the
 * invitation reached the address. Real HTTP, real SMTP.
 */
import { describe, expect, it } from "vitest";

import { GOOD_PASSWORD, linkIn, uniqueEmail } from "./helpers/accounts.js";
import { testDialects } from "./helpers/databases.js";
import { errorCodeOf, LiveClient, signupLive } from "./helpers/live.js";
import { liveSuite } from "./helpers/suite.js";

type MeBody = {
  user: { email: string; emailVerified: boolean };
  orgs: { id: string; name: string; role: string }[];
};

describe.each(testDialects)("invited sign-up on %s", (dialect) => {
  const live = liveSuite(dialect);
  const { t, smtp } = live;

  async function invite(role: "member" | "admin" = "member") {
    const admin = await signupLive(live.base, uniqueEmail("host"), { name: "Hana Host" });
    const me = await admin.get<MeBody>("/api/v1/auth/me");
    const org = me.body.orgs[0]!;
    const email = uniqueEmail("guest");
    expect((await admin.post(`/api/v1/orgs/${org.id}/invitations`, { email, role })).status).toBe(
      201,
    );
    await t.services.mail.runOnce();
    const mail = smtp.messages.find((m) => m.envelopeTo.includes(email));
    const token = linkIn(mail?.parsed.text ?? "", "http://hushlink.test/invitations/").split(
      "/invitations/",
    )[1]!;
    return { admin, org, email, token };
  }

  const signupWith = (body: Record<string, unknown>) =>
    new LiveClient(live.base, String(body.email)).post<MeBody>("/api/v1/auth/signup", body);

  it("joins the inviting organization only, confirmed, with no verification mail", async () => {
    const { org, email, token, admin } = await invite("admin");
    const client = new LiveClient(live.base, email);
    const answer = await client.post<MeBody>("/api/v1/auth/signup", {
      email,
      password: GOOD_PASSWORD,
      invitation: token,
    });
    expect(answer.status).toBe(201);
    expect(answer.body.user).toMatchObject({ email, emailVerified: true });
    expect(answer.body.orgs).toEqual([{ id: org.id, name: org.name, role: "admin" }]);

    // Confirmed: it may create tokens at once; and no "confirm your address" mail was sent.
    expect((await client.post("/api/v1/tokens", { name: "ci" })).status).toBe(201);
    await t.services.mail.runOnce();
    const toGuest = smtp.messages.filter((m) => m.envelopeTo.includes(email));
    expect(toGuest.map((m) => m.parsed.subject)).not.toContainEqual(
      expect.stringMatching(/confirm/i),
    );
    // The invitation is used up, and the admin sees the new member.
    expect((await admin.get(`/api/v1/orgs/${org.id}/invitations`)).body).toEqual({ items: [] });
    const members = await admin.get<{ items: { email: string; role: string }[] }>(
      `/api/v1/orgs/${org.id}/members`,
    );
    expect(members.body.items).toContainEqual(expect.objectContaining({ email, role: "admin" }));
    const again = await signupWith({
      email: uniqueEmail("late"),
      password: GOOD_PASSWORD,
      invitation: token,
    });
    expect(again.status).toBe(404);
  });

  it("another address, or an unknown token: refused, and no account is made", async () => {
    const { email, token } = await invite();
    const other = uniqueEmail("other");
    const mismatch = await signupWith({ email: other, password: GOOD_PASSWORD, invitation: token });
    expect(mismatch.status).toBe(403);
    expect(errorCodeOf(mismatch)).toBe("invitation_email_mismatch");
    const unknown = await signupWith({
      email: uniqueEmail("stray"),
      password: GOOD_PASSWORD,
      invitation: "x".repeat(43),
    });
    expect(unknown.status).toBe(404);
    expect(errorCodeOf(unknown)).toBe("invitation_not_found");
    const users = await t.database.db
      .selectFrom("users")
      .select("email")
      .where("email", "=", other)
      .execute();
    expect(users).toEqual([]);
    // The invitation still works for its own address.
    expect((await signupWith({ email, password: GOOD_PASSWORD, invitation: token })).status).toBe(
      201,
    );
  });

  it("tells whether an address has an account only to the holder of its invitation", async () => {
    const existing = await signupLive(live.base, uniqueEmail("member-already"));
    // A made-up invitation for an address with an account: the invitation is judged first.
    const stray = await signupWith({
      email: existing.email,
      password: GOOD_PASSWORD,
      invitation: "y".repeat(43),
    });
    expect(stray.status).toBe(404);
    expect(errorCodeOf(stray)).toBe("invitation_not_found");

    // A real invitation to an address that has an account: sign in to accept it; it stays pending.
    const { admin, org, token } = await invite();
    await t.database.db
      .updateTable("invitations")
      .set({ email: existing.email })
      .where("org_id", "=", org.id)
      .execute();
    const taken = await signupWith({
      email: existing.email,
      password: GOOD_PASSWORD,
      invitation: token,
    });
    expect(taken.status).toBe(409);
    expect(errorCodeOf(taken)).toBe("email_taken");
    const pending = await admin.get<{ items: { email: string }[] }>(
      `/api/v1/orgs/${org.id}/invitations`,
    );
    expect(pending.body.items.map((i) => i.email)).toEqual([existing.email]);
    expect((await existing.post(`/api/v1/invitations/${token}/accept`)).status).toBe(200);
  });
});
