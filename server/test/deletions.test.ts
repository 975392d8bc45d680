/**
 * Deleting an account (DELETE /api/v1/auth/me) and an organization (DELETE /api/v1/orgs/{id}),
 * issue 25: what goes, what stays, who may, and that a refusal changes nothing; on SQLite and
 * (with TEST_DATABASE_URL) PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { sealForRecipients } from "@hushlink/protocol";

import {
  GOOD_PASSWORD,
  login,
  memberOf,
  newOrg,
  signup,
  uniqueEmail,
  type Client,
} from "./helpers/accounts.js";
import { createTestApp, type TestApp } from "./helpers/app.js";
import { buildShare } from "./helpers/builders.js";
import { testDialects } from "./helpers/databases.js";
import { TEST_MAIL_FROM } from "./helpers/smtp.js";
import { createShare, json } from "./helpers/http.js";
import { addMember, newRequest } from "./helpers/requests.js";
import { mailSuite } from "./helpers/suite.js";

describe.each(testDialects)("deleting accounts and organizations on %s", (dialect) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(() => t.close());

  async function share(c: Client, orgId: string) {
    const built = await buildShare();
    const res = await createShare(c, { ...built.body, orgId });
    expect(res.statusCode, res.body).toBe(201);
    return built.body.id;
  }

  const metadata = (id: string) => t.app.inject({ url: `/api/v1/shares/${id}` });

  const deleteMe = (c: Client, password = GOOD_PASSWORD) =>
    c.inject({ method: "DELETE", url: "/api/v1/auth/me", payload: { password } });

  const deleteOrg = (c: Client, orgId: string, name: string) =>
    c.inject({ method: "DELETE", url: `/api/v1/orgs/${orgId}`, payload: { name } });

  async function countWhere(
    table: "orgs" | "memberships" | "invitations" | "requests",
    id: string,
  ) {
    const column = table === "orgs" ? "id" : "org_id";
    const row = await t.database.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where(column, "=", id)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async function orgName(c: Client) {
    const me = json<{ orgs: { id: string; name: string }[] }>(
      await c.inject({ url: "/api/v1/auth/me" }),
    );
    return me.orgs[0]!.name;
  }

  describe("an account", () => {
    it("refuses a wrong password and changes nothing", async () => {
      const alice = await signup(t);
      const res = await deleteMe(alice, "not-the-password-at-all");
      expect(res.statusCode).toBe(403);
      expect(json(res)).toMatchObject({ error: { code: "wrong_current_password" } });
      expect((await alice.inject({ url: "/api/v1/auth/me" })).statusCode).toBe(200);
    });

    it("refuses the only admin of an organization with other members, naming it", async () => {
      const { admin, orgId } = await newOrg(t);
      const member = await addMember(t, admin, orgId, "member");
      const res = await deleteMe(admin);
      expect(res.statusCode).toBe(409);
      expect(json(res)).toMatchObject({
        error: { code: "sole_admin", orgs: [await orgName(admin)] },
      });
      expect(await countWhere("memberships", orgId)).toBe(2);
      expect((await admin.inject({ url: "/api/v1/auth/me" })).statusCode).toBe(200);
      // With a second admin, the first may go; the organization and its member stay.
      const promote = await admin.inject({
        method: "PUT",
        url: `/api/v1/orgs/${orgId}/members/${json<{ user: { id: string } }>(await member.inject({ url: "/api/v1/auth/me" })).user.id}`,
        payload: { role: "admin" },
      });
      expect(promote.statusCode, promote.body).toBeLessThan(300);
      expect((await deleteMe(admin)).statusCode).toBe(204);
      expect(await countWhere("orgs", orgId)).toBe(1);
      expect(await countWhere("memberships", orgId)).toBe(1);
    });

    it("destroys its shares and requests, leaves shared organizations, deletes its own, ends sessions and tokens", async () => {
      const { admin: bob, orgId: bobOrg } = await newOrg(t);
      const alice = await addMember(t, bob, bobOrg, "member");
      const aliceOrg = json<{ orgs: { id: string }[] }>(
        await alice.inject({ url: "/api/v1/auth/me" }),
      ).orgs.find((o) => o.id !== bobOrg)?.id;
      const token = json<{ token: string }>(
        await alice.inject({ method: "POST", url: "/api/v1/tokens", payload: { name: "ci" } }),
      ).token;
      const inBobs = await share(alice, bobOrg);
      const bobsOwn = await share(bob, bobOrg);
      const request = await newRequest(alice, { orgId: bobOrg });
      // She signed up on her own before accepting: the organization made for her is hers alone.
      expect(aliceOrg).toBeDefined();
      const inHers = await share(alice, aliceOrg!);

      const res = await deleteMe(alice);
      expect(res.statusCode, res.body).toBe(204);
      expect(res.cookies.find((c) => c.name === "hl_session")?.value).toBe("");

      expect((await alice.inject({ url: "/api/v1/auth/me" })).statusCode).toBe(401);
      const bearer = await t.app.inject({
        url: "/api/v1/auth/me",
        headers: { authorization: `Bearer ${token}` },
      });
      expect(bearer.statusCode).toBe(401);
      await expect(login(t, alice.email)).rejects.toThrow();

      const gone = await metadata(inBobs);
      expect(gone.statusCode).toBe(410);
      expect(json(gone)).toMatchObject({ error: { reason: "deleted" } });
      expect((await metadata(bobsOwn)).statusCode).toBe(200);
      expect((await metadata(inHers)).statusCode).toBe(410);
      expect((await bob.inject({ url: `/api/v1/requests/${request.id}` })).statusCode).toBe(404);
      expect(await countWhere("memberships", bobOrg)).toBe(1);
      expect(await countWhere("orgs", aliceOrg!)).toBe(0);
    });
  });

  describe("an organization", () => {
    it("is deleted by an admin who types its name; members keep their accounts; other organizations are untouched", async () => {
      const { admin, orgId } = await newOrg(t);
      const member = await addMember(t, admin, orgId, "member");
      const { admin: other, orgId: otherOrg } = await newOrg(t);
      const theirs = await share(other, otherOrg);
      const otherRequest = await newRequest(other, { orgId: otherOrg });

      const mine = await share(admin, orgId);
      const members = await share(member, orgId);
      await newRequest(admin, { orgId });
      const invite = await admin.inject({
        method: "POST",
        url: `/api/v1/orgs/${orgId}/invitations`,
        payload: { email: "pending@example.test", role: "member" },
      });
      expect(invite.statusCode).toBe(201);
      const colors = await admin.inject({
        method: "PUT",
        url: `/api/v1/orgs/${orgId}/branding`,
        payload: { primaryColor: "#1d4ed8", backgroundColor: "#ffffff", textColor: "#111111" },
      });
      expect(colors.statusCode, colors.body).toBe(200);

      // A member may not; a wrong name changes nothing.
      const refused = await deleteOrg(member, orgId, await orgName(admin));
      expect(refused.statusCode).toBe(403);
      expect(json(refused)).toMatchObject({ error: { code: "admin_required" } });
      const mismatch = await deleteOrg(admin, orgId, "Something else");
      expect(mismatch.statusCode).toBe(400);
      expect(json(mismatch)).toMatchObject({ error: { code: "confirmation_mismatch" } });
      expect((await metadata(mine)).statusCode).toBe(200);
      // Another organization's admin cannot reach it at all.
      expect((await deleteOrg(other, orgId, await orgName(admin))).statusCode).toBe(404);

      const res = await deleteOrg(admin, orgId, await orgName(admin));
      expect(res.statusCode, res.body).toBe(204);
      for (const id of [mine, members]) {
        const gone = await metadata(id);
        expect(gone.statusCode).toBe(410);
        expect(json(gone)).toMatchObject({ error: { reason: "deleted" } });
      }
      for (const table of ["orgs", "memberships", "invitations", "requests"] as const)
        expect(await countWhere(table, orgId), table).toBe(0);
      // Members keep their accounts, without the organization.
      const after = json<{ orgs: { id: string }[] }>(
        await member.inject({ url: "/api/v1/auth/me" }),
      );
      expect(after.orgs.map((o) => o.id)).not.toContain(orgId);
      expect((await admin.inject({ url: "/api/v1/auth/me" })).statusCode).toBe(200);
      // The other organization is untouched.
      expect((await metadata(theirs)).statusCode).toBe(200);
      expect((await other.inject({ url: `/api/v1/requests/${otherRequest.id}` })).statusCode).toBe(
        200,
      );
      expect(await countWhere("memberships", otherOrg)).toBe(1);
    });

    it("ten concurrent deletes: one 204, the rest 404, and the organization's shares destroyed once", async () => {
      const { admin, orgId } = await newOrg(t);
      const id = await share(admin, orgId);
      const name = await orgName(admin);
      const answers = await Promise.all(
        Array.from({ length: 10 }, () => deleteOrg(admin, orgId, name)),
      );
      const statuses = answers.map((a) => a.statusCode).sort();
      expect(statuses).toEqual([204, ...Array<number>(9).fill(404)]);
      expect((await metadata(id)).statusCode).toBe(410);
      expect(await countWhere("orgs", orgId)).toBe(0);
    });
  });

  describe("with mail queued for recipients' links", () => {
    const { t: m, smtp } = mailSuite(dialect, { MAIL_FROM: TEST_MAIL_FROM });

    /**
     * A share with one link per recipient whose mails are queued, not sent; returns the ids the
     * outbox entries belong to and the link secrets the mails would carry.
     */
    async function queuedShare(c: Client, orgId: string, emails: string[]) {
      await m.services.mail.runOnce(); // the sign-up mails, so only the shares' remain
      const sealed = await sealForRecipients("the prod password", emails, {});
      const res = await createShare(c, {
        id: sealed.id,
        recipientLinks: sealed.recipientLinks,
        expiresIn: 3600,
        orgId,
      });
      expect(res.statusCode, res.body).toBe(201);
      const linkIds = await m.database.db
        .selectFrom("shares")
        .select("id")
        .where("parent_id", "=", sealed.id)
        .execute();
      const shareIds = [sealed.id, ...linkIds.map((r) => r.id)];
      expect(await queued(shareIds)).toBe(emails.length);
      return { shareIds, secrets: sealed.recipientLinks.map((l) => l.linkSecret) };
    }

    async function queued(shareIds: string[]) {
      const rows = await m.database.db
        .selectFrom("mail_outbox")
        .select("id")
        .where("share_id", "in", shareIds)
        .execute();
      return rows.length;
    }

    /** After the worker ran: no mail carried any of these links. */
    async function noneSent(secrets: string[]) {
      await m.services.mail.runOnce();
      for (const message of smtp.messages)
        for (const secret of secrets)
          expect(message.raw + (message.parsed.text ?? "")).not.toContain(secret);
    }

    it.each(["an organization", "an account"])(
      "deleting %s drops the queued mail of its shares' recipient links",
      async (what) => {
        const { admin, orgId } = await newOrg(m);
        const alice = await memberOf(m, orgId, uniqueEmail("alice"));
        const carol = await memberOf(m, orgId, uniqueEmail("carol"));
        const { shareIds, secrets } = await queuedShare(alice, orgId, [admin.email, carol.email]);

        const res =
          what === "an account"
            ? await deleteMe(alice)
            : await deleteOrg(admin, orgId, await orgName(admin));
        expect(res.statusCode, res.body).toBe(204);
        expect(await queued(shareIds)).toBe(0);
        await noneSent(secrets);
      },
    );
  });
});
