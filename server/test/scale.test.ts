/**
 * Scale-out (issue 10): three server processes on one fresh PostgreSQL database and one Redis,
 * sharing HUSHLINK_ROOT_KEY, as behind a load balancer. They keep nothing that matters in memory
 * or on disk: every share is revealed within its limit whichever instance answers, rate limits
 * are counted once across them, each expired share is swept exactly once, and kill -9 of one
 * instance loses nothing it acknowledged.
 * Needs PostgreSQL (TEST_DATABASE_URL) and Redis (REDIS_URL_TEST or a local one); see
 * helpers/services.ts for what happens when they are missing. Needs the build.
 */
import { readdirSync } from "node:fs";

import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { buildShare, type BuiltShare } from "./helpers/builders.js";
import { createTestDatabase, type TestDatabase } from "./helpers/databases.js";
import { call, pool, randomId, randomIp, waitFor, type Answer } from "./helpers/remote.js";
import {
  processScope,
  runServerToExit,
  startServer,
  type ServerProcess,
} from "./helpers/server-process.js";
import { suitesNeeding } from "./helpers/services.js";

const ROOT_KEY = Buffer.alloc(32, 11).toString("base64");
const METRICS_TOKEN = "scale-metrics-token-0123456789";
const { tempDir, removeDirs } = processScope("hushlink-scale-");
afterAll(removeDirs);

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;

describe("start-up", () => {
  it("refuses PostgreSQL without HUSHLINK_ROOT_KEY, before touching the database or the disk", async () => {
    const dataDir = tempDir();
    const { code, output } = await runServerToExit({
      DATA_DIR: dataDir,
      // Nothing listens there: the refusal must come before any connection attempt.
      DATABASE_URL: "postgres://postgres@127.0.0.1:1/none",
    });
    expect(code).toBe(1);
    expect(output).toContain("HUSHLINK_ROOT_KEY");
    expect(output).toContain("every instance must share one root key");
    expect(output).not.toContain("database migration failed");
    expect(output).not.toContain('"msg":"listening"');
    // No key was generated into the data folder: with PostgreSQL it would differ per instance.
    expect(readdirSync(dataDir)).toEqual([]);
  });
});

