/**
 * Real server processes: crash safety (kill -9 mid-burst), two processes on one database (an
 * SQLite file, a PostgreSQL database), and start-up failures. Needs the build (`npm test` builds
 * first).
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";

import SQLite from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";

import { buildShare, type BuiltShare } from "./helpers/builders.js";
import { createTestDatabase, testDialects, type TestDatabase } from "./helpers/databases.js";
import {
  MIGRATE_MAIN,
  processScope,
  runServerToExit,
  startServer,
} from "./helpers/server-process.js";

const { servers, tempDir, cleanup } = processScope("hushlink-proc-");
afterEach(cleanup);

async function post(url: string, body: unknown) {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
async function get(url: string) {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
const revealAt = (base: string, s: BuiltShare) =>
  post(`${base}/api/v1/shares/${s.body.id}/reveal`, { viewToken: s.body.viewToken });

describe("kill -9 during a burst of creates and reveals", () => {
  it("keeps every acknowledged create with its views, and never serves a consumed share again", async () => {
    const dataDir = tempDir();
    let server = await startServer({ DATA_DIR: dataDir });
    servers.push(server);

    // Shares that exist before the burst: one-view ones to consume, three-view ones to count.
    const oneView = await Promise.all(
      Array.from({ length: 40 }, () => buildShare({ maxViews: 1 })),
    );
    const threeView = await Promise.all(
      Array.from({ length: 20 }, () => buildShare({ maxViews: 3 })),
    );
    for (const s of [...oneView, ...threeView])
      expect((await post(`${server.url}/api/v1/shares`, s.body)).status).toBe(201);
    // Far more creates than the server can commit before the kill below: with 150, a server that
    // outran this process (busy, on a loaded machine) had answered the whole burst before the kill,
    // and the crash then cut nothing short.
    const fresh = await Promise.all(Array.from({ length: 600 }, () => buildShare({ maxViews: 2 })));

    const acknowledgedCreates = new Set<string>();
    const acknowledgedReveals = new Map<string, number>();
    const base = server.url;
    const burst: Promise<unknown>[] = [];
    let acks = 0;
    let enoughAcks: () => void = () => undefined;
    const someAcknowledged = new Promise<void>((resolve) => (enoughAcks = resolve));
    const track = (p: Promise<{ status: number }>, onOk: () => void) =>
      burst.push(
        p
          .then((r) => {
            if (r.status >= 300) return;
            onOk();
            if (++acks === 10) enoughAcks();
          })
          .catch(() => undefined),
      );
    // A reveal after every few creates, so both kinds are in flight when the server dies.
    const reveals = [...oneView, ...threeView, ...threeView];
    const createsPerReveal = Math.floor(fresh.length / reveals.length);
    fresh.forEach((s, i) => {
      track(post(`${base}/api/v1/shares`, s.body), () => acknowledgedCreates.add(s.body.id));
      const r = i % createsPerReveal === 0 ? reveals.shift() : undefined;
      if (r === undefined) return;
      track(revealAt(base, r), () =>
        acknowledgedReveals.set(r.body.id, (acknowledgedReveals.get(r.body.id) ?? 0) + 1),
      );
    });
    expect(reveals).toEqual([]);
    // Let part of the burst through, then pull the plug.
    await Promise.race([someAcknowledged, new Promise((r) => setTimeout(r, 10_000))]);
    await server.kill();
    await Promise.all(burst);

    server = await startServer({ DATA_DIR: dataDir });
    servers.push(server);
    for (const s of fresh.filter((f) => acknowledgedCreates.has(f.body.id))) {
      const meta = await get(`${server.url}/api/v1/shares/${s.body.id}`);
      expect(meta).toMatchObject({ status: 200, body: { viewsRemaining: 2 } });
    }
    for (const s of oneView) {
      const meta = await get(`${server.url}/api/v1/shares/${s.body.id}`);
      if (acknowledgedReveals.has(s.body.id)) {
        expect(meta).toMatchObject({ status: 410, body: { error: { reason: "viewed" } } });
        expect((await revealAt(server.url, s)).status).toBe(410);
      } else {
        // Either untouched, or consumed by a reveal whose answer the crash swallowed.
        expect([200, 410]).toContain(meta.status);
      }
    }
    for (const s of threeView) {
      const acked = acknowledgedReveals.get(s.body.id) ?? 0;
      const meta = await get(`${server.url}/api/v1/shares/${s.body.id}`);
      const remaining = meta.status === 410 ? 0 : (meta.body.viewsRemaining as number);
      expect(remaining).toBeLessThanOrEqual(3 - acked);
    }
    // The burst really was cut short: some work was acknowledged and some was not.
    const acked =
      acknowledgedCreates.size + [...acknowledgedReveals.values()].reduce((a, b) => a + b, 0);
    expect(acked).toBeGreaterThan(0);
    expect(acked).toBeLessThan(fresh.length + oneView.length + 2 * threeView.length);
  });
});

/**
 * Two real processes on one database, requests split between them over HTTP: on SQLite one file,
 * on PostgreSQL one database (each process its own pool), where the usual reveal is one
 * statement. instances.test.ts runs two apps in one process; this is the shape of production.
 */
