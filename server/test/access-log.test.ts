/**
 * A share's access log (GET /api/v1/shares/{id}/events): stored entries for what people did, and
 * "created" and "expired" read off the share row (creator, address, tombstone), on both databases.
 */
import { derivePasswordKeys } from "@hushlink/protocol";
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";

import { signup, type Client } from "./helpers/accounts.js";
import { clockPerTest, suiteApp } from "./helpers/suite.js";
import { buildShare, FAST_KDF, type BuiltShare } from "./helpers/builders.js";
import { testDialects } from "./helpers/databases.js";
import { migrateOver } from "./helpers/migrations.js";

const HOUR = 3600 * 1000;

type Entry = { type: string; at: string; ip: string | null; userEmail?: string };

describe.each(testDialects)("the access log on %s", (dialect) => {
  const t = suiteApp(dialect, { env: { PASSWORD_ATTEMPTS: "2" }, clock: clockPerTest() });
  let alice: Client;

  beforeAll(async () => {
    alice = await signup(t);
  });

  async function createAs(share: BuiltShare, ip: string) {
    const res = await alice.inject({
      method: "POST",
      url: "/api/v1/shares",
      payload: share.body,
      remoteAddress: ip,
    });
    expect(res.statusCode).toBe(201);
  }

  async function reveal(share: BuiltShare, ip: string, password?: string) {
    const verifier = password
      ? (await derivePasswordKeys(share.linkSecret, password, FAST_KDF)).verifier
      : undefined;
    return t.app.inject({
      method: "POST",
      url: `/api/v1/shares/${share.body.id}/reveal`,
      payload: { viewToken: share.body.viewToken, ...(verifier ? { verifier } : {}) },
      remoteAddress: ip,
    });
  }

  async function log(share: BuiltShare): Promise<Entry[]> {
    const res = await alice.inject({ url: `/api/v1/shares/${share.body.id}/events` });
    expect(res.statusCode).toBe(200);
    return res.json<{ items: Entry[] }>().items;
  }

  async function storedTypes(share: BuiltShare) {
    const rows = await t.database.db
      .selectFrom("share_events")
      .select("type")
      .where("share_id", "=", share.body.id)
      .execute();
    return rows.map((r) => r.type as string);
  }

  it("lists creation with the creator's address and e-mail, then each attempt in order", async () => {
    const share = await buildShare({ password: "right horse", maxViews: 3 });
    const createdAt = t.clock.now();
    await createAs(share, "203.0.113.7");
    t.clock.advance(1000);
    expect((await reveal(share, "198.51.100.1", "right horse")).statusCode).toBe(200);
    t.clock.advance(1000);
    expect((await reveal(share, "198.51.100.2", "wrong horse")).statusCode).toBe(403);
    t.clock.advance(1000);
    expect((await reveal(share, "198.51.100.2", "wrong again")).statusCode).toBe(403);

    expect(await log(share)).toEqual([
      {
        type: "created",
        at: new Date(createdAt).toISOString(),
        ip: "203.0.113.7",
        userEmail: alice.email,
      },
      { type: "revealed", at: new Date(createdAt + 1000).toISOString(), ip: "198.51.100.1" },
      { type: "wrong_password", at: new Date(createdAt + 2000).toISOString(), ip: "198.51.100.2" },
      { type: "wrong_password", at: new Date(createdAt + 3000).toISOString(), ip: "198.51.100.2" },
      { type: "locked", at: new Date(createdAt + 3000).toISOString(), ip: "198.51.100.2" },
    ]);
    // Only what people did is stored; creation is the share row itself.
    expect((await storedTypes(share)).sort()).toEqual([
      "locked",
      "revealed",
      "wrong_password",
      "wrong_password",
    ]);
  });

  it("ends with 'expired' at the expiry, before the sweeper has run and after it", async () => {
    const share = await buildShare({ expiresIn: 60, maxViews: 2 });
    const createdAt = t.clock.now();
    await createAs(share, "203.0.113.8");
    expect((await reveal(share, "198.51.100.3")).statusCode).toBe(200);
    t.clock.advance(HOUR);
    const expiredAt = new Date(createdAt + 60_000).toISOString();

    const beforeSweep = await log(share);
    expect(beforeSweep.map((e) => e.type)).toEqual(["created", "revealed", "expired"]);
    expect(beforeSweep[2]).toEqual({ type: "expired", at: expiredAt, ip: null });

    expect((await t.services.sweeper.runOnce()).expired).toBeGreaterThanOrEqual(1);
    expect(await log(share)).toEqual(beforeSweep);
    expect(await storedTypes(share)).toEqual(["revealed"]);
  });

  it("says 'deleted', not 'expired', for a share deleted before its expiry", async () => {
    const share = await buildShare({ expiresIn: 60 });
    await createAs(share, "203.0.113.9");
    const del = await alice.inject({ method: "DELETE", url: `/api/v1/shares/${share.body.id}` });
    expect(del.statusCode).toBe(204);
    t.clock.advance(HOUR);
    await t.services.sweeper.runOnce();
    expect((await log(share)).map((e) => e.type)).toEqual(["created", "deleted"]);
  });

  /**
   * A share of no creator and no organization has no access log anyone may read (only a creator
   * or an organization's admin may, docs/SPEC.md "Anonymous shares keep no access log"): the
   * viewers' addresses are not kept. Its views, attempts and state stay exact.
   */
  it("keeps no address or entry of an anonymous share, whose views and state stay exact", async () => {
    const anonymous = async (share: BuiltShare) => {
      const res = await t.app.inject({
        method: "POST",
        url: "/api/v1/shares",
        payload: share.body,
        remoteAddress: "203.0.113.10",
      });
      expect(res.statusCode).toBe(201);
      return res.json<{ manageToken: string }>().manageToken;
    };
    const row = (share: BuiltShare) =>
      t.database.db
        .selectFrom("shares")
        .select(["status", "view_count", "created_ip", "password_attempts_left"])
        .where("id", "=", share.body.id)
        .executeTakeFirstOrThrow();

    const read = await buildShare({ password: "right horse", maxViews: 3 });
    const manageToken = await anonymous(read);
    expect((await reveal(read, "198.51.100.4", "right horse")).statusCode).toBe(200);
    expect((await reveal(read, "198.51.100.5", "wrong horse")).statusCode).toBe(403);
    const second = await reveal(read, "198.51.100.4", "right horse");
    expect(second.json()).toMatchObject({ viewsRemaining: 1 });
    const deleted = await t.app.inject({
      method: "DELETE",
      url: `/api/v1/shares/${read.body.id}`,
      headers: { "x-manage-token": manageToken },
      remoteAddress: "203.0.113.10",
    });
    expect(deleted.statusCode).toBe(204);
    expect(await row(read)).toEqual({
      status: "deleted",
      view_count: 2,
      created_ip: null,
      password_attempts_left: 1,
    });
    expect(await storedTypes(read)).toEqual([]);

    const locked = await buildShare({ password: "right horse" });
    await anonymous(locked);
    expect((await reveal(locked, "198.51.100.6", "wrong horse")).statusCode).toBe(403);
    const last = await reveal(locked, "198.51.100.6", "wrong again");
    expect(last.json()).toMatchObject({ error: { attemptsRemaining: 0 } });
    expect(await row(locked)).toMatchObject({ status: "locked", view_count: 0, created_ip: null });
    expect(await storedTypes(locked)).toEqual([]);

    // The last view of a one-view share (PostgreSQL: the one-statement reveal) logs nothing either.
    const once = await buildShare();
    await anonymous(once);
    expect((await reveal(once, "198.51.100.7")).statusCode).toBe(200);
    expect(await row(once)).toMatchObject({ status: "viewed", view_count: 1 });
    expect(await storedTypes(once)).toEqual([]);
  });
});