for (const services of await suitesNeeding("scale-out tests", ["postgres", "redis"])) {
  describe("three instances on one PostgreSQL database and one Redis", () => {
    const revealLimit = 30;
    let testDb: TestDatabase;
    const dataDirs: string[] = [];
    const instances: ServerProcess[] = [];
    const envFor = (dataDir: string) => ({
      DATA_DIR: dataDir,
      DATABASE_URL: testDb.url ?? "",
      DATABASE_POOL_SIZE: "6",
      HUSHLINK_ROOT_KEY: ROOT_KEY,
      REDIS_URL: services.redis ?? "",
      RATE_LIMIT: "on",
      RATE_LIMIT_REVEAL: String(revealLimit),
      TRUST_PROXY: "true",
      SWEEP_INTERVAL: "1",
      METRICS_TOKEN,
    });

    beforeAll(async () => {
      testDb = await createTestDatabase("postgres");
      for (let i = 0; i < 3; i++) dataDirs.push(tempDir());
      // One at a time: the first applies nothing (the test database is migrated), all race-free.
      for (const dir of dataDirs) instances.push(await startServer(envFor(dir), 30_000));
    });
    afterAll(async () => {
      for (const s of instances) await s.kill().catch(() => undefined);
      await testDb?.drop();
    });

    const urls = () => instances.map((s) => s.url);
    const create = (base: string, s: BuiltShare, ip: string) =>
      call(base, "POST", "/api/v1/shares", { body: s.body, ip });
    const reveal = (base: string, s: BuiltShare, ip: string) =>
      call(base, "POST", `/api/v1/shares/${s.body.id}/reveal`, {
        body: { viewToken: s.body.viewToken },
        ip,
      });
    const rows = async (ids: string[]) =>
      new Map(
        (
          await testDb.handle.db
            .selectFrom("shares")
            .select(["id", "status", "view_count", "max_views"])
            .where("id", "in", ids)
            .execute()
        ).map((r) => [r.id, r]),
      );

    it("a mixed load of creates and reveals across all three reveals every share within its limit", async ({
      annotate,
    }) => {
      const plans = await Promise.all(
        Array.from({ length: 300 }, async (_, i) => {
          const maxViews = (i % 5) + 1;
          // Fewer reveals than views, exactly as many, or more: each share is raced.
          const reveals = [Math.max(1, maxViews - 1), maxViews, maxViews + 2][i % 3]!;
          return { share: await buildShare({ maxViews }), maxViews, reveals, ip: randomIp() };
        }),
      );
      const served = new Map<string, number>();
      const started = performance.now();
      const results = await pool(
        plans.map((plan) => async () => {
          const created = await create(pick(urls()), plan.share, plan.ip);
          const answers = await Promise.all(
            Array.from({ length: plan.reveals }, async () => {
              const base = pick(urls());
              served.set(base, (served.get(base) ?? 0) + 1);
              return reveal(base, plan.share, plan.ip);
            }),
          );
          return { plan, created, answers };
        }),
        20,
      );
      const seconds = (performance.now() - started) / 1000;
      const total = results.reduce((n, r) => n + 1 + r.answers.length, 0);
      await annotate(
        `mixed load: ${total} requests in ${seconds.toFixed(1)} s (${(total / seconds).toFixed(0)}/s), ` +
          `reveals per instance ${[...served.values()].join("/")}`,
      );

      const stored = await rows(plans.map((p) => p.share.body.id));
      for (const { plan, created, answers } of results) {
        expect(created.status).toBe(201);
        const ok = answers.filter((a) => a.status === 200).length;
        const others = answers.filter((a) => a.status !== 200).map((a) => a.status);
        const expected = Math.min(plan.reveals, plan.maxViews);
        expect({ id: plan.share.body.id, ok, others: [...new Set(others)] }).toEqual({
          id: plan.share.body.id,
          ok: expected,
          others: plan.reveals > plan.maxViews ? [410] : [],
        });
        const row = stored.get(plan.share.body.id);
        expect(row?.view_count).toBe(expected);
        expect(row?.status).toBe(expected === plan.maxViews ? "viewed" : "active");
      }
    }, 240_000);

    it("rate limits are shared: one address gets exactly RATE_LIMIT_REVEAL answers across the three", async ({
      annotate,
    }) => {
      const ip = randomIp("198.18");
      const answers = await pool(
        Array.from(
          { length: revealLimit * 3 },
          (_, i) => () => call(urls()[i % 3]!, "GET", `/api/v1/shares/${randomId()}`, { ip }),
        ),
        6,
      );
      const byStatus = (s: number) => answers.filter((a) => a.status === s).length;
      await annotate(
        `shared limit: ${answers.length} reads from one address across 3 instances: ` +
          `${byStatus(404)} answered 404, ${byStatus(429)} answered 429`,
      );
      expect(byStatus(404)).toBe(revealLimit);
      expect(byStatus(429)).toBe(revealLimit * 2);
      // Every instance refused some: the budget is one, not three.
      for (let i = 0; i < 3; i++) {
        expect(answers.filter((a, j) => j % 3 === i && a.status === 429).length).toBeGreaterThan(0);
      }
    }, 60_000);

    it("three sweepers running every second expire each share exactly once", async ({
      annotate,
    }) => {
      const shares = await Promise.all(Array.from({ length: 200 }, () => buildShare()));
      const created = await pool(
        shares.map((s, i) => () => create(urls()[i % 3]!, s, randomIp())),
        10,
      );
      expect(created.filter((a) => a.status !== 201)).toEqual([]);
      const before = sweptCounts();

      // 49 copies of each under new ids (column-agnostic SQL), so the backlog spans several
      // sweep batches (1000) and the instances split it; then all expired a second ago, straight
      // in the database: the instances find out on their own.
      const ids = await testDb.handle.db.connection().execute(async (conn) => {
        await sql`create temporary table sweep_copies as
          select s.* from shares s, generate_series(1, 49) where s.id in (${sql.join(shares.map((s) => s.body.id))})`.execute(
          conn,
        );
        await sql`update sweep_copies set id = 'sweep' || substr(md5(random()::text || clock_timestamp()::text), 1, 17)`.execute(
          conn,
        );
        await sql`insert into shares select * from sweep_copies`.execute(conn);
        const copies = await sql<{ id: string }>`select id from sweep_copies`.execute(conn);
        await sql`drop table sweep_copies`.execute(conn);
        return [...shares.map((s) => s.body.id), ...copies.rows.map((r) => r.id)];
      });
      expect(ids).toHaveLength(10_000);
      await testDb.handle.db
        .updateTable("shares")
        .set({ expires_at: Date.now() - 1_000 })
        .where("id", "in", ids)
        .execute();

      const remaining = () =>
        testDb.handle.db
          .selectFrom("shares")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .where("id", "in", ids)
          .where("status", "!=", "expired")
          .executeTakeFirstOrThrow();
      await waitFor(
        "every share expired",
        async () => (Number((await remaining()).n) === 0 ? true : undefined),
        60_000,
        200,
      );
      const tombstones = await testDb.handle.db
        .selectFrom("shares")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("id", "in", ids)
        .where("status", "=", "expired")
        .where("ciphertext", "is", null)
        .whereRef("gone_at", "=", "expires_at")
        .executeTakeFirstOrThrow();
      expect(Number(tombstones.n)).toBe(10_000);

      // Each instance logs how many rows its own UPDATEs changed: a share expired twice would
      // push the total past 10,000, now or at a later sweep.
      const sweptSince = () => sweptCounts().map((n, i) => n - (before[i] ?? 0));
      const split = await waitFor("the sweep log lines", () => {
        const now = sweptSince();
        return now.reduce((a, b) => a + b, 0) === 10_000 ? now : undefined;
      });
      // No sleep: two more sweeps finished on every instance (hushlink_sweeps_total), so each
      // has run one whole sweep that began after every share was expired, and none expired any
      // of them again.
      const runs = await sweepRuns();
      await waitFor("two more sweeps on every instance", async () =>
        (await sweepRuns()).every((n, i) => n >= runs[i]! + 2) ? true : undefined,
      );
      expect(sweptSince().reduce((a, b) => a + b, 0)).toBe(10_000);
      await annotate(
        `sweeper: 10000 expired shares, split ${split.join("/")} across the instances`,
      );
    }, 120_000);

    /** Sweeps each instance has finished (its hushlink_sweeps_total). */
    async function sweepRuns(): Promise<number[]> {
      return Promise.all(
        urls().map(async (base) => {
          const text = (
            await call(base, "GET", "/metrics", {
              headers: { authorization: `Bearer ${METRICS_TOKEN}` },
            })
          ).body.text;
          const n = /^hushlink_sweeps_total (\d+)$/m.exec(String(text))?.[1];
          if (n === undefined) throw new Error(`no hushlink_sweeps_total from ${base}`);
          return Number(n);
        }),
      );
    }

    /** Shares each instance's sweeper reports having expired (its "sweep" log lines). */
    function sweptCounts(): number[] {
      return instances.map((s) =>
        s
          .output()
          .split("\n")
          .filter((l) => l.includes('"msg":"sweep"'))
          .reduce((n, l) => n + Number(/"expired":(\d+)/.exec(l)?.[1] ?? 0), 0),
      );
    }

    it("kill -9 of one instance mid-load loses nothing it acknowledged", async ({ annotate }) => {
      const existing = await Promise.all(
        Array.from({ length: 100 }, () => buildShare({ maxViews: 2 })),
      );
      const ipOf = new Map(existing.map((s) => [s.body.id, randomIp()]));
      for (const [i, s] of existing.entries()) {
        expect((await create(urls()[i % 3]!, s, ipOf.get(s.body.id)!)).status).toBe(201);
      }
      const fresh = await Promise.all(
        Array.from({ length: 150 }, () => buildShare({ maxViews: 2 })),
      );

      const victim = instances[2]!;
      const victimUrl = victim.url;
      let acks = 0;
      let killed = false;
      type Done = { kind: "create" | "reveal"; share: BuiltShare; base: string; answer: Answer };
      const tasks: (() => Promise<Done>)[] = [
        ...fresh.map((share) => ({ kind: "create" as const, share })),
        ...existing.flatMap((share) => [
          { kind: "reveal" as const, share },
          { kind: "reveal" as const, share },
          { kind: "reveal" as const, share },
        ]),
      ]
        .sort(() => Math.random() - 0.5)
        .map(({ kind, share }, i) => async () => {
          const base = urls()[i % 3]!;
          const ip = ipOf.get(share.body.id) ?? randomIp();
          const answer =
            kind === "create" ? await create(base, share, ip) : await reveal(base, share, ip);
          if (answer.status > 0 && answer.status < 300 && ++acks === 60 && !killed) {
            killed = true;
            await victim.kill();
          }
          return { kind, share, base, answer };
        });
      const results = await pool(tasks, 20);
      expect(killed).toBe(true);

      // The survivors answered everything sent to them.
      const survivors = results.filter((r) => r.base !== victimUrl);
      expect(survivors.filter((r) => r.answer.status === 0)).toEqual([]);
      expect(
        survivors
          .filter((r) => ![200, 201, 410].includes(r.answer.status))
          .map((r) => r.answer.status),
      ).toEqual([]);
      const unanswered = results.filter((r) => r.answer.status === 0);
      expect(unanswered.length).toBeGreaterThan(0);

      const stored = await rows([...fresh, ...existing].map((s) => s.body.id));
      // Every acknowledged create is there with its views.
      for (const r of results.filter((r) => r.kind === "create" && r.answer.status === 201)) {
        expect(stored.get(r.share.body.id)).toMatchObject({ max_views: 2 });
      }
      // Every acknowledged reveal is counted; none beyond the limit; the difference is only
      // reveals the victim took without getting to answer.
      let lostAnswers = 0;
      for (const s of existing) {
        const mine = results.filter((r) => r.kind === "reveal" && r.share === s);
        const ok = mine.filter((r) => r.answer.status === 200).length;
        const row = stored.get(s.body.id);
        expect(row?.view_count).toBeGreaterThanOrEqual(ok);
        expect(row?.view_count).toBeLessThanOrEqual(2);
        expect(row?.status).toBe(row?.view_count === 2 ? "viewed" : "active");
        lostAnswers += (row?.view_count ?? 0) - ok;
      }
      const unansweredReveals = unanswered.filter((r) => r.kind === "reveal").length;
      expect(lostAnswers).toBeLessThanOrEqual(unansweredReveals);
      await annotate(
        `kill -9: ${results.length} requests, ${acks} acknowledged, ${unanswered.length} unanswered by the killed instance; ` +
          `views consumed without an answer: ${lostAnswers}`,
      );

      // The instance comes back on the same database and sees the same state.
      const back = await startServer(envFor(dataDirs[2]!), 30_000);
      instances[2] = back;
      const sample = existing[0]!;
      const meta = await call(back.url, "GET", `/api/v1/shares/${sample.body.id}`, {
        ip: randomIp(),
      });
      const row = stored.get(sample.body.id);
      if (row?.status === "viewed") expect(meta.status).toBe(410);
      else expect(meta.body).toMatchObject({ viewsRemaining: 2 - (row?.view_count ?? 0) });
    }, 240_000);

    it("instances keep nothing on their own disk", () => {
      for (const dir of dataDirs) expect(readdirSync(dir)).toEqual([]);
    });
  });
}
