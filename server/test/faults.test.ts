/**
 * Faults (issue 10), on real server processes:
 * - SIGTERM: requests in flight get their answers, the workers stop, the process exits 0;
 * - PostgreSQL out of reach (through a TCP proxy the test cuts): 503 `unavailable`, nothing
 *   consumed or created behind the caller's back, /readyz 503, and recovery without a restart;
 * - Redis out of reach: rate limits fail open to per-instance counting, logged once;
 * - SQLite on a full disk (a 4 MiB tmpfs): creates fail cleanly, reads go on, writes resume.
 * PostgreSQL and Redis suites follow helpers/services.ts: not registered (with the reason
 * printed) when the service is missing, a failure under CI.
 */
import { unlinkSync } from "node:fs";
import { join } from "node:path";

import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import { toErrorAnswer } from "../src/plugins/error-handler.js";
import { buildShare, type BuiltShare } from "./helpers/builders.js";
import { createTestDatabase, type TestDatabase } from "./helpers/databases.js";
import { fullDiskSuite } from "./helpers/full-disk.js";
import {
  call,
  errorCode,
  heldReveal,
  pool,
  randomId,
  randomIp,
  rawConnection,
  shutDown,
  waitFor,
} from "./helpers/remote.js";
import { processScope, startServer, type ServerProcess } from "./helpers/server-process.js";
import { suitesNeeding } from "./helpers/services.js";
import { startTcpProxy, type TcpProxy } from "./helpers/tcp-proxy.js";
import { fillDisk } from "./helpers/tmpfs.js";

const ROOT_KEY = Buffer.alloc(32, 9).toString("base64");
const { servers, tempDir, killServers, removeDirs } = processScope("hushlink-faults-");
async function launch(env: Record<string, string>) {
  const server = await startServer(env, 30_000);
  servers.push(server);
  return server;
}
afterEach(killServers);
afterAll(removeDirs);

const create = (base: string, share: BuiltShare, ip?: string) =>
  call(base, "POST", "/api/v1/shares", { body: share.body, ip });
const reveal = (base: string, share: BuiltShare, ip?: string) =>
  call(base, "POST", `/api/v1/shares/${share.body.id}/reveal`, {
    body: { viewToken: share.body.viewToken },
    ip,
  });
const metadata = (base: string, share: BuiltShare) =>
  call(base, "GET", `/api/v1/shares/${share.body.id}`);

describe("which failures answer 503 unavailable", () => {
  const coded = (code: string, message = "x") => Object.assign(new Error(message), { code });
  it.each([
    ["a refused connection", coded("ECONNREFUSED")],
    ["a reset connection", coded("ECONNRESET")],
    ["pg: lost connection", new Error("Connection terminated unexpectedly")],
    ["pg: connect timeout", new Error("timeout exceeded when trying to connect")],
    ["pg: query timeout", new Error("Query read timeout")],
    [
      "pg: errored client",
      new Error("Client has encountered a connection error and is not queryable"),
    ],
    ["PostgreSQL shutting down", coded("57P01")],
    ["PostgreSQL starting up", coded("57P03")],
    ["statement_timeout", coded("57014")],
    ["connection failure (class 08)", coded("08006")],
    ["too many connections", coded("53300")],
    ["disk full (PostgreSQL)", coded("53100")],
    ["serialization failure", coded("40001")],
    ["the database dropped or renamed (3D000)", coded("3D000")],
    ["the role's password changed (class 28)", coded("28P01")],
    ["the role removed or refused (class 28)", coded("28000")],
    ["SQLite busy", coded("SQLITE_BUSY")],
    ["SQLite disk full", coded("SQLITE_FULL")],
    ["SQLite I/O error", coded("SQLITE_IOERR_WRITE")],
    ["SQLite read-only file", coded("SQLITE_READONLY")],
  ])("%s", (_name, error) => {
    expect(toErrorAnswer(error)).toMatchObject({ status: 503, code: "unavailable" });
  });

  it.each([
    ["a bug", new TypeError("cannot read properties of undefined")],
    ["a constraint violation", coded("23505")],
    ["a syntax error", coded("42601")],
    ["SQLite constraint", coded("SQLITE_CONSTRAINT_UNIQUE")],
  ])("not %s", (_name, error) => {
    expect(toErrorAnswer(error)).toBeNull();
  });
});

