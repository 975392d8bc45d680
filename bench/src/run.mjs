/**
 * npm run bench: load scenarios against the real server as it ships (node server/bundle/main.js
 * as a child process) and a bare Fastify baseline measured in the same run, plus start-up, idle
 * memory and the expiry sweeper on a large backlog. Prints tables and writes
 * bench/results/latest.json.
 *
 * Options:
 *   --quick              3 s per scenario (1 s warm-up), 100k seeded shares: a smoke test
 *   --only=a,b           scenarios: baseline, create, metadata, reveal, cycle, page, sweep,
 *                        files (1 GiB through the API, 256 MiB through the page: lib/files.mjs)
 *                        (the baselines always run when a load scenario does: they are the
 *                        yardsticks; page is the share page in Chromium, see lib/page.mjs)
 *   --connections=N      default 32
 *   --seconds=N          measured seconds per scenario (default 10, quick 3)
 *   --seed=N             expired shares seeded for the sweep (default 1,000,000, quick 100,000)
 *   --profile            run the server under test with --cpu-prof (profiles in bench/profiles/)
 *   --node-args="…"      extra node options for the server under test (experiments)
 *   --server=PATH        the server's entry point under the root (default server/bundle/main.js,
 *                        what ships; server/dist/main.js is tsc's output unbundled)
 *   --server-env=K=V,…   extra environment for the server under test (DATABASE_POOL_SIZE=32, …)
 * Environment:
 *   BENCH_DATABASE_URL   postgres://… to benchmark PostgreSQL (fresh databases are created
 *                        next to it and dropped afterwards); SQLite otherwise
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { sqliteBaselines } from "./lib/baselines.mjs";
import { SealedPool } from "./lib/bodies.mjs";
import { createPostgresDatabase } from "./lib/database.mjs";
import { timeNpmStart } from "./lib/npm-start.mjs";
import { measurePage } from "./lib/page.mjs";
import { filesScenario } from "./lib/files.mjs";
import { median } from "./lib/load.mjs";
import { freePort, memoryOf, spawnNode, waitPortOpen } from "./lib/proc.mjs";
import { ALL, parseArgs } from "./lib/options.mjs";
import { evaluateTargets, newResults, printReport } from "./lib/report.mjs";
import {
  createRequests,
  createTargets,
  cycleRequests,
  revealRequests,
  scenarioRunner,
} from "./lib/scenario.mjs";
import { sweepScenario } from "./lib/sweep.mjs";

const BENCH_DIR = dirname(dirname(fileURLToPath(import.meta.url)));
const ROOT = dirname(BENCH_DIR);
const BASELINE_MAIN = join(BENCH_DIR, "src/baseline-server.mjs");

const opts = parseArgs(process.argv.slice(2));
const SERVER_MAIN = join(ROOT, opts.serverMain);
const databaseUrl = process.env.BENCH_DATABASE_URL || null;
const dialect = databaseUrl ? "postgres" : "sqlite";
const log = (/** @type {string} */ message) =>
  console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);
/** When the idle RSS is first read after the server's first /healthz 200 (issue 24: 1.5 s). */
const EARLY_RSS_MS = 1500;
const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));
const mb = (/** @type {number} */ bytes) => Math.round((bytes / 1024 / 1024) * 10) / 10;

for (const file of [SERVER_MAIN, join(ROOT, "protocol/dist/index.js")]) {
  if (!existsSync(file)) {
    console.error(
      `${file} is missing: build first (npm run build, or npx tsc -b tsconfig.build.json && node scripts/bundle-server.mjs)`,
    );
    process.exit(1);
  }
}

/** Everything to undo at the end, or on Ctrl-C. @type {(() => Promise<unknown>)[]} */
const cleanups = [];
async function cleanup() {
  while (cleanups.length > 0) {
    const fn = /** @type {() => Promise<unknown>} */ (cleanups.pop());
    await fn().catch((/** @type {Error} */ error) => console.error(`cleanup: ${error.message}`));
  }
}
process.on("SIGINT", () => {
  void cleanup().then(() => process.exit(130));
});
for (const event of ["uncaughtException", "unhandledRejection"]) {
  process.on(event, (error) => {
    console.error(error);
    void cleanup().then(() => process.exit(1));
  });
}

const tmpRoot = mkdtempSync(join(tmpdir(), "hushlink-bench-"));
cleanups.push(() => {
  rmSync(tmpRoot, { recursive: true, force: true });
  return Promise.resolve();
});
const profileDir = join(BENCH_DIR, "profiles");

/**
 * A fresh place for the server's data: a DATA_DIR always (root key, SQLite file) and with
 * PostgreSQL a new database.
 * @param {string} label
 * @returns {Promise<import("./lib/sweep.mjs").Store>}
 */
async function freshStore(label) {
  const dataDir = join(tmpRoot, label);
  mkdirSync(dataDir, { recursive: true });
  if (!databaseUrl) return { dataDir, databaseUrl: null, env: {} };
  const db = await createPostgresDatabase(databaseUrl);
  cleanups.push(() => db.drop());
  return {
    dataDir,
    databaseUrl: db.url,
    env: { DATABASE_URL: db.url, HUSHLINK_ROOT_KEY: randomBytes(32).toString("base64") },
  };
}

