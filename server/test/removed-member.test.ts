/**
 * A member removed from an organization (issue 15, item 5) no longer manages the shares they
 * created in it: neither their access log (viewers' e-mails and IPs) nor their deletion, by
 * session or by API token, as secret requests already required. The organization's admins still
 * manage them. A share that belongs to no organization stays its creator's.
 */
import { beforeAll, describe, expect, it } from "vitest";

import {
  addMembership,
  mailsTo,
  memberOf,
  newOrg,
  signup,
  uniqueEmail,
  userIdOf,
  type Client,
} from "./helpers/accounts.js";
import { buildShare } from "./helpers/builders.js";
import { testDialects } from "./helpers/databases.js";
import { suiteApp } from "./helpers/suite.js";
import { createShare, json } from "./helpers/http.js";

describe.each(testDialects)("a removed member's old shares on %s", (dialect) => {
  const t = suiteApp(dialect);
  let admin: Client;
  let orgId: string;

  beforeAll(async () => {
    ({ admin, orgId } = await newOrg(t, uniqueEmail("admin"), "Admin"));
  });

  const statusOf = async (id: string) =>
    (
      await t.database.db
        .selectFrom("shares")
        .select("status")
        .where("id", "=", id)
        .executeTakeFirstOrThrow()
    ).status;

  async function shareBy(c: Client) {
    const s = await buildShare({ maxViews: 5 });
    const created = await createShare(c, { ...s.body, orgId });
    expect(created.statusCode).toBe(201);
    // A viewer, so the access log has someone's IP in it.
    await t.app.inject({
      method: "POST",
      url: `/api/v1/shares/${s.body.id}/reveal`,
      payload: { viewToken: s.body.viewToken },
    });
    return s.body.id;
  }

  async function removed(c: Client) {
    const gone = await admin.inject({
      method: "DELETE",
      url: `/api/v1/orgs/${orgId}/members/${await userIdOf(t, c.email)}`,
    });
    expect(gone.statusCode).toBe(204);
  }

  it("refuses the access log and the delete once the creator is removed", async () => {
    const member = await memberOf(t, orgId, uniqueEmail("leaver"));
    const id = await shareBy(member);
    // While a member, the creator manages the share.
    expect((await member.inject({ url: `/api/v1/shares/${id}/events` })).statusCode).toBe(200);

    await removed(member);

    const log = await member.inject({ url: `/api/v1/shares/${id}/events` });
    expect(log.statusCode).toBe(404);
    expect(json(log)).toMatchObject({ error: { code: "share_not_found" } });
    expect(log.body).not.toContain("revealed");
    const del = await member.inject({ method: "DELETE", url: `/api/v1/shares/${id}` });
    expect(del.statusCode).toBe(404);
    expect(json(del)).toMatchObject({ error: { code: "share_not_found" } });
    expect(await statusOf(id)).toBe("active");

    // The organization keeps managing what its former member created.
    const adminLog = await admin.inject({ url: `/api/v1/shares/${id}/events` });
    expect(json<{ items: { type: string }[] }>(adminLog).items.map((e) => e.type)).toEqual([
      "created",
      "revealed",
    ]);
    expect((await admin.inject({ method: "DELETE", url: `/api/v1/shares/${id}` })).statusCode).toBe(
      204,
    );
  });

  it("refuses the same through an API token the removed member still holds", async () => {
    const member = await memberOf(t, orgId, uniqueEmail("scripted"));
    const id = await shareBy(member);
    const created = await member.inject({
      method: "POST",
      url: "/api/v1/tokens",
      payload: { name: "ci" },
    });
    expect(created.statusCode).toBe(201);
    const bearer = { authorization: `Bearer ${json<{ token: string }>(created).token}` };

    await removed(member);

    const log = await t.app.inject({ url: `/api/v1/shares/${id}/events`, headers: bearer });
    expect(log.statusCode).toBe(404);
    const del = await t.app.inject({
      method: "DELETE",
      url: `/api/v1/shares/${id}`,
      headers: bearer,
    });
    expect(del.statusCode).toBe(404);
    expect(await statusOf(id)).toBe("active");
  });

  it("lets a member who was removed and invited back manage their shares again", async () => {
    const member = await memberOf(t, orgId, uniqueEmail("returning"));
    const id = await shareBy(member);
    await removed(member);
    await addMembership(t, orgId, member.email);
    expect((await member.inject({ url: `/api/v1/shares/${id}/events` })).statusCode).toBe(200);
  });

  it("keeps a share of no organization its creator's alone", async () => {
    // Signed-in shares always belong to an organization today; a row without one (from before
    // organizations) has no membership to lose, so its creator keeps it, and nobody else gets it.
    const owner = await signup(t, uniqueEmail("solo"));
    const id = await shareBy(admin);
    await t.database.db
      .updateTable("shares")
      .set({ org_id: null, creator_id: await userIdOf(t, owner.email) })
      .where("id", "=", id)
      .execute();
    expect((await admin.inject({ url: `/api/v1/shares/${id}/events` })).statusCode).toBe(404);
    expect((await owner.inject({ url: `/api/v1/shares/${id}/events` })).statusCode).toBe(200);
    expect((await owner.inject({ method: "DELETE", url: `/api/v1/shares/${id}` })).statusCode).toBe(
      204,
    );
  });
  it("stops mailing the removed creator view receipts, which carry the viewer's IP", async () => {
    const member = await memberOf(t, orgId, uniqueEmail("notified"));
    const s = await buildShare({ maxViews: 5 });
    const created = await createShare(member, { ...s.body, orgId, notifyOnView: true });
    expect(created.statusCode, created.body).toBe(201);
    const viewed = async () => {
      const res = await t.app.inject({
        method: "POST",
        url: `/api/v1/shares/${s.body.id}/reveal`,
        payload: { viewToken: s.body.viewToken },
      });
      expect(res.statusCode, res.body).toBe(200);
      return (await mailsTo(t, member.email)).filter((m) => /viewed/i.test(m)).length;
    };
    // While a member, each view is a receipt.
    expect(await viewed()).toBe(1);

    await removed(member);

    expect(await viewed()).toBe(1);
    // A share of no organization (older rows) keeps telling its creator.
    await t.database.db
      .updateTable("shares")
      .set({ org_id: null })
      .where("id", "=", s.body.id)
      .execute();
    expect(await viewed()).toBe(2);
  });
  it("stops mailing a removed requester that their request was answered", async () => {
    const requester = await memberOf(t, orgId, uniqueEmail("asker"));
    const answered = async () =>
      (await mailsTo(t, requester.email)).filter((m) => /answered/i.test(m)).length;
    const ask = async () => {
      const res = await requester.inject({
        method: "POST",
        url: "/api/v1/requests",
        payload: { expiresIn: 3600, access: "anyone", orgId },
      });
      expect(res.statusCode, res.body).toBe(201);
      return json<{ id: string }>(res).id;
    };
    const submit = async (id: string) => {
      const res = await t.app.inject({
        method: "POST",
        url: `/api/v1/requests/${id}/submit`,
        payload: { value: "s3cret" },
      });
      expect(res.statusCode, res.body).toBe(204);
    };
    const before = await ask();
    const after = await ask();
    // While a member, an answer is mailed.
    await submit(before);
    expect(await answered()).toBe(1);

    await removed(requester);

    await submit(after);
    expect(await answered()).toBe(1);
  });
});