describe("graceful shutdown on SIGTERM", () => {
  // Each case starts its servers with launch()'s 30 s budget, the first one two of them: under
  // the 30 s default both cases ran out of time on a loaded 2-core machine with every step still
  // on its way (the first took 12, 20, 29 and over 30 s there). Their own budgets cover that.
  it("answers every request in flight, stops the workers, and exits 0", async () => {
    const dataDir = tempDir();
    const server = await launch({ DATA_DIR: dataDir, SWEEP_INTERVAL: "1" });
    const shares = await Promise.all(Array.from({ length: 20 }, () => buildShare()));
    for (const s of shares) expect((await create(server.url, s)).status).toBe(201);

    // Twenty reveals in flight: the server has read their headers (it said 100 Continue), the
    // bodies have not arrived yet.
    const held = shares.map((s) => heldReveal(server.url, s.body));
    await waitFor("100 Continue on every held request", () =>
      held.every((h) => h.conn.received.includes("100 Continue")) ? true : undefined,
    );
    // And an idle keep-alive connection, which must simply be closed.
    const idle = rawConnection(server.url);
    idle.write("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
    await waitFor("idle connection's answer", () => idle.lastStatus());

    const { exited } = await shutDown(server);
    // New connections are refused from now on.
    await waitFor("new connections refused", async () =>
      (await call(server.url, "GET", "/healthz")).status === 0 ? true : undefined,
    );
    await idle.closed;

    for (const h of held) h.finish();
    await Promise.all(held.map((h) => h.conn.closed));
    const statuses = held.map((h) => h.conn.lastStatus());
    expect(statuses).toEqual(held.map(() => 200));
    for (const h of held) expect(h.conn.received).toContain('"ciphertext"');

    expect(await exited).toBe(0);
    const out = server.output();
    expect(out.indexOf('"msg":"stopped"')).toBeGreaterThan(out.indexOf('"msg":"shutting down"'));
    expect(out).not.toContain("sweep failed");
    expect(out).not.toContain("mail run failed");
    expect(out).not.toContain('"level":50');

    // The answered reveals were committed.
    const again = await launch({ DATA_DIR: dataDir });
    for (const s of shares) {
      expect(await metadata(again.url, s)).toMatchObject({
        status: 410,
        body: { error: { reason: "viewed" } },
      });
    }
  }, 120_000);

  it("a client that never finishes its request holds shutdown no longer than REQUEST_TIMEOUT_MS", async ({
    annotate,
  }) => {
    const server = await launch({
      DATA_DIR: tempDir(),
      HEADERS_TIMEOUT_MS: "1000",
      REQUEST_TIMEOUT_MS: "2000",
    });
    const conn = rawConnection(server.url);
    conn.write(
      "POST /api/v1/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n" +
        "Content-Length: 100\r\nExpect: 100-continue\r\n\r\n",
    );
    await waitFor("100 Continue", () =>
      conn.received.includes("100 Continue") ? true : undefined,
    );
    const started = Date.now();
    const code = await server.stop();
    const ms = Date.now() - started;
    await annotate(`shutdown with a stalled client: exit ${code} after ${ms} ms`);
    expect(code).toBe(0);
    expect(ms).toBeLessThan(10_000);
    await conn.closed;
    expect(server.output()).toContain("closing connections whose requests did not finish in time");
  }, 60_000);
});

// ---------------------------------------------------------------------------------------------

for (const services of await suitesNeeding("PostgreSQL fault tests", ["postgres"])) {
  describe("PostgreSQL out of reach", () => {
    let testDb: TestDatabase;
    let proxy: TcpProxy;
    let server: ServerProcess;
    beforeAll(async () => {
      testDb = await createTestDatabase("postgres");
      const target = new URL(testDb.url ?? services.postgres ?? "");
      proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
      server = await startServer(
        {
          DATA_DIR: testDb.dataDir,
          DATABASE_URL: proxy.urlFor(testDb.url ?? ""),
          HUSHLINK_ROOT_KEY: ROOT_KEY,
        },
        30_000,
      );
    });
    afterAll(async () => {
      await server?.kill().catch(() => undefined);
      await proxy?.close();
      await testDb?.drop();
    });
    afterEach(() => proxy.restore());

    const stored = (id: string) =>
      testDb.handle.db
        .selectFrom("shares")
        .select(["status", "view_count"])
        .where("id", "=", id)
        .executeTakeFirst();
    const ready = async () =>
      (await call(server.url, "GET", "/readyz")).status === 200 ? true : undefined;

    it("answers 503 `unavailable` while the database is cut off, changes nothing, and recovers without a restart", async ({
      annotate,
    }) => {
      const existing = await buildShare({ maxViews: 2 });
      expect((await create(server.url, existing)).status).toBe(201);
      expect((await call(server.url, "GET", "/readyz")).status).toBe(200);

      proxy.cut("reset");
      const readyz = await call(server.url, "GET", "/readyz");
      expect(readyz).toMatchObject({ status: 503, body: { error: { code: "unavailable" } } });
      const fresh = await buildShare();
      const answers = {
        reveal: await reveal(server.url, existing),
        create: await create(server.url, fresh),
        metadata: await metadata(server.url, existing),
      };
      for (const [what, answer] of Object.entries(answers)) {
        expect({ what, status: answer.status, code: errorCode(answer) }).toEqual({
          what,
          status: 503,
          code: "unavailable",
        });
        expect(answer.ms).toBeLessThan(5_000);
      }
      expect(await call(server.url, "GET", "/healthz")).toMatchObject({ status: 200 });

      proxy.restore();
      const restoredAt = performance.now();
      await waitFor("/readyz 200 after the database is back", ready);
      const recoveryMs = performance.now() - restoredAt;
      await annotate(
        `PostgreSQL reset: /readyz answered 200 again ${recoveryMs.toFixed(0)} ms after the restore`,
      );
      expect(recoveryMs).toBeLessThan(5_000);

      // Nothing was consumed, nothing was created.
      expect(await stored(existing.body.id)).toEqual({ status: "active", view_count: 0 });
      expect(await stored(fresh.body.id)).toBeUndefined();
      expect(await metadata(server.url, fresh)).toMatchObject({ status: 404 });
      // And the same calls work now.
      expect(await reveal(server.url, existing)).toMatchObject({
        status: 200,
        body: { viewsRemaining: 1 },
      });
      expect((await create(server.url, fresh)).status).toBe(201);
      expect(server.output()).not.toContain("unhandled error");
    });

    it("a partition (packets dropped, nothing refused) answers 503 within the timeouts, then recovers", async ({
      annotate,
    }) => {
      const existing = await buildShare({ maxViews: 3 });
      expect((await create(server.url, existing)).status).toBe(201);
      proxy.cut("blackhole");
      const [readyz, revealed, created] = await Promise.all([
        call(server.url, "GET", "/readyz"),
        reveal(server.url, existing),
        create(server.url, await buildShare()),
      ]);
      await annotate(
        `PostgreSQL partition: /readyz ${readyz.status} after ${readyz.ms.toFixed(0)} ms, ` +
          `reveal ${revealed.status} after ${revealed.ms.toFixed(0)} ms, create ${created.status} after ${created.ms.toFixed(0)} ms`,
      );
      for (const answer of [readyz, revealed, created]) {
        expect(answer.status).toBe(503);
        // PG_STATEMENT_TIMEOUT_MS + 1 s (query_timeout) at most, plus a busy machine's slack.
        expect(answer.ms).toBeLessThan(9_000);
      }
      proxy.restore();
      const restoredAt = performance.now();
      await waitFor("/readyz 200 after the partition", ready);
      await annotate(
        `PostgreSQL partition: ready again ${(performance.now() - restoredAt).toFixed(0)} ms after the restore`,
      );
      expect(await stored(existing.body.id)).toEqual({ status: "active", view_count: 0 });
      expect((await reveal(server.url, existing)).status).toBe(200);
    });

    it("a cut in the middle of a burst: every answer is 2xx or 503, and everything acknowledged is stored", async ({
      annotate,
    }) => {
      const old = await Promise.all(Array.from({ length: 40 }, () => buildShare()));
      for (const s of old) expect((await create(server.url, s)).status).toBe(201);
      const fresh = await Promise.all(Array.from({ length: 40 }, () => buildShare()));
      let answered = 0;
      let cut = false;
      const tasks = [
        ...old.map((s) => () => reveal(server.url, s).then((a) => ({ kind: "reveal", s, a }))),
        ...fresh.map((s) => () => create(server.url, s).then((a) => ({ kind: "create", s, a }))),
      ]
        .sort(() => Math.random() - 0.5)
        .map((task) => async () => {
          const result = await task();
          if (++answered === 15 && !cut) {
            cut = true;
            proxy.cut("reset");
          }
          return result;
        });
      const results = await pool(tasks, 10);
      proxy.restore();
      await waitFor("ready after the burst", ready);

      const statuses = results.map((r) => r.a.status);
      expect(statuses.filter((s) => ![200, 201, 503].includes(s))).toEqual([]);
      expect(statuses.filter((s) => s === 503).length).toBeGreaterThan(0);
      let consumedWithout200 = 0;
      for (const { kind, s, a } of results) {
        const row = await stored(s.body.id);
        if (kind === "create" && a.status === 201) expect(row).toBeDefined();
        if (kind === "reveal" && a.status === 200) expect(row?.status).toBe("viewed");
        if (kind === "reveal" && a.status === 503 && row?.status === "viewed") consumedWithout200++;
      }
      await annotate(
        `burst with a cut: ${statuses.filter((s) => s < 300).length} acknowledged, ` +
          `${statuses.filter((s) => s === 503).length} answered 503; reveals committed as the connection dropped ` +
          `(the answer lost in transit): ${consumedWithout200}`,
      );
    });
  });
}

// ---------------------------------------------------------------------------------------------

for (const services of await suitesNeeding("Redis fault tests", ["redis"])) {
  describe("Redis out of reach", () => {
    let proxy: TcpProxy;
    let server: ServerProcess;
    let redis: Redis;
    beforeAll(async () => {
      const target = new URL(services.redis ?? "");
      proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
      redis = new Redis(services.redis ?? "", { lazyConnect: true });
      await redis.connect();
      server = await startServer(
        {
          DATA_DIR: tempDir(),
          REDIS_URL: proxy.urlFor(services.redis ?? ""),
          RATE_LIMIT: "on",
          RATE_LIMIT_REVEAL: "5",
          TRUST_PROXY: "true",
        },
        30_000,
      );
    });
    afterAll(async () => {
      await server?.kill().catch(() => undefined);
      await proxy?.close();
      redis?.disconnect();
    });
    afterEach(() => proxy.restore());

    const ask = (ip: string) => call(server.url, "GET", `/api/v1/shares/${randomId()}`, { ip });
    const statusesFor = async (ip: string, n: number) => {
      const out = [];
      for (let i = 0; i < n; i++) out.push((await ask(ip)).status);
      return out;
    };
    const counted = async (ip: string) => Number(await redis.get(`hushlink:rl:${ip}|reveal`));
    const failOpenLines = () =>
      server
        .output()
        .split("\n")
        .filter((l) => l.includes("failing open to per-instance counting")).length;

    it("counts in Redis, fails open (logged once) while it is gone, and counts there again when it is back", async () => {
      const before = randomIp();
      expect(await statusesFor(before, 6)).toEqual([404, 404, 404, 404, 404, 429]);
      expect(await counted(before)).toBe(6);

      proxy.cut("reset");
      const during = randomIp();
      const first = await ask(during);
      expect(first.status).toBe(404);
      expect(first.ms).toBeLessThan(1_000);
      // Per-instance counting keeps the limit on this instance meanwhile.
      expect(await statusesFor(during, 5)).toEqual([404, 404, 404, 404, 429]);
      expect(await counted(during)).toBe(0);
      await waitFor("the fail-open warning", () => (failOpenLines() === 1 ? true : undefined));

      proxy.restore();
      // The first request after the reconnection (and the retry pause) goes to Redis again.
      await waitFor("rate limits back on Redis", async () => {
        await ask(randomIp());
        return server.output().includes("counting across instances") ? true : undefined;
      });
      const after = randomIp();
      expect(await statusesFor(after, 2)).toEqual([404, 404]);
      expect(await counted(after)).toBe(2);
      expect(failOpenLines()).toBe(1);
      expect(server.output()).not.toContain("unhandled error");
    });

    it("a Redis that stops answering costs at most its command timeout, once a second", async ({
      annotate,
    }) => {
      proxy.cut("blackhole");
      const ip = randomIp();
      const answers = [];
      for (let i = 0; i < 8; i++) answers.push(await ask(ip));
      await annotate(
        `Redis partition: answer times ${answers.map((a) => a.ms.toFixed(0)).join(", ")} ms`,
      );
      expect(answers.map((a) => a.status)).toEqual([404, 404, 404, 404, 404, 429, 429, 429]);
      // ioredis commandTimeout is 500 ms, and Redis is tried again once a second: the requests in
      // between count in memory at once, so eight of them take far less than eight timeouts.
      expect(Math.max(...answers.map((a) => a.ms))).toBeLessThan(2_000);
      expect(answers.reduce((sum, a) => sum + a.ms, 0)).toBeLessThan(3_500);
      proxy.restore();
      await waitFor("Redis counting again", async () => {
        const probe = randomIp();
        await ask(probe);
        return (await counted(probe)) === 1 ? true : undefined;
      });
    });
  });
}

// ---------------------------------------------------------------------------------------------

fullDiskSuite("SQLite on a full disk", { size: "4m", beforeUnmount: killServers }, (mountPoint) => {
  it("refuses creates with 503, keeps serving reads, and writes again once there is room", async ({
    annotate,
  }) => {
    const dataDir = join(mountPoint(), "data");
    const server = await launch({ DATA_DIR: dataDir });
    const before = await Promise.all(Array.from({ length: 5 }, () => buildShare({ maxViews: 3 })));
    for (const s of before) expect((await create(server.url, s)).status).toBe(201);

    // Fill the file system to the last block.
    const filler = join(mountPoint(), "filler");
    const { written, freeBlocks: free } = fillDisk(mountPoint(), filler);
    await annotate(`disk full: filler ${written} bytes, ${free} blocks free`);

    const big = () => buildShare({ text: "x".repeat(60 * 1024) });
    const refused = [];
    for (let i = 0; i < 5; i++) {
      const share = await big();
      const answer = await create(server.url, share);
      refused.push({ share, answer });
    }
    const statuses = refused.map((r) => r.answer.status);
    await annotate(`disk full: creates answered ${statuses.join(", ")}`);
    expect(statuses.filter((s) => s !== 503)).toEqual([]);
    for (const r of refused) expect(errorCode(r.answer)).toBe("unavailable");

    // Reads still work; the process did not crash.
    for (const s of before) {
      expect(await metadata(server.url, s)).toMatchObject({
        status: 200,
        body: { viewsRemaining: 3 },
      });
    }
    expect((await call(server.url, "GET", "/readyz")).status).toBe(200);
    const revealed = await reveal(server.url, before[0]!);
    await annotate(`disk full: a reveal answered ${revealed.status}`);
    expect([200, 503]).toContain(revealed.status);
    expect(server.child.exitCode).toBeNull();

    // Room again: writes work without a restart, and no refused create exists.
    unlinkSync(filler);
    const after = await big();
    expect((await create(server.url, after)).status).toBe(201);
    expect((await reveal(server.url, after)).status).toBe(200);
    for (const r of refused) expect((await metadata(server.url, r.share)).status).toBe(404);
    const expected = revealed.status === 200 ? 2 : 3;
    expect(await metadata(server.url, before[0]!)).toMatchObject({
      body: { viewsRemaining: expected },
    });
    expect((await reveal(server.url, before[0]!)).status).toBe(200);
    expect(server.output()).not.toContain("unhandled error");
  });
});