/**
 * Starts the real server; resolves once /healthz answers 200, or with `untilOpen` as soon as its
 * port accepts TCP connections (listen() was called; the event loop may still be busy, e.g. with
 * the first sweep, and even its log lines may wait in pino's buffer until that is done).
 * @param {import("./lib/sweep.mjs").Store} store
 * @param {{logLevel?: string, env?: Record<string, string>, profile?: boolean, untilOpen?: boolean}} [options]
 */
async function startServer(
  store,
  { logLevel = "warn", env = {}, profile = false, untilOpen = false } = {},
) {
  const port = await freePort();
  const args = [...opts.nodeArgs];
  if (profile) {
    mkdirSync(profileDir, { recursive: true });
    args.push("--cpu-prof", `--cpu-prof-dir=${profileDir}`);
  }
  args.push(SERVER_MAIN);
  const server = spawnNode({
    label: "server",
    cwd: ROOT,
    port,
    args,
    env: {
      HOST: "127.0.0.1",
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      DATA_DIR: store.dataDir,
      LOG_LEVEL: logLevel,
      RATE_LIMIT: "off",
      ...store.env,
      ...opts.serverEnv,
      ...env,
    },
  });
  cleanups.push(() => server.stop());
  if (untilOpen) {
    await waitPortOpen(port);
    return { server, startupMs: performance.now() - server.spawnedAt };
  }
  const startupMs = await server.waitHealthy();
  return { server, startupMs };
}

/** @type {Record<string, [number, number]>} */
const profileWindows = {};
const { scenario, poolFeeder } = scenarioRunner({ opts, log, profileWindows });

const results = newResults(opts, dialect);

