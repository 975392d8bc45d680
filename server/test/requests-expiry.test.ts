/**
 * Secret requests: expiry by time and by the sweeper. Every test that moves the clock has an app
 * of its own.
 */
import { randomBytes, randomUUID } from "node:crypto";

import { describe, expect, it } from "vitest";

import { sweepRequests } from "../src/features/requests/requests.sweeper.js";
import { newOrg, signup } from "./helpers/accounts.js";
import { testDialects } from "./helpers/databases.js";
import { json } from "./helpers/http.js";
import {
  code,
  deleteRequest,
  getRequest,
  listRequests,
  MINUTE,
  newRequest,
  requestsSuite,
  revealRequest,
  submit,
  type ListItem,
} from "./helpers/requests.js";

describe.each(testDialects)("secret requests: expiry on %s", (dialect) => {
  const suite = requestsSuite(dialect);
  const { app: t, secret } = suite;

  describe("expiry", () => {
    it("by time, before the sweeper: 404 everywhere, left out of the list, and destroyed on read", async () => {
      const t = await suite.ownApp();
      const alice = await signup(t);
      const open = await newRequest(alice, { expiresIn: 60 });
      const fulfilled = await newRequest(alice, { expiresIn: 120 });
      expect((await submit(t.app, fulfilled.id, secret())).statusCode).toBe(204);

      t.clock.advance(60 * 1000 - 1);
      expect((await getRequest(t.app, open.id)).statusCode).toBe(200);
      t.clock.advance(1);
      for (const res of [
        await getRequest(t.app, open.id),
        await submit(t.app, open.id, secret()),
        await revealRequest(alice, open.id),
        await deleteRequest(alice, open.id),
      ]) {
        expect(res.statusCode).toBe(404);
        expect(code(res)).toBe("request_not_found");
      }
      const listed = json<{ items: ListItem[] }>(await listRequests(alice)).items.map((i) => i.id);
      expect(listed).toEqual([fulfilled.id]);

      t.clock.advance(MINUTE);
      expect((await revealRequest(alice, fulfilled.id)).statusCode).toBe(404);
      expect(json<{ items: ListItem[] }>(await listRequests(alice)).items).toEqual([]);
      const rows = await t.database.db
        .selectFrom("requests")
        .select("id")
        .where("id", "in", [open.id, fulfilled.id])
        .execute();
      expect(rows).toEqual([]);
    });

    it("the sweeper destroys expired requests and their values, and prunes old audit trails", async () => {
      const t = await suite.ownApp();
      const alice = await signup(t);
      const a = await newRequest(alice, { expiresIn: 60 });
      const b = await newRequest(alice, { expiresIn: 60 });
      const kept = await newRequest(alice, { expiresIn: 3600 });
      expect((await submit(t.app, b.id, secret())).statusCode).toBe(204);
      t.clock.advance(MINUTE);
      await t.services.sweeper.runOnce();
      const left = await t.database.db
        .selectFrom("requests")
        .select("id")
        .where("id", "in", [a.id, b.id, kept.id])
        .execute();
      expect(left.map((r) => r.id)).toEqual([kept.id]);
      const expired = await t.database.db
        .selectFrom("request_events")
        .select(["request_id", "at"])
        .where("type", "=", "expired")
        .where("request_id", "in", [a.id, b.id])
        .execute();
      expect(expired).toHaveLength(2);

      // The trail of a gone request is pruned once 30 days old; a live request keeps all of its.
      const old = t.clock.now() - 31 * 24 * 3600 * 1000;
      await t.database.db
        .insertInto("request_events")
        .values(
          [a.id, kept.id].map((requestId) => ({
            id: randomUUID(),
            request_id: requestId,
            type: "revealed" as const,
            at: old,
            ip: null,
            user_id: null,
          })),
        )
        .execute();
      expect(await sweepRequests(t.database, t.clock.now())).toBe(0);
      const trail = async (id: string) =>
        (
          await t.database.db
            .selectFrom("request_events")
            .select("type")
            .where("request_id", "=", id)
            .orderBy("at")
            .execute()
        ).map((e) => e.type);
      expect(await trail(a.id)).toEqual(["created", "expired"]);
      expect(await trail(kept.id)).toEqual(["revealed", "created"]);
    });

    it("sweeps in batches, and two sweepers at once destroy each request once", async () => {
      const { admin: alice, orgId } = await newOrg(t);
      const requesterId = json<{ user: { id: string } }>(
        await alice.inject({ url: "/api/v1/auth/me" }),
      ).user.id;
      const now = t.clock.now();
      const ids = Array.from({ length: 25 }, () => randomBytes(16).toString("base64url"));
      await t.database.db
        .insertInto("requests")
        .values(
          ids.map((id) => ({
            id,
            org_id: orgId,
            requester_id: requesterId,
            name: null,
            access: "anyone" as const,
            created_at: now - 2 * MINUTE,
            expires_at: now - MINUTE,
            submitted_at: null,
            value_sealed: null,
            wrapped_key: null,
            key_id: null,
          })),
        )
        .execute();
      // Two handles on one SQLite file in one process would block each other's event loop (and
      // SQLite has one writer at a time anyway): the two-instance case is PostgreSQL's.
      const other = dialect === "postgres" ? t.testDb.openAnother() : t.database;
      const [x, y] = await Promise.all([
        sweepRequests(t.database, now, 4),
        sweepRequests(other, now, 4),
      ]);
      expect(x + y).toBe(25);
      const events = await t.database.db
        .selectFrom("request_events")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("type", "=", "expired")
        .where("request_id", "in", ids)
        .executeTakeFirstOrThrow();
      expect(Number(events.n)).toBe(25);
    });
  });
});