describe.each(testDialects)("two server processes on one %s database", (dialect) => {
  const databases: TestDatabase[] = [];
  afterEach(async () => {
    await cleanup();
    for (const db of databases.splice(0)) await db.drop();
  });

  async function twoServers() {
    const dataDir = tempDir();
    let env: Record<string, string> = { DATA_DIR: dataDir };
    if (dialect === "postgres") {
      // The database only (the processes migrate it): dropped after the test.
      const db = await createTestDatabase("postgres");
      databases.push(db);
      // Instances on one database share one root key (the configuration insists).
      const rootKey = randomBytes(32).toString("base64");
      env = { ...env, DATABASE_URL: db.url!, HUSHLINK_ROOT_KEY: rootKey };
    }
    const a = await startServer(env);
    servers.push(a);
    const b = await startServer(env);
    servers.push(b);
    return [a.url, b.url] as const;
  }

  it.each([1, 5])(
    "64 concurrent reveals of a %s-view share across both succeed exactly that often",
    async (maxViews) => {
      const [a, b] = await twoServers();
      const share = await buildShare({ maxViews });
      expect((await post(`${a}/api/v1/shares`, share.body)).status).toBe(201);
      const results = await Promise.all(
        Array.from({ length: 64 }, (_, i) => revealAt(i % 2 ? a : b, share)),
      );
      expect(results.filter((r) => r.status === 200)).toHaveLength(maxViews);
      expect(results.filter((r) => r.status !== 200 && r.status !== 410)).toEqual([]);
      // Each answered view counted down once: the remaining counts are distinct.
      const remaining = results.filter((r) => r.status === 200).map((r) => r.body.viewsRemaining);
      expect(remaining.sort()).toEqual(Array.from({ length: maxViews }, (_, i) => i));
      expect((await get(`${b}/api/v1/shares/${share.body.id}`)).body).toMatchObject({
        error: { reason: "viewed" },
      });
    },
  );

  it("a 3-view share with a password: 3 of 64 right answers, and 40 wrong ones lock another once", async () => {
    const [a, b] = await twoServers();
    const share = await buildShare({ maxViews: 3, password: "right horse" });
    const verifier = (share.body.password as { verifier: string }).verifier;
    expect((await post(`${a}/api/v1/shares`, share.body)).status).toBe(201);
    const right = await Promise.all(
      Array.from({ length: 64 }, (_, i) =>
        post(`${i % 2 ? a : b}/api/v1/shares/${share.body.id}/reveal`, {
          viewToken: share.body.viewToken,
          verifier,
        }),
      ),
    );
    expect(right.filter((r) => r.status === 200)).toHaveLength(3);
    expect(right.filter((r) => r.status !== 200 && r.status !== 410)).toEqual([]);

    const locked = await buildShare({ maxViews: 3, password: "right horse" });
    expect((await post(`${b}/api/v1/shares`, locked.body)).status).toBe(201);
    const wrong = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        post(`${i % 2 ? a : b}/api/v1/shares/${locked.body.id}/reveal`, {
          viewToken: locked.body.viewToken,
          verifier: "A".repeat(43),
        }),
      ),
    );
    // Ten attempts (the default), each taken once: ten distinct counts left, the rest gone.
    const refused = wrong.filter((r) => r.status === 403);
    const left = refused.map(
      (r) => (r.body.error as { attemptsRemaining: number }).attemptsRemaining,
    );
    expect(left.sort((x, y) => x - y)).toEqual(Array.from({ length: 10 }, (_, i) => i));
    expect(wrong.filter((r) => r.status !== 403 && r.status !== 410)).toEqual([]);
    expect((await get(`${a}/api/v1/shares/${locked.body.id}`)).body).toMatchObject({
      error: { reason: "locked" },
    });
  });
});