async function main() {
  log(
    `database: ${dialect}${opts.quick ? " (quick)" : ""}; scenarios: ${[...opts.selected].join(", ")}`,
  );
  const baselineBody = await (async () => {
    const pool = new SealedPool({ maxViews: null });
    await pool.fill(1);
    return pool.take().json;
  })();

  // 1. Start-up: the baseline and the real server (on a fresh database each time, so migrations
  // are included) spawned alternately, opts.starts times each; the median counts. The last two stay up.
  const startBaseline = async () => {
    const port = await freePort();
    const child = spawnNode({
      label: "baseline",
      cwd: ROOT,
      port,
      args: [BASELINE_MAIN],
      env: { HOST: "127.0.0.1", PORT: String(port) },
    });
    cleanups.push(() => child.stop());
    return { child, startupMs: await child.waitHealthy() };
  };
  // `npm start` on this installed tree, typed → /healthz 200 (issue 24: ≤ 1.0 s).
  const npmStart = await timeNpmStart({ root: ROOT, dataDir: join(tmpRoot, "npm-start") });
  log(
    `npm start: /healthz 200 after ${Math.round(npmStart.ms)} ms${npmStart.built ? " (it built first)" : ""}`,
  );
  /** @type {number[]} */
  const baseTimes = [];
  /** @type {number[]} */
  const serverTimes = [];
  let base;
  let main;
  for (let i = 0; i < opts.starts; i++) {
    base = await startBaseline();
    baseTimes.push(base.startupMs);
    if (i < opts.starts - 1) await base.child.stop();
    const store = await freshStore(`main${i}`);
    main = await startServer(store, { profile: opts.profile && i === opts.starts - 1 });
    serverTimes.push(main.startupMs);
    if (i < opts.starts - 1) await main.server.stop();
  }
  const { server } = /** @type {NonNullable<typeof main>} */ (main);
  const baseline = /** @type {NonNullable<typeof base>} */ (base).child;

  // 2. Idle memory of both, 1.5 s after the server's /healthz and again once V8's memory reducer
  // has run (it shrinks the heap about 15 s after start-up when nothing happens). The bodies for the create
  // and cycle scenarios are sealed meanwhile (in this process: the servers stay idle).
  const createPool = new SealedPool({ maxViews: null });
  const createFeeder = poolFeeder(createPool, 1);
  const cyclePool = new SealedPool({ maxViews: 1 });
  const cycleFeeder = poolFeeder(cyclePool, 0.5);
  const rssOf = (/** @type {{pid: number}} */ child) => memoryOf(child.pid)?.rss ?? 0;
  /** RSS in MB once a second from 1.5 s after /healthz to the settled reading. */
  /** @type {{server: number[], baseline: number[]}} */
  const series = { server: [], baseline: [] };
  const sample = () => {
    series.server.push(mb(rssOf(server)));
    series.baseline.push(mb(rssOf(baseline)));
  };
  await sleep(EARLY_RSS_MS);
  const early = { server: rssOf(server), baseline: rssOf(baseline) };
  sample();
  const everySecond = setInterval(sample, 1000);
  await Promise.all([
    sleep(Math.max(0, opts.settleMs - EARLY_RSS_MS)),
    opts.selected.has("create") && createFeeder.initial(),
    opts.selected.has("cycle") && cycleFeeder.initial(),
  ]);
  clearInterval(everySecond);
  const settled = opts.settleMs
    ? { server: rssOf(server), baseline: rssOf(baseline) }
    : { server: null, baseline: null };
  for (const [name, times] of /** @type {const} */ ([
    ["baseline", baseTimes],
    ["server", serverTimes],
  ])) {
    results.startup[name] = {
      spawnToHealthyMs: median(times),
      spawnToHealthyAllMs: times.map((t) => Math.round(t)),
      idleRss: early[name],
      idleRssSettled: settled[name],
      idleRssMbEachSecond: series[name],
    };
  }
  results.startup.npmStart = npmStart;
  log(
    `start-up: server ${Math.round(median(serverTimes))} ms, baseline ${Math.round(median(baseTimes))} ms; ` +
      `idle RSS server ${mb(early.server)} → ${mb(settled.server ?? NaN)} MB, baseline ${mb(early.baseline)} → ${mb(settled.baseline ?? NaN)} MB`,
  );

  // 3. The baseline loads (bare, then bare + SQLite insert and reveal in a process of their own),
  // then the real server's scenarios on one process.
  if (opts.selected.has("baseline")) {
    results.scenarios.baseline = await scenario("baseline", {
      port: baseline.port,
      pid: baseline.pid,
      requests: [{ method: "POST", path: "/baseline", body: baselineBody }],
    });
  }
  await baseline.stop();
  if (opts.selected.has("baseline")) {
    const dir = join(tmpRoot, "baseline-sqlite");
    Object.assign(
      results.scenarios,
      await sqliteBaselines({ dir, root: ROOT, main: BASELINE_MAIN, scenario, cleanups }),
    );
  }

  {
    const port = server.port;
    if (opts.selected.has("create")) {
      const stats = await scenario("create", {
        port,
        pid: server.pid,
        prepare: (warm) => createFeeder.prepare(warm),
        requests: createRequests(createPool),
      });
      results.scenarios.create = { ...stats, recycledBodies: createPool.recycled };
    }

    /** @type {{id: string, viewToken: string}[]} */
    let targets = [];
    if (opts.selected.has("metadata") || opts.selected.has("reveal")) {
      targets = await createTargets(port, 1000);
    }
    if (opts.selected.has("metadata")) {
      let i = 0;
      results.scenarios.metadata = await scenario("metadata", {
        port,
        pid: server.pid,
        requests: [
          {
            method: "GET",
            setupRequest: (req) => ({
              ...req,
              path: `/api/v1/shares/${/** @type {{id: string}} */ (targets[i++ % targets.length]).id}`,
            }),
          },
        ],
      });
    }
    if (opts.selected.has("reveal")) {
      results.scenarios.reveal = await scenario("reveal", {
        port,
        pid: server.pid,
        requests: revealRequests(targets),
      });
    }
    if (opts.selected.has("cycle")) {
      const pool = cyclePool;
      const feeder = cycleFeeder;
      let revealed = 0;
      const stats = await scenario("cycle", {
        port,
        pid: server.pid,
        prepare: async (warm) => {
          await feeder.prepare(warm);
          revealed = 0;
        },
        requests: cycleRequests(pool, () => revealed++),
      });
      results.scenarios.cycle = {
        ...stats,
        cyclesPerSecond: revealed / stats.seconds,
        recycledBodies: pool.recycled,
      };
      log(`cycle: ${Math.round(results.scenarios.cycle.cyclesPerSecond)} cycles/s`);
    }
    if (opts.selected.has("page")) {
      results.page = await measurePage({ port, runs: opts.quick ? 1 : 5, log });
    }
    await server.stop();
  }

  if (opts.selected.has("files")) {
    const dir = join(tmpRoot, "files");
    mkdirSync(dir, { recursive: true });
    const args = { freshStore, startServer, memoryOf, dir, log, quick: opts.quick };
    results.files = await filesScenario(args);
  }

  // 4. The sweeper on a backlog of expired shares, under a reveal load.
  if (opts.selected.has("sweep"))
    results.sweep = await sweepScenario({
      opts,
      dialect,
      log,
      freshStore,
      startServer,
      profileWindows,
      results,
    });
}

try {
  await main();
  results.loadavgAfter = loadavg();
  results.finishedAt = new Date().toISOString();
  results.targets = evaluateTargets(results);
  const dir = join(BENCH_DIR, "results");
  mkdirSync(dir, { recursive: true });
  const json = `${JSON.stringify(results, null, 2)}\n`;
  writeFileSync(join(dir, "latest.json"), json);
  if (!opts.quick && opts.selected.size === ALL.length)
    writeFileSync(join(dir, `latest-${dialect}.json`), json);
  printReport(results);
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await cleanup();
  if (opts.profile) {
    writeFileSync(join(profileDir, "windows.json"), `${JSON.stringify(profileWindows, null, 2)}\n`);
    console.error(
      `CPU profiles: ${profileDir} (summarise with node bench/src/profile-summary.mjs <file> --window=<scenario>)`,
    );
  }
}
