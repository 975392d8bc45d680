/**
 * A request's id is the capability to answer it ("first submission wins"), so the organization's
 * list hands a plain member only their own requests (`mine: true`); an admin, who may delete any
 * of them, still sees all of them. A member asking for a colleague's (`creator=`) gets an empty
 * list, and no other route a member may call names a colleague's request by its id.
 */
import { describe, expect, it } from "vitest";

import { newOrg } from "./helpers/accounts.js";
import { testDialects } from "./helpers/databases.js";
import { json } from "./helpers/http.js";
import {
  addMember,
  listRequests,
  newRequest,
  requestsSuite,
  submit,
  type ListItem,
} from "./helpers/requests.js";

interface Listed {
  items: (ListItem & { mine: boolean })[];
  nextCursor: string | null;
}

describe.each(testDialects)("who sees which requests on %s", (dialect) => {
  const suite = requestsSuite(dialect);

  it("a member lists only their own requests; an admin lists the organization's", async () => {
    const t = await suite.ownApp();
    const { admin, orgId } = await newOrg(t);
    const alice = await addMember(t, admin, orgId, "member");
    const bob = await addMember(t, admin, orgId, "member");
    const aliceId = json<{ user: { id: string } }>(await alice.inject({ url: "/api/v1/auth/me" }))
      .user.id;
    const alices = await newRequest(alice, { orgId, name: "alice vpn", access: "anyone" });
    t.clock.advance(1000);
    const alicesAnswered = await newRequest(alice, { orgId, name: "alice answered" });
    expect((await submit(t.app, alicesAnswered.id, suite.secret())).statusCode).toBe(204);
    t.clock.advance(1000);
    const bobs = await newRequest(bob, { orgId, name: "bob vpn" });
    t.clock.advance(1000);
    const admins = await newRequest(admin, { orgId, name: "admin vpn" });
    const alicesIds = [alices.id, alicesAnswered.id];

    const list = async (as: typeof bob, query: string) => {
      const res = await listRequests(as, `?orgId=${orgId}${query}`);
      expect(res.statusCode, res.body).toBe(200);
      // Nowhere in the answer, not only not as an item's id.
      for (const id of alicesIds) expect(res.body).not.toContain(id);
      return json<Listed>(res);
    };

    // Bob: his own request only, whatever the filters.
    for (const query of [
      "",
      "&limit=1",
      "&status=open",
      "&status=fulfilled",
      "&q=vpn",
      "&creator=me",
      `&creator=${aliceId}`,
    ]) {
      const page = await list(bob, query);
      for (const item of page.items) expect(item).toMatchObject({ id: bobs.id, mine: true });
    }
    expect((await list(bob, "")).items.map((i) => i.id)).toEqual([bobs.id]);
    // Asking for Alice's requests by her user id: an empty list, not an error.
    expect(await list(bob, `&creator=${aliceId}`)).toEqual({ items: [], nextCursor: null });

    // Nor through another route a member may call.
    for (const url of [
      "/api/v1/shares",
      `/api/v1/shares?orgId=${orgId}`,
      `/api/v1/orgs/${orgId}/members`,
      `/api/v1/orgs/${orgId}/audit/entries`,
      `/api/v1/orgs/${orgId}/audit`,
      `/api/v1/orgs/${orgId}/webhooks`,
      `/api/v1/orgs/${orgId}/policy`,
      "/api/v1/auth/me",
    ]) {
      const res = await bob.inject({ url });
      for (const id of alicesIds) expect(res.body, url).not.toContain(id);
    }

    // Alice sees her own two, both hers.
    const alicesList = json<Listed>(await listRequests(alice, `?orgId=${orgId}`));
    expect(alicesList.items.map((i) => [i.id, i.mine])).toEqual([
      [alicesAnswered.id, true],
      [alices.id, true],
    ]);

    // The admin sees every member's, and may filter by one of them.
    const all = json<Listed>(await listRequests(admin, `?orgId=${orgId}`));
    expect(all.items.map((i) => [i.id, i.mine])).toEqual([
      [admins.id, true],
      [bobs.id, false],
      [alicesAnswered.id, false],
      [alices.id, false],
    ]);
    const byAlice = json<Listed>(await listRequests(admin, `?orgId=${orgId}&creator=${aliceId}`));
    expect(byAlice.items.map((i) => i.id)).toEqual([alicesAnswered.id, alices.id]);
  });

  it("a member made admin sees every member's requests; made member again, their own", async () => {
    const t = suite.app;
    const { admin, orgId } = await newOrg(t);
    const alice = await addMember(t, admin, orgId, "member");
    const bob = await addMember(t, admin, orgId, "member");
    const bobId = json<{ user: { id: string } }>(await bob.inject({ url: "/api/v1/auth/me" })).user
      .id;
    const alices = await newRequest(alice, { orgId });
    const ids = async () =>
      json<Listed>(await listRequests(bob, `?orgId=${orgId}`)).items.map((i) => i.id);
    expect(await ids()).toEqual([]);
    const role = (r: string) =>
      admin.inject({
        method: "PUT",
        url: `/api/v1/orgs/${orgId}/members/${bobId}`,
        payload: { role: r },
      });
    expect((await role("admin")).statusCode).toBe(204);
    expect(await ids()).toEqual([alices.id]);
    expect((await role("member")).statusCode).toBe(204);
    expect(await ids()).toEqual([]);
  });
});