describe("start-up failures", () => {
  it("a configuration error prints every bad key and exits 1", async () => {
    const { code, output } = await runServerToExit({
      DATA_DIR: tempDir(),
      PORT: "eighty",
      MAX_VIEWS: "-3",
    });
    expect(code).toBe(1);
    expect(output).toContain("PORT");
    expect(output).toContain("MAX_VIEWS");
  });

  it("a TRUST_PROXY that is no address is a configuration error, before anything is written", async () => {
    // It used to pass the check, generate a root key, migrate, and then stop with
    // "invalid IP address: maybe", which named no variable.
    const dataDir = tempDir();
    const { code, output } = await runServerToExit({
      DATA_DIR: dataDir,
      TRUST_PROXY: "10.0.0.1,maybe",
    });
    expect(code).toBe(1);
    expect(output).toContain("TRUST_PROXY");
    expect(existsSync(join(dataDir, "root.key"))).toBe(false);
  });

  it("a migration failure exits non-zero without listening", async () => {
    const dataDir = tempDir();
    // A foreign table where the first migration wants to create its own.
    const db = new SQLite(join(dataDir, "hushlink.sqlite"));
    db.exec("create table shares (something text)");
    db.close();
    const { code, output } = await runServerToExit({ DATA_DIR: dataDir });
    expect(code).not.toBe(0);
    expect(output).toContain("database migration failed");
    expect(output).not.toContain('"msg":"listening"');
  });

  it("npm run db:migrate applies the migrations once, then finds nothing to do; a failure exits 1", async () => {
    const migrate = (dataDir: string) =>
      runServerToExit({ DATA_DIR: dataDir }, 15_000, MIGRATE_MAIN);
    const dataDir = tempDir();
    const first = await migrate(dataDir);
    expect(first.code, first.output).toBe(0);
    expect(first.output).toMatch(/^Applied: 20261126120000_shares, 20261126125000_accounts, /);
    expect(await migrate(dataDir)).toEqual({ code: 0, output: "Already up to date.\n" });

    const foreign = tempDir();
    const db = new SQLite(join(foreign, "hushlink.sqlite"));
    db.exec("create table shares (something text)");
    db.close();
    const failed = await migrate(foreign);
    expect(failed.code).toBe(1);
    expect(failed.output).toMatch(/^Migration failed: Migration 20261126120000_shares failed: /);
  });

  it("an unreachable PostgreSQL exits non-zero with a clear message", async () => {
    const { code, output } = await runServerToExit({
      DATA_DIR: tempDir(),
      DATABASE_URL: "postgres://postgres@127.0.0.1:1/none",
      HUSHLINK_ROOT_KEY: Buffer.alloc(32, 3).toString("base64"),
    });
    expect(code).not.toBe(0);
    expect(output).toContain("database migration failed");
  });
});
