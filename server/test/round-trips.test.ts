/**
 * Round trips to PostgreSQL per request, counted on the wire: a proxy between the app and the
 * database reads the client's protocol messages, and each Sync (extended query) or Query (simple
 * query, e.g. BEGIN/COMMIT) is one round trip. A create and a reveal are one statement each; a
 * reveal the single statement does not cover (a notification, a refusal) takes the transaction.
 */
import net from "node:net";

import { derivePasswordKeys } from "@hushlink/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { openDatabase, type DatabaseHandle } from "../src/db/database.js";
import { mailsTo, signup } from "./helpers/accounts.js";
import { createTestApp, type TestApp } from "./helpers/app.js";
import { buildShare, FAST_KDF } from "./helpers/builders.js";
import { createTestDatabase, testDialects, type TestDatabase } from "./helpers/databases.js";
import { createShare, json, reveal } from "./helpers/http.js";

interface WireCounter {
  url: string;
  roundTrips: number;
  close(): Promise<void>;
}

/** Forwards to PostgreSQL and counts the client's Sync ('S') and Query ('Q') messages. */
async function countRoundTrips(databaseUrl: string): Promise<WireCounter> {
  const target = new URL(databaseUrl);
  const sockets = new Set<net.Socket>();
  const counter = { roundTrips: 0 };
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    sockets.add(client).add(upstream);
    client.on("error", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
    upstream.pipe(client);
    let pending = Buffer.alloc(0);
    let startedUp = false;
    client.on("data", (chunk: Buffer) => {
      upstream.write(chunk);
      pending = Buffer.concat([pending, chunk]);
      // The startup message has a length but no type byte; every later message has both.
      if (!startedUp) {
        if (pending.length < 4 || pending.length < pending.readInt32BE(0)) return;
        pending = pending.subarray(pending.readInt32BE(0));
        startedUp = true;
      }
      while (pending.length >= 5 && pending.length >= 1 + pending.readInt32BE(1)) {
        const type = String.fromCharCode(pending[0]!);
        if (type === "S" || type === "Q") counter.roundTrips += 1;
        pending = pending.subarray(1 + pending.readInt32BE(1));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  const proxied = new URL(databaseUrl);
  proxied.hostname = "127.0.0.1";
  proxied.port = String(port);
  return Object.assign(counter, {
    url: proxied.toString(),
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  });
}

describe.each(testDialects.filter((d) => d === "postgres"))("round trips on %s", (dialect) => {
  let testDb: TestDatabase;
  let wire: WireCounter;
  let handle: DatabaseHandle;
  let t: TestApp;

  beforeAll(async () => {
    testDb = await createTestDatabase(dialect);
    wire = await countRoundTrips(testDb.url!);
    handle = openDatabase({ databaseUrl: wire.url, dataDir: testDb.dataDir });
    t = await createTestApp(dialect, { database: { testDb, handle } });
  });
  afterAll(async () => {
    await t.close();
    await handle.close();
    await wire.close();
    await testDb.drop();
  });

  /** Round trips `work` made, after a first statement has opened the pooled connection. */
  async function tripsOf<T>(work: () => Promise<T>): Promise<{ result: T; trips: number }> {
    const before = wire.roundTrips;
    const result = await work();
    return { result, trips: wire.roundTrips - before };
  }

  it("creates a share in one round trip and reveals it in one, the last view included", async () => {
    const share = await buildShare({ maxViews: 2 });
    const created = await tripsOf(() => createShare(t.app, share.body));
    expect(created.result.statusCode).toBe(201);
    expect(created.trips).toBe(1);

    for (const left of [1, 0]) {
      const revealed = await tripsOf(() =>
        reveal(t.app, share.body.id, { viewToken: share.body.viewToken }),
      );
      expect(revealed.result.statusCode).toBe(200);
      expect(json(revealed.result)).toMatchObject({
        ciphertext: share.body.ciphertext,
        iv: share.body.iv,
        viewsRemaining: left,
      });
      expect(revealed.trips).toBe(1);
    }
    // The last view destroyed the content in that same statement; the anonymous share logs nothing.
    const row = await testDb.handle.db
      .selectFrom("shares")
      .selectAll()
      .where("id", "=", share.body.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      status: "viewed",
      view_count: 2,
      ciphertext: null,
      iv: null,
      view_token_hash: null,
    });
    expect(row.gone_at).toBe(t.clock.now());
    const events = await testDb.handle.db
      .selectFrom("share_events")
      .select(["type", "at"])
      .where("share_id", "=", share.body.id)
      .execute();
    // An anonymous share keeps no access log: nobody may read it (docs/SPEC.md).
    expect(events).toEqual([]);
    const gone = await reveal(t.app, share.body.id, { viewToken: share.body.viewToken });
    expect(json(gone)).toMatchObject({ error: { code: "share_gone", reason: "viewed" } });
  });

  it("reveals a password share with the right verifier in one round trip", async () => {
    const share = await buildShare({ password: "correct pony", maxViews: null });
    await createShare(t.app, share.body);
    const { verifier } = await derivePasswordKeys(share.linkSecret, "correct pony", FAST_KDF);
    const revealed = await tripsOf(() =>
      reveal(t.app, share.body.id, { viewToken: share.body.viewToken, verifier }),
    );
    expect(revealed.result.statusCode).toBe(200);
    expect(revealed.trips).toBe(1);
  });

  it("explains a refusal, and queues a notification with its reveal, in a transaction", async () => {
    const share = await buildShare({ password: "correct pony" });
    await createShare(t.app, share.body);
    const { verifier } = await derivePasswordKeys(share.linkSecret, "wrong pony", FAST_KDF);
    const refused = await tripsOf(() =>
      reveal(t.app, share.body.id, { viewToken: share.body.viewToken, verifier }),
    );
    expect(json(refused.result)).toMatchObject({
      error: { code: "wrong_password", attemptsRemaining: 9 },
    });
    expect(refused.trips).toBeGreaterThan(1);

    const alice = await signup(t);
    const notifying = await buildShare({ name: "vpn key" });
    const created = await createShare(alice, { ...notifying.body, notifyOnView: true });
    expect(created.statusCode).toBe(201);
    const revealed = await reveal(t.app, notifying.body.id, {
      viewToken: notifying.body.viewToken,
    });
    expect(revealed.statusCode).toBe(200);
    expect((await mailsTo(t, alice.email)).some((m) => /vpn key/.test(m))).toBe(true);
  });
});
