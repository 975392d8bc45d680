/**
 * Pre-verification account takeover (issue 15, item 1). An attacker signs up with someone else's
 * address and never proves it; whatever they hold must not survive the real owner proving the
 * address (verification link or password reset from the inbox), and an unproven account cannot
 * build anything that reaches other people. Over real HTTP with a real SMTP server.
 */
import { describe, expect, it } from "vitest";

import { addMembership, GOOD_PASSWORD, linkIn, uniqueEmail, userIdOf } from "./helpers/accounts.js";
import { buildShare } from "./helpers/builders.js";
import { testDialects } from "./helpers/databases.js";
import { errorCodeOf, LiveClient, loginLive, orgIdOfLive, signupLive } from "./helpers/live.js";
import { liveSuite } from "./helpers/suite.js";
import { hashToken, newId } from "../src/lib/tokens.js";

const ATTACKER_PASSWORD = "hollow-cactus-ribbon-19";
const OWNER_PASSWORD = "amber-harbour-violin-73";

describe.each(testDialects)("pre-verification takeover on %s", (dialect) => {
  const live = liveSuite(dialect);
  const { t, smtp } = live;

  /** The text of the newest mail to `email` whose subject matches. */
  async function mailTo(email: string, subject: RegExp): Promise<string> {
    await t.services.mail.runOnce();
    const found = smtp.messages.filter(
      (m) => m.envelopeTo.includes(email) && subject.test(m.parsed.subject ?? ""),
    );
    const last = found[found.length - 1];
    if (!last) throw new Error(`no mail to ${email} about ${subject}`);
    return last.parsed.text ?? "";
  }

  const bearer = (token: string) =>
    new LiveClient(live.base).get("/api/v1/auth/me", {
      headers: { authorization: `Bearer ${token}` },
    });

  /**
   * A token as an unproven account could create before this fix; the tests plant one so that the
   * wipe is proven for data that already exists on upgraded servers.
   */
  async function plantToken(email: string) {
    const userId = await userIdOf(t, email);
    const token = `hl_planted${newId()}`;
    await t.database.db
      .insertInto("api_tokens")
      .values({
        id: newId(),
        user_id: userId,
        name: "planted",
        token_hash: hashToken(token),
        created_at: t.clock.now(),
        last_used_at: null,
      })
      .execute();
    return token;
  }

  it("the whole attack: sign-up with the victim's address, token, invitation, reset, accept", async () => {
    const victim = uniqueEmail("victim");
    const attacker = await signupLive(live.base, victim, {
      password: ATTACKER_PASSWORD,
      verified: false,
    });

    // The attacker cannot make a token while the address is unproven.
    const created = await attacker.post("/api/v1/tokens", { name: "backdoor" });
    expect(created.status).toBe(403);
    expect(errorCodeOf(created)).toBe("email_not_verified");
    const legacy = await plantToken(victim);
    expect((await bearer(legacy)).status).toBe(200);

    // An admin of a real organization invites the victim's address.
    const admin = await signupLive(live.base, uniqueEmail("acme-admin"));
    const orgId = await orgIdOfLive(admin);
    const invited = await admin.post(`/api/v1/orgs/${orgId}/invitations`, {
      email: victim,
      role: "member",
    });
    expect(invited.status).toBe(201);
    const invitationUrl = linkIn(
      await mailTo(victim, /join|invit/i),
      "http://hushlink.test/invitations/",
    );
    const invitationToken = invitationUrl.split("/").pop()!;

    // Had the attacker learnt the invitation link, their unproven account still could not join.
    const sneak = await attacker.post(`/api/v1/invitations/${invitationToken}/accept`);
    expect(sneak.status).toBe(403);
    expect(errorCodeOf(sneak)).toBe("email_not_verified");

    // The victim resets the password from their inbox and accepts.
    expect(
      (await new LiveClient(live.base).post("/api/v1/auth/password-reset", { email: victim }))
        .status,
    ).toBe(204);
    const resetUrl = linkIn(await mailTo(victim, /reset/i), "http://hushlink.test/reset-password#");
    const confirm = await new LiveClient(live.base).post("/api/v1/auth/password-reset/confirm", {
      token: resetUrl.split("#")[1],
      password: OWNER_PASSWORD,
    });
    expect(confirm.status).toBe(204);
    const owner = await loginLive(live.base, victim, OWNER_PASSWORD);
    expect(
      (await owner.get<{ user: { emailVerified: boolean } }>("/api/v1/auth/me")).body.user,
    ).toMatchObject({ emailVerified: true });
    expect((await owner.post(`/api/v1/invitations/${invitationToken}/accept`)).status).toBe(200);

    // Nothing of the attacker's works any more: not the token, not the session, not the password.
    const members = await new LiveClient(live.base).get(`/api/v1/orgs/${orgId}/members`, {
      headers: { authorization: `Bearer ${legacy}` },
    });
    expect(members.status).toBe(401);
    expect(errorCodeOf(members)).toBe("invalid_token");
    expect((await attacker.get("/api/v1/auth/me")).status).toBe(401);
    expect(
      (
        await new LiveClient(live.base).post("/api/v1/auth/login", {
          email: victim,
          password: ATTACKER_PASSWORD,
        })
      ).status,
    ).toBe(401);

    // A request the owner creates later is not the attacker's to read either.
    const request = await owner.post<{ id: string }>("/api/v1/requests", {
      expiresIn: 3600,
      access: "anyone",
      orgId,
    });
    expect(request.status).toBe(201);
    const list = await new LiveClient(live.base).get("/api/v1/requests", {
      headers: { authorization: `Bearer ${legacy}` },
    });
    expect(list.status).toBe(401);
  });

  it("the owner following the verification link wipes the unproven holder's sessions, tokens and memberships", async () => {
    const victim = uniqueEmail("clicker");
    const attacker = await signupLive(live.base, victim, {
      password: ATTACKER_PASSWORD,
      verified: false,
    });
    const legacy = await plantToken(victim);
    // A membership an unproven account could get before this fix, in someone else's organization.
    const admin = await signupLive(live.base, uniqueEmail("other-admin"));
    const orgId = await orgIdOfLive(admin);
    await addMembership(t, orgId, victim);
    const ownOrg = (
      await attacker.get<{ orgs: { id: string }[] }>("/api/v1/auth/me")
    ).body.orgs.map((o) => o.id);
    expect(ownOrg).toContain(orgId);

    // The owner clicks the link in the mail, signed out, in another browser: with a new password.
    const verifyUrl = linkIn(
      await mailTo(victim, /confirm/i),
      "http://hushlink.test/verify-email#",
    );
    const token = new URL(verifyUrl).hash.slice(1);
    const verified = await new LiveClient(live.base).post("/api/v1/auth/verify-email", {
      token,
      password: OWNER_PASSWORD,
    });
    expect(verified.status).toBe(204);

    expect((await attacker.get("/api/v1/auth/me")).status).toBe(401);
    expect((await bearer(legacy)).status).toBe(401);
    const memberships = await t.database.db
      .selectFrom("memberships")
      .select("org_id")
      .where("user_id", "=", await userIdOf(t, victim))
      .execute();
    expect(memberships.map((m) => m.org_id)).not.toContain(orgId);
    expect(memberships).toHaveLength(1); // the account's own organization stays
  });

  it("the owner opening the verification link in another browser must choose a new password: the attacker's stops working", async () => {
    const victim = uniqueEmail("inbox-owner");
    const attacker = await signupLive(live.base, victim, {
      password: ATTACKER_PASSWORD,
      verified: false,
    });
    const verifyUrl = linkIn(
      await mailTo(victim, /confirm/i),
      "http://hushlink.test/verify-email#",
    );
    const token = new URL(verifyUrl).hash.slice(1);
    const verifiedAt = async () =>
      (
        await t.database.db
          .selectFrom("users")
          .select("email_verified_at")
          .where("email", "=", victim)
          .executeTakeFirstOrThrow()
      ).email_verified_at;

    // The owner's browser has neither the sign-up cookie nor a session of the account: the link
    // alone confirms nothing, and is not spent.
    const owner = new LiveClient(live.base, victim);
    const bare = await owner.post("/api/v1/auth/verify-email", { token });
    expect(bare.status).toBe(403);
    expect(errorCodeOf(bare)).toBe("new_password_required");
    expect(await verifiedAt()).toBeNull();
    const weak = await owner.post("/api/v1/auth/verify-email", { token, password: "password123" });
    expect(weak.status).toBe(400);
    expect(errorCodeOf(weak)).toBe("weak_password");
    expect(await verifiedAt()).toBeNull();

    // With a new password: confirmed, signed in here, and the typed-in password is dead.
    const done = await owner.post("/api/v1/auth/verify-email", { token, password: OWNER_PASSWORD });
    expect(done.status).toBe(204);
    const me = await owner.get<{ user: { emailVerified: boolean } }>("/api/v1/auth/me");
    expect(me.status).toBe(200);
    expect(me.body.user.emailVerified).toBe(true);
    expect((await attacker.get("/api/v1/auth/me")).status).toBe(401);
    const replay = await attacker.post("/api/v1/auth/verify-email", { token });
    expect(replay.status).toBe(400);
    const attackerLogin = await new LiveClient(live.base).post("/api/v1/auth/login", {
      email: victim,
      password: ATTACKER_PASSWORD,
    });
    expect(attackerLogin.status).toBe(401);
    expect((await loginLive(live.base, victim, OWNER_PASSWORD)).cookies.has("hl_session")).toBe(
      true,
    );
  });

  it("a session of the account in the browser that opens the link counts as the sign-up's", async () => {
    // Signed in with the password here and holding the inbox: the same person, nothing to reset.
    const email = uniqueEmail("two-browsers");
    await signupLive(live.base, email, { verified: false });
    const elsewhere = await loginLive(live.base, email);
    expect(elsewhere.cookies.has("hl_signup")).toBe(false);
    const verifyUrl = linkIn(await mailTo(email, /confirm/i), "http://hushlink.test/verify-email#");
    const token = new URL(verifyUrl).hash.slice(1);
    expect((await elsewhere.post("/api/v1/auth/verify-email", { token })).status).toBe(204);
    expect((await loginLive(live.base, email, GOOD_PASSWORD)).cookies.has("hl_session")).toBe(true);
  });

  it("the person who signed up and clicks the link in the same browser stays signed in", async () => {
    const email = uniqueEmail("honest");
    const client = await signupLive(live.base, email, { verified: false });
    const verifyUrl = linkIn(await mailTo(email, /confirm/i), "http://hushlink.test/verify-email#");
    const token = new URL(verifyUrl).hash.slice(1);
    expect((await client.post("/api/v1/auth/verify-email", { token })).status).toBe(204);
    const me = await client.get<{ user: { emailVerified: boolean } }>("/api/v1/auth/me");
    expect(me.status).toBe(200);
    expect(me.body.user.emailVerified).toBe(true);
    expect((await client.post("/api/v1/tokens", { name: "now allowed" })).status).toBe(201);
  });

  it("an unproven account may share with anyone and manage itself, and nothing that reaches others", async () => {
    const email = uniqueEmail("unproven");
    const client = await signupLive(live.base, email, { verified: false });
    const orgId = await orgIdOfLive(client);

    const plain = await buildShare();
    expect((await client.post("/api/v1/shares", plain.body)).status).toBe(201);
    expect((await client.get("/api/v1/tokens")).status).toBe(200);
    expect((await client.get(`/api/v1/orgs/${orgId}/members`)).status).toBe(200);

    const refused = [
      await client.post("/api/v1/shares", { ...(await buildShare()).body, access: "organization" }),
      await client.post("/api/v1/shares", { ...(await buildShare()).body, notifyOnView: true }),
      await client.post("/api/v1/requests", { expiresIn: 3600, access: "anyone" }),
      await client.post(`/api/v1/orgs/${orgId}/invitations`, {
        email: uniqueEmail("target"),
        role: "member",
      }),
      await client.call("PUT", `/api/v1/orgs/${orgId}/branding`, {
        body: { primaryColor: "#112233" },
      }),
      await client.post("/api/v1/tokens", { name: "x" }),
    ];
    for (const answer of refused) {
      expect(answer.status, answer.text).toBe(403);
      expect(errorCodeOf(answer)).toBe("email_not_verified");
    }
    // Changing the password stays possible (the owner of a session may secure it).
    const changed = await client.post("/api/v1/auth/password", {
      currentPassword: GOOD_PASSWORD,
      newPassword: OWNER_PASSWORD,
    });
    expect(changed.status).toBe(204);
  });

  it("a password change revokes every API token unless asked to keep them; a reset always does", async () => {
    const email = uniqueEmail("tokens");
    const client = await signupLive(live.base, email);
    const make = async () => {
      const answer = await client.post<{ token: string }>("/api/v1/tokens", { name: "ci" });
      expect(answer.status).toBe(201);
      return answer.body.token;
    };
    const kept = await make();
    const keep = await client.post("/api/v1/auth/password", {
      currentPassword: GOOD_PASSWORD,
      newPassword: OWNER_PASSWORD,
      keepApiTokens: true,
    });
    expect(keep.status).toBe(204);
    expect((await bearer(kept)).status).toBe(200);

    const revoke = await client.post("/api/v1/auth/password", {
      currentPassword: OWNER_PASSWORD,
      newPassword: ATTACKER_PASSWORD,
    });
    expect(revoke.status).toBe(204);
    expect((await bearer(kept)).status).toBe(401);
    expect((await client.get("/api/v1/auth/me")).status).toBe(200);

    const second = await make();
    await new LiveClient(live.base).post("/api/v1/auth/password-reset", { email });
    const resetUrl = linkIn(await mailTo(email, /reset/i), "http://hushlink.test/reset-password#");
    const confirm = await new LiveClient(live.base).post("/api/v1/auth/password-reset/confirm", {
      token: resetUrl.split("#")[1],
      password: OWNER_PASSWORD,
    });
    expect(confirm.status).toBe(204);
    expect((await bearer(second)).status).toBe(401);
  });
});