describe.each(testDialects)("the migration that reads created/expired off the share on %s", (d) => {
  it("moves the creator's address onto the share and drops the rows no longer needed", async () => {
    await migrateOver(
      d,
      "20261127120000_invitations_by_org",
      async (db) => {
        const share = (id: string, status: string) => sql`
          insert into shares (id, access, ciphertext, iv, view_token_hash, max_views, status,
            created_at, expires_at, gone_at)
          values (${id}, 'anyone', 'c', 'i', 'h', 1, ${status}, 1000, 2000,
            ${status === "active" ? null : 2000})`;
        await share("live000000000000000000", "active").execute(db);
        await share("gone000000000000000000", "expired").execute(db);
        const event = (id: string, shareId: string, type: string, ip: string | null) => sql`
          insert into share_events (id, share_id, type, at, ip, user_id)
          values (${id}, ${shareId}, ${type}, 1000, ${ip}, null)`;
        await event("e1", "live000000000000000000", "created", "192.0.2.1").execute(db);
        await event("e2", "live000000000000000000", "revealed", "192.0.2.2").execute(db);
        await event("e3", "gone000000000000000000", "created", "192.0.2.3").execute(db);
        await event("e4", "gone000000000000000000", "expired", null).execute(db);
      },
      async (db) => {
        const shares = await sql<{ id: string; created_ip: string | null }>`
          select id, created_ip from shares order by id`.execute(db);
        expect(shares.rows).toEqual([
          { id: "gone000000000000000000", created_ip: "192.0.2.3" },
          { id: "live000000000000000000", created_ip: "192.0.2.1" },
        ]);
        const events = await sql<{ id: string; type: string }>`
          select id, type from share_events order by id`.execute(db);
        expect(events.rows).toEqual([{ id: "e2", type: "revealed" }]);
      },
    );
  });
});
