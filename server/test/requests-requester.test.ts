/**
 * Secret requests: the requester's side (reveal, list, delete, audit trail).
 */
import { describe, expect, it } from "vitest";

import { newOrg, signup } from "./helpers/accounts.js";
import { testDialects } from "./helpers/databases.js";
import { json } from "./helpers/http.js";
import {
  addMember,
  code,
  deleteRequest,
  getRequest,
  listRequests,
  newRequest,
  requestsSuite,
  revealRequest,
  submit,
  type ListItem,
} from "./helpers/requests.js";

describe.each(testDialects)("secret requests: the requester on %s", (dialect) => {
  const suite = requestsSuite(dialect);
  const { app: t, secret } = suite;

  describe("the requester's side", () => {
    it("reveal is for the requester only; others in the organization and outside get 404", async () => {
      const t = await suite.ownApp();
      const { admin: alice, orgId } = await newOrg(t);
      const bob = await addMember(t, alice, orgId, "member");
      const carol = await addMember(t, alice, orgId, "admin");
      const mallory = await signup(t);
      // Bob's request, in Alice's organization: Alice is an admin there, but not the requester.
      const { id } = await newRequest(bob, { orgId, name: "bob's" });
      const value = secret();
      // The clock moves between steps so the audit trail has a defined order.
      t.clock.advance(1);
      expect((await submit(t.app, id, value)).statusCode).toBe(204);
      t.clock.advance(1);

      for (const other of [alice, carol, mallory]) {
        const res = await revealRequest(other, id);
        expect(res.statusCode).toBe(404);
        expect(code(res)).toBe("request_not_found");
      }
      const anonymous = await revealRequest(t.app, id);
      expect(anonymous.statusCode).toBe(401);

      const mine = await revealRequest(bob, id);
      t.clock.advance(1);
      expect(mine.statusCode).toBe(200);
      expect(mine.headers["cache-control"]).toBe("no-store");
      expect(json<{ value: string }>(mine).value).toBe(value);
      // Revealing again works (also without a body), and each time is recorded.
      const bare = await bob.inject({ method: "POST", url: `/api/v1/requests/${id}/reveal` });
      expect(bare.statusCode).toBe(200);

      const events = json<{ items: { type: string; userEmail?: string; ip: string | null }[] }>(
        await bob.inject({ url: `/api/v1/requests/${id}/events` }),
      );
      expect(events.items.map((e) => e.type)).toEqual([
        "created",
        "submitted",
        "revealed",
        "revealed",
      ]);
      expect(events.items[2]).toMatchObject({ userEmail: bob.email, ip: "127.0.0.1" });
      // The audit trail: requester or org admin; a plain member or an outsider gets 404.
      expect((await alice.inject({ url: `/api/v1/requests/${id}/events` })).statusCode).toBe(200);
      const bobsRequestForMallory = await mallory.inject({ url: `/api/v1/requests/${id}/events` });
      expect(bobsRequestForMallory.statusCode).toBe(404);
    });

    it("a requester who left the organization can no longer reveal", async () => {
      const { admin: alice, orgId } = await newOrg(t);
      const bob = await addMember(t, alice, orgId, "member");
      const { id } = await newRequest(bob, { orgId });
      expect((await submit(t.app, id, secret())).statusCode).toBe(204);
      const members = json<{ items: { userId: string; email: string }[] }>(
        await alice.inject({ url: `/api/v1/orgs/${orgId}/members` }),
      );
      const bobId = members.items.find((m) => m.email === bob.email)!.userId;
      const removed = await alice.inject({
        method: "DELETE",
        url: `/api/v1/orgs/${orgId}/members/${bobId}`,
      });
      expect(removed.statusCode).toBe(204);
      expect((await revealRequest(bob, id)).statusCode).toBe(404);
    });

    it("reveal before anything was submitted answers 409 request_not_fulfilled", async () => {
      const alice = await signup(t);
      const { id } = await newRequest(alice);
      const res = await revealRequest(alice, id);
      expect(res.statusCode).toBe(409);
      expect(code(res)).toBe("request_not_fulfilled");
    });

    it("lists the organization's requests newest first with cursor paging; other organizations see none", async () => {
      const t = await suite.ownApp();
      const { admin: alice, orgId } = await newOrg(t);
      const bob = await addMember(t, alice, orgId, "member");
      const ids: string[] = [];
      for (const [i, access] of (["anyone", "organization", "anyone"] as const).entries()) {
        ids.push((await newRequest(i === 1 ? bob : alice, { orgId, access, name: `r${i}` })).id);
        t.clock.advance(1000);
      }
      expect((await submit(t.app, ids[0]!, secret())).statusCode).toBe(204);

      const first = json<{ items: ListItem[]; nextCursor: string | null }>(
        await listRequests(alice, "?limit=2"),
      );
      expect(first.items.map((i) => i.id)).toEqual([ids[2], ids[1]]);
      expect(first.items[1]).toMatchObject({ name: "r1", access: "organization", status: "open" });
      expect(first.items[1]).not.toHaveProperty("submittedAt");
      // Bob made r1: Alice sees it, but it is not hers to reveal.
      expect(first.items.map((i) => (i as ListItem & { mine: boolean }).mine)).toEqual([
        true,
        false,
      ]);
      expect(first.nextCursor).toEqual(expect.any(String));
      const second = json<{ items: ListItem[]; nextCursor: string | null }>(
        await listRequests(alice, `?limit=2&cursor=${first.nextCursor}`),
      );
      expect(second.items.map((i) => i.id)).toEqual([ids[0]]);
      expect(second.items[0]).toMatchObject({
        status: "fulfilled",
        submittedAt: expect.any(String) as unknown,
      });
      expect(second.nextCursor).toBeNull();

      // A plain member lists only their own: a request's id answers it (requests-visibility).
      const bobs = json<{ items: ListItem[] }>(await listRequests(bob, `?orgId=${orgId}`));
      expect(bobs.items.map((i) => i.id)).toEqual([ids[1]]);

      const mallory = await signup(t);
      expect(json<{ items: ListItem[] }>(await listRequests(mallory)).items).toEqual([]);
      expect((await listRequests(mallory, `?orgId=${orgId}`)).statusCode).toBe(404);
      expect((await listRequests(t.app)).statusCode).toBe(401);
      const badCursor = await listRequests(alice, "?cursor=nonsense");
      expect(badCursor.statusCode).toBe(400);
      expect(code(badCursor)).toBe("invalid_cursor");
    });

    it("delete: the requester or an org admin; destroys the value; others get 404", async () => {
      const { admin: alice, orgId } = await newOrg(t);
      const bob = await addMember(t, alice, orgId, "member");
      const carol = await addMember(t, alice, orgId, "member");
      const mallory = await signup(t);

      const bobs = await newRequest(bob, { orgId });
      expect((await submit(t.app, bobs.id, secret())).statusCode).toBe(204);
      for (const other of [carol, mallory]) {
        const res = await deleteRequest(other, bobs.id);
        expect(res.statusCode).toBe(404);
        expect(code(res)).toBe("request_not_found");
      }
      expect((await deleteRequest(t.app, bobs.id)).statusCode).toBe(401);
      // Alice is the organization's admin.
      expect((await deleteRequest(alice, bobs.id)).statusCode).toBe(204);
      expect((await getRequest(t.app, bobs.id)).statusCode).toBe(404);
      expect((await revealRequest(bob, bobs.id)).statusCode).toBe(404);
      expect((await submit(t.app, bobs.id, secret())).statusCode).toBe(404);
      expect((await deleteRequest(bob, bobs.id)).statusCode).toBe(404);
      const row = await t.database.db
        .selectFrom("requests")
        .select("id")
        .where("id", "=", bobs.id)
        .executeTakeFirst();
      expect(row).toBeUndefined();
      // The audit trail outlives the request (for operators), without content.
      const trail = await t.database.db
        .selectFrom("request_events")
        .select(["type", "user_id"])
        .where("request_id", "=", bobs.id)
        .orderBy("at")
        .execute();
      expect(trail.map((e) => e.type)).toEqual(["created", "submitted", "deleted"]);

      const own = await newRequest(bob, { orgId });
      expect((await deleteRequest(bob, own.id)).statusCode).toBe(204);
    });
  });
});
