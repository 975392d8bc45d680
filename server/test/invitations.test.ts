/**
 * Pending invitations (extends SPEC §4, F8): admins list and cancel the invitations not accepted
 * yet. Over real HTTP on a listening app, on SQLite and (with TEST_DATABASE_URL) PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { hashToken } from "../src/lib/tokens.js";
import { GOOD_PASSWORD, linkIn, mailsTo, uniqueEmail } from "./helpers/accounts.js";
import { createTestApp, type TestApp } from "./helpers/app.js";
import { clockPerTest } from "./helpers/suite.js";
import { testDialects } from "./helpers/databases.js";
import { errorCodeOf, listen, LiveClient, loginLive, signupLive } from "./helpers/live.js";
import { dereference } from "./helpers/openapi.js";

const DAY = 24 * 3600 * 1000;

interface PendingItem {
  id: string;
  email: string;
  role: "admin" | "member";
  invitedBy?: { userId: string; email: string; name: string | null };
  createdAt: string;
  expiresAt: string;
}

describe.each(testDialects)("pending invitations on %s", (dialect) => {
  let t: TestApp;
  let base: string;
  /** Every invitation token the tests saw: none may reach a log line. */
  const tokens: string[] = [];
  const clock = clockPerTest();

  beforeAll(async () => {
    t = await createTestApp(dialect, { clock });
    base = await listen(t);
  });
  afterAll(async () => {
    const logs = t.logs.join("");
    expect(logs).toContain('"route":"/api/v1/orgs/:orgId/invitations/:invitationId"');
    for (const token of tokens) {
      expect(logs).not.toContain(token);
      expect(logs).not.toContain(hashToken(token));
    }
    await t.close();
  });

  async function orgOf(client: LiveClient) {
    const me = await client.get<{ user: { id: string }; orgs: { id: string }[] }>(
      "/api/v1/auth/me",
    );
    return { userId: me.body.user.id, orgId: me.body.orgs[0]!.id };
  }

  /** Invites `email` and returns the invitation's id and the token from its mail. */
  async function invite(admin: LiveClient, orgId: string, email: string, role = "member") {
    const answer = await admin.post<{ id: string }>(`/api/v1/orgs/${orgId}/invitations`, {
      email,
      role,
      // Inviting an admin from a session signed in days of test time ago proves the password.
      ...(role === "admin" ? { password: GOOD_PASSWORD } : {}),
    });
    expect(answer.status, answer.text).toBe(201);
    const link = linkIn(await mailsTo(t, email), "http://hushlink.test/invitations/");
    const token = link.split("/invitations/")[1]!;
    tokens.push(token);
    return { id: answer.body.id, token, email };
  }

  const pending = (client: LiveClient, orgId: string) =>
    client.get<{ items: PendingItem[] }>(`/api/v1/orgs/${orgId}/invitations`);

  it("lists pending invitations only, newest first, with who sent them and never the token", async () => {
    const admin = await signupLive(base, uniqueEmail("lister"), { name: "Dana Scully" });
    const { userId, orgId } = await orgOf(admin);

    const expiring = await invite(admin, orgId, uniqueEmail("late"));
    t.clock.advance(2 * DAY);
    const accepted = await invite(admin, orgId, uniqueEmail("joiner"), "admin");
    t.clock.advance(60_000);
    const open = await invite(admin, orgId, uniqueEmail("open"), "admin");

    const all = await pending(admin, orgId);
    expect(all.status).toBe(200);
    expect(all.body.items.map((i) => i.id)).toEqual([open.id, accepted.id, expiring.id]);
    const first = all.body.items[0]!;
    expect(first).toEqual({
      id: open.id,
      email: open.email,
      role: "admin",
      invitedBy: { userId, email: admin.email, name: "Dana Scully" },
      createdAt: new Date(t.clock.now()).toISOString(),
      expiresAt: new Date(t.clock.now() + 7 * DAY).toISOString(),
    });
    // Nothing that opens an invitation: neither the token nor its hash, in any field.
    for (const { token } of [expiring, accepted, open]) {
      expect(all.text).not.toContain(token);
      expect(all.text).not.toContain(hashToken(token));
    }
    expect(Object.keys(first).sort()).toEqual(
      ["createdAt", "email", "expiresAt", "id", "invitedBy", "role"].sort(),
    );

    // Accepted: no longer pending.
    const joiner = await signupLive(base, accepted.email);
    expect((await joiner.post(`/api/v1/invitations/${accepted.token}/accept`)).status).toBe(200);
    expect((await pending(admin, orgId)).body.items.map((i) => i.id)).toEqual([
      open.id,
      expiring.id,
    ]);

    // Expired (seven days after it was sent): no longer pending either.
    t.clock.advance(5 * DAY - 60_000 - 1);
    expect((await pending(admin, orgId)).body.items.map((i) => i.id)).toEqual([
      open.id,
      expiring.id,
    ]);
    t.clock.advance(1);
    expect((await pending(admin, orgId)).body.items.map((i) => i.id)).toEqual([open.id]);
  });

  it("leaves invitedBy out once the admin who sent it has deleted their account", async () => {
    const admin = await signupLive(base, uniqueEmail("leaver"));
    const { userId, orgId } = await orgOf(admin);
    const second = await signupLive(base, uniqueEmail("second"));
    const joined = await invite(admin, orgId, second.email, "admin");
    expect((await second.post(`/api/v1/invitations/${joined.token}/accept`)).status).toBe(200);
    const open = await invite(admin, orgId, uniqueEmail("orphan"));
    await t.database.db.deleteFrom("users").where("id", "=", userId).execute();

    const list = await pending(second, orgId);
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]!.id).toBe(open.id);
    expect(list.body.items[0]).not.toHaveProperty("invitedBy");
  });

  it("answers members 403 admin_required, other organizations 404, and the signed-out 401", async () => {
    const admin = await signupLive(base, uniqueEmail("guard"));
    const { orgId } = await orgOf(admin);
    const member = await signupLive(base, uniqueEmail("plain"));
    const joined = await invite(admin, orgId, member.email, "member");
    expect((await member.post(`/api/v1/invitations/${joined.token}/accept`)).status).toBe(200);
    const target = await invite(admin, orgId, uniqueEmail("target"));

    // A member of the organization, not an admin.
    const memberList = await pending(member, orgId);
    expect(memberList.status).toBe(403);
    expect(errorCodeOf(memberList)).toBe("admin_required");
    expect(memberList.text).not.toContain(target.token);
    const memberCancel = await member.delete(`/api/v1/orgs/${orgId}/invitations/${target.id}`);
    expect(memberCancel.status).toBe(403);
    expect(errorCodeOf(memberCancel)).toBe("admin_required");

    // The admin of another organization: 404 on this one's paths, and this organization's
    // invitation id under their own path is unknown too.
    const stranger = await signupLive(base, uniqueEmail("stranger"));
    const strangerOrg = (await orgOf(stranger)).orgId;
    const foreignList = await pending(stranger, orgId);
    expect(foreignList.status).toBe(404);
    expect(errorCodeOf(foreignList)).toBe("org_not_found");
    const foreignCancel = await stranger.delete(`/api/v1/orgs/${orgId}/invitations/${target.id}`);
    expect(foreignCancel.status).toBe(404);
    expect(errorCodeOf(foreignCancel)).toBe("org_not_found");
    const crossCancel = await stranger.delete(
      `/api/v1/orgs/${strangerOrg}/invitations/${target.id}`,
    );
    expect(crossCancel.status).toBe(404);
    expect(errorCodeOf(crossCancel)).toBe("invitation_not_found");
    expect((await pending(stranger, strangerOrg)).body.items).toEqual([]);

    // Signed out.
    const anonymous = new LiveClient(base);
    expect((await pending(anonymous, orgId)).status).toBe(401);
    expect((await anonymous.delete(`/api/v1/orgs/${orgId}/invitations/${target.id}`)).status).toBe(
      401,
    );

    // None of that cancelled anything: the invitation is still pending and still opens.
    expect((await pending(admin, orgId)).body.items.map((i) => i.id)).toEqual([target.id]);
    expect((await anonymous.get(`/api/v1/invitations/${target.token}`)).status).toBe(200);
  });

  it("cancels: 204, the link stops working at once like an unknown one, a second cancel 404", async () => {
    const admin = await signupLive(base, uniqueEmail("canceller"));
    const { orgId } = await orgOf(admin);
    const inviteeEmail = uniqueEmail("uninvited");
    const invitee = await signupLive(base, inviteeEmail);
    const target = await invite(admin, orgId, inviteeEmail);
    const kept = await invite(admin, orgId, uniqueEmail("kept"));
    expect((await invitee.get(`/api/v1/invitations/${target.token}`)).status).toBe(200);

    const cancel = await admin.delete(`/api/v1/orgs/${orgId}/invitations/${target.id}`);
    expect(cancel.status).toBe(204);
    expect(cancel.text).toBe("");

    // The token now answers exactly as a token that never existed.
    const unknown = "x".repeat(43);
    const lookup = await invitee.get(`/api/v1/invitations/${target.token}`);
    const unknownLookup = await invitee.get(`/api/v1/invitations/${unknown}`);
    expect(lookup.status).toBe(404);
    expect(lookup.text).toBe(unknownLookup.text);
    const accept = await invitee.post(`/api/v1/invitations/${target.token}/accept`);
    const unknownAccept = await invitee.post(`/api/v1/invitations/${unknown}/accept`);
    expect(accept.status).toBe(404);
    expect(errorCodeOf(accept)).toBe("invitation_not_found");
    expect(accept.text).toBe(unknownAccept.text);
    const me = await invitee.get<{ orgs: { id: string }[] }>("/api/v1/auth/me");
    expect(me.body.orgs.map((o) => o.id)).not.toContain(orgId);

    const again = await admin.delete(`/api/v1/orgs/${orgId}/invitations/${target.id}`);
    expect(again.status).toBe(404);
    expect(errorCodeOf(again)).toBe("invitation_not_found");
    expect((await pending(admin, orgId)).body.items.map((i) => i.id)).toEqual([kept.id]);
  });

  it("refuses to cancel an accepted or an expired invitation (404), and needs the CSRF header", async () => {
    const admin = await signupLive(base, uniqueEmail("strict"));
    const { orgId } = await orgOf(admin);
    const member = await signupLive(base, uniqueEmail("accepted"));
    const accepted = await invite(admin, orgId, member.email);
    expect((await member.post(`/api/v1/invitations/${accepted.token}/accept`)).status).toBe(200);
    const acceptedCancel = await admin.delete(`/api/v1/orgs/${orgId}/invitations/${accepted.id}`);
    expect(acceptedCancel.status).toBe(404);
    expect(errorCodeOf(acceptedCancel)).toBe("invitation_not_found");
    // The membership it created stays.
    const members = await admin.get<{ items: { email: string }[] }>(
      `/api/v1/orgs/${orgId}/members`,
    );
    expect(members.body.items.map((m) => m.email)).toContain(member.email);

    const target = await invite(admin, orgId, uniqueEmail("csrf"));
    const noCsrf = await admin.delete(`/api/v1/orgs/${orgId}/invitations/${target.id}`, {
      noCsrf: true,
    });
    expect(noCsrf.status).toBe(403);
    expect(errorCodeOf(noCsrf)).toBe("csrf_failed");
    expect((await pending(admin, orgId)).body.items.map((i) => i.id)).toEqual([target.id]);

    t.clock.advance(7 * DAY);
    // Seven idle days ended the admin's session too: sign in again.
    const adminAgain = await loginLive(base, admin.email);
    const expiredCancel = await adminAgain.delete(`/api/v1/orgs/${orgId}/invitations/${target.id}`);
    expect(expiredCancel.status).toBe(404);
    expect(errorCodeOf(expiredCancel)).toBe("invitation_not_found");
  });

  it("ten concurrent cancels of one invitation: exactly one 204, nine 404", async () => {
    const admin = await signupLive(base, uniqueEmail("racer"));
    const { orgId } = await orgOf(admin);
    for (let round = 0; round < 3; round++) {
      const target = await invite(admin, orgId, uniqueEmail(`race${round}`));
      // Ten tabs of the same session, each its own connection.
      const tabs = Array.from({ length: 10 }, () => admin.clone());
      const answers = await Promise.all(
        tabs.map((tab) =>
          tab.delete(`/api/v1/orgs/${orgId}/invitations/${target.id}`, {
            headers: { connection: "close" },
          }),
        ),
      );
      const statuses = answers.map((a) => a.status).sort();
      expect(statuses).toEqual([204, ...Array<number>(9).fill(404)]);
      for (const answer of answers.filter((a) => a.status === 404)) {
        expect(errorCodeOf(answer)).toBe("invitation_not_found");
      }
      expect((await pending(admin, orgId)).body.items).toEqual([]);
      const accept = await new LiveClient(base).get(`/api/v1/invitations/${target.token}`);
      expect(accept.status).toBe(404);
    }
  });

  it("a cancel racing the acceptance: either the member joined and the cancel is 404, or the cancel won and the accept is 404", async () => {
    const admin = await signupLive(base, uniqueEmail("duel"));
    const { orgId } = await orgOf(admin);
    for (let round = 0; round < 5; round++) {
      const invitee = await signupLive(base, uniqueEmail(`duel${round}`));
      const target = await invite(admin, orgId, invitee.email);
      const [cancel, accept] = await Promise.all([
        admin.delete(`/api/v1/orgs/${orgId}/invitations/${target.id}`),
        invitee.post(`/api/v1/invitations/${target.token}/accept`),
      ]);
      expect([cancel.status, accept.status].sort()).toEqual(
        cancel.status === 204 ? [204, 404] : [200, 404],
      );
      const members = await admin.get<{ items: { email: string }[] }>(
        `/api/v1/orgs/${orgId}/members`,
      );
      expect(members.body.items.some((m) => m.email === invitee.email)).toBe(accept.status === 200);
    }
  });

  it("refuses to invite an address that is a member already: 409 already_member, nothing pending", async () => {
    const admin = await signupLive(base, uniqueEmail("again"));
    const { orgId } = await orgOf(admin);
    const member = await signupLive(base, uniqueEmail("joined"));
    const joined = await invite(admin, orgId, member.email);
    expect((await member.post(`/api/v1/invitations/${joined.token}/accept`)).status).toBe(200);
    for (const email of [member.email, admin.email]) {
      const again = await admin.post(`/api/v1/orgs/${orgId}/invitations`, {
        email,
        role: "member",
      });
      expect(again.status, again.text).toBe(409);
      expect(errorCodeOf(again)).toBe("already_member");
    }
    expect((await pending(admin, orgId)).body.items).toEqual([]);
  });

  it("accepting one invitation ends the address's other pending ones there: removed later, the person cannot walk back in through an older link", async () => {
    const admin = await signupLive(base, uniqueEmail("twice"));
    const { orgId } = await orgOf(admin);
    const person = await signupLive(base, uniqueEmail("invitedtwice"));
    const { userId } = await orgOf(person);
    const asMember = await invite(admin, orgId, person.email, "member");
    const second = await admin.post(`/api/v1/orgs/${orgId}/invitations`, {
      email: person.email,
      role: "admin",
    });
    expect(second.status, second.text).toBe(201);
    // The one link of the two mails that is not the first (mails of one millisecond sort randomly).
    const asAdmin = (await mailsTo(t, person.email))
      .filter((m) => m.includes("/invitations/"))
      .map((m) => linkIn(m, "http://hushlink.test/invitations/").split("/invitations/")[1]!)
      .find((token) => token !== asMember.token)!;
    tokens.push(asAdmin);
    expect((await pending(admin, orgId)).body.items).toHaveLength(2);

    const accepted = await person.post(`/api/v1/invitations/${asMember.token}/accept`);
    expect(accepted.status, accepted.text).toBe(200);
    expect((await pending(admin, orgId)).body.items).toEqual([]);
    // While a member, the other link neither answers "admin" nor changes anything.
    const other = await person.post(`/api/v1/invitations/${asAdmin}/accept`);
    expect(other.status, other.text).toBe(404);
    expect(errorCodeOf(other)).toBe("invitation_not_found");

    expect((await admin.delete(`/api/v1/orgs/${orgId}/members/${userId}`)).status).toBe(204);
    const back = await person.post(`/api/v1/invitations/${asAdmin}/accept`);
    expect(back.status, back.text).toBe(404);
    const members = await admin.get<{ items: { email: string }[] }>(
      `/api/v1/orgs/${orgId}/members`,
    );
    expect(members.body.items.map((m) => m.email)).toEqual([admin.email]);
  });

  it("is in the OpenAPI document, without a token field", async () => {
    const doc = await new LiveClient(base).get<{
      paths: Record<string, Record<string, { tags?: string[]; responses?: unknown }>>;
      components: { schemas: Record<string, unknown> };
    }>("/api/openapi.json");
    const list = doc.body.paths["/api/v1/orgs/{orgId}/invitations"]?.get;
    const cancel = doc.body.paths["/api/v1/orgs/{orgId}/invitations/{invitationId}"]?.delete;
    expect(list?.tags).toEqual(["organizations"]);
    expect(cancel?.tags).toEqual(["organizations"]);
    expect(Object.keys(cancel?.responses ?? {})).toEqual(
      expect.arrayContaining(["204", "403", "404"]),
    );
    // The answer itself (the error answers name the code `invalid_token`).
    const item = JSON.stringify(
      dereference(doc.body, (list?.responses as Record<string, unknown> | undefined)?.["200"]),
    );
    expect(item).toContain("expiresAt");
    expect(item).toContain("invitedBy");
    expect(item).not.toMatch(/token/i);
  });
});
