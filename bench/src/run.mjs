/**
 * npm run bench: load scenarios against the real server (node server/dist/main.js as a child
 * process) and a bare Fastify baseline measured in the same run, plus start-up, idle memory and
 * the expiry sweeper on a large backlog. Prints tables and writes bench/results/latest.json.
 *
 * Options:
 *   --quick              3 s per scenario (1 s warm-up), 100k seeded shares: a smoke test
 *   --only=a,b           scenarios: baseline, create, metadata, reveal, cycle, sweep
 *                        (the baseline always runs when a load scenario does: it is the yardstick)
 *   --connections=N      default 32
 *   --seconds=N          measured seconds per scenario (default 10, quick 3)
 *   --seed=N             expired shares seeded for the sweep (default 1,000,000, quick 100,000)
 *   --profile            run the server under test with --cpu-prof (profiles in bench/profiles/)
 *   --node-args="…"      extra node options for the server under test (experiments)
 * Environment:
 *   BENCH_DATABASE_URL   postgres://… to benchmark PostgreSQL (fresh databases are created
 *                        next to it and dropped afterwards); SQLite otherwise
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { SealedPool } from "./lib/bodies.mjs";
import { countByStatus, createPostgresDatabase, seedExpiredShares } from "./lib/database.mjs";
import { runLoad } from "./lib/load.mjs";
import { freePort, memoryOf, peakSampler, request, spawnNode, waitPortOpen } from "./lib/proc.mjs";
import { evaluateTargets, printReport } from "./lib/report.mjs";

const BENCH_DIR = dirname(dirname(fileURLToPath(import.meta.url)));
const ROOT = dirname(BENCH_DIR);
const SERVER_MAIN = join(ROOT, "server/dist/main.js");
const BASELINE_MAIN = join(BENCH_DIR, "src/baseline-server.mjs");

const ALL = ["baseline", "create", "metadata", "reveal", "cycle", "sweep"];
const LOADS = ["create", "metadata", "reveal", "cycle"];

function parseArgs(argv) {
  /** @type {Record<string, string | true>} */
  const flags = {};
  for (const arg of argv) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!m) throw new Error(`unknown argument ${arg}`);
    flags[m[1]] = m[2] ?? true;
  }
  const known = ["quick", "only", "connections", "seconds", "seed", "profile", "node-args"];
  for (const key of Object.keys(flags))
    if (!known.includes(key)) throw new Error(`unknown option --${key}`);
  const quick = flags.quick === true;
  const only = typeof flags.only === "string" ? flags.only.split(",").map((s) => s.trim()) : ALL;
  for (const name of only)
    if (!ALL.includes(name)) throw new Error(`unknown scenario ${name} (${ALL.join(", ")})`);
  const selected = new Set(only);
  if (LOADS.some((s) => selected.has(s))) selected.add("baseline");
  return {
    quick,
    selected,
    connections: Number(flags.connections ?? 32),
    warmup: quick ? 1 : 2,
    seconds: Number(flags.seconds ?? (quick ? 3 : 10)),
    seed: Number(flags.seed ?? (quick ? 100_000 : 1_000_000)),
    profile: flags.profile === true,
    /** Extra node options for the server under test (experiments: --max-semi-space-size=2, --import=…). */
    nodeArgs:
      typeof flags["node-args"] === "string" ? flags["node-args"].split(" ").filter(Boolean) : [],
    /** Start-ups timed per process kind (the median is reported). */
    starts: quick ? 1 : 3,
    /**
     * When the settled idle RSS is read after the server's first /healthz 200 (quick: not at all).
     * V8's memory reducer shrinks an idle heap about 15 s after start-up, later on a busy machine.
     */
    settleMs: quick ? 0 : 30_000,
  };
}

const opts = parseArgs(process.argv.slice(2));
const databaseUrl = process.env.BENCH_DATABASE_URL || null;
const dialect = databaseUrl ? "postgres" : "sqlite";
const log = (message) =>
  console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const mb = (bytes) => Math.round((bytes / 1024 / 1024) * 10) / 10;

for (const file of [SERVER_MAIN, join(ROOT, "protocol/dist/index.js")]) {
  if (!existsSync(file)) {
    console.error(
      `${file} is missing: build first (npm run build, or npx tsc -b tsconfig.build.json)`,
    );
    process.exit(1);
  }
}

/** Everything to undo at the end, or on Ctrl-C. */
const cleanups = [];
async function cleanup() {
  while (cleanups.length > 0) {
    const fn = cleanups.pop();
    await fn().catch((error) => console.error(`cleanup: ${error.message}`));
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
cleanups.push(async () => rmSync(tmpRoot, { recursive: true, force: true }));
const profileDir = join(BENCH_DIR, "profiles");

/**
 * A fresh place for the server's data: a DATA_DIR always (root key, SQLite file) and with
 * PostgreSQL a new database.
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

/**
 * CLOCK_MONOTONIC in µs: the clock of V8's CPU profile timestamps in any process on this
 * machine, so a profile can be cut to a scenario's measured window (profile-summary --window).
 */
const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);
/** @type {Record<string, [number, number]>} */
const profileWindows = {};

/** @param {number[]} values */
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Creates `count` unlimited-view shares over HTTP (16 at a time), for metadata and reveal. */
async function createTargets(port, count) {
  const pool = new SealedPool({ maxViews: null });
  await pool.fill(count);
  const targets = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < count) {
        const item = pool.take();
        next++;
        const res = await request({
          port,
          method: "POST",
          path: "/api/v1/shares",
          body: JSON.parse(item.json),
        });
        if (res.status !== 201)
          throw new Error(`creating a target share answered ${res.status}: ${res.body}`);
        targets.push({ id: item.id, viewToken: item.viewToken });
      }
    }),
  );
  return targets;
}

/**
 * Warm-up, then the measured run, sampling the server's peak RSS during the measured part.
 * `prepare` runs between the two (e.g. to seal enough bodies for the measured rate).
 */
async function scenario(name, { port, pid, requests, prepare }) {
  log(`${name}: warm-up ${opts.warmup} s`);
  const warm = await runLoad({
    port,
    connections: opts.connections,
    seconds: opts.warmup,
    requests,
  });
  if (prepare) await prepare(warm);
  log(`${name}: measuring ${opts.seconds} s`);
  const sampler = peakSampler(pid);
  const startUs = monotonicUs();
  const stats = await runLoad({
    port,
    connections: opts.connections,
    seconds: opts.seconds,
    requests,
  });
  profileWindows[name] = [startUs, monotonicUs()];
  const { peakRss, cpuSeconds } = sampler.stop();
  // Server CPU per answered request: how much work one request is, whatever else the shared
  // machine was doing (req/s also depends on how much CPU the server could get).
  const cpuUsPerRequest = (cpuSeconds / stats.responses) * 1e6;
  log(
    `${name}: ${Math.round(stats.rps)} req/s, p50 ${stats.p50.toFixed(2)} ms, p99 ${stats.p99.toFixed(2)} ms, ` +
      `errors ${stats.errors}, non-2xx ${stats.non2xx}, peak RSS ${mb(peakRss)} MB, ` +
      `server CPU ${Math.round(cpuUsPerRequest)} µs/req (${Math.round((cpuSeconds / stats.seconds) * 100)}% of a core)`,
  );
  return { ...stats, peakRss, cpuSeconds, cpuUsPerRequest, cpuShare: cpuSeconds / stats.seconds };
}

/** Bodies for a pool-fed scenario: enough for the warm-up, then topped up from its rate. */
function poolFeeder(pool, perRequest) {
  return {
    /** Sealed while the servers sit idle for the settled RSS reading (quick runs: just the warm-up). */
    async initial() {
      await pool.fill(Math.ceil((opts.quick ? 3000 * opts.warmup : 30_000) * perRequest));
    },
    /**
     * Tops the pool up for the measured run. The warm-up's rate understates the steady one (the
     * server is still compiling), hence the wide margin.
     * @param {{rps: number}} warm
     */
    async prepare(warm) {
      pool.compact();
      pool.recycled = 0;
      await pool.fill(Math.ceil(warm.rps * perRequest * opts.seconds * 2.5) + 1000);
    },
  };
}

const results = {
  version: 1,
  startedAt: new Date().toISOString(),
  database: dialect,
  quick: opts.quick,
  machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? "", node: process.version },
  loadavgBefore: loadavg(),
  settings: {
    nodeArgs: opts.nodeArgs,
    connections: opts.connections,
    warmupSeconds: opts.warmup,
    seconds: opts.seconds,
    seededShares: opts.seed,
  },
  /** @type {Record<string, any>} */
  scenarios: {},
  /** @type {Record<string, any>} */
  startup: {},
  /** @type {any} */
  sweep: null,
};

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
  const baseTimes = [];
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

  // 2. Idle memory of both, 1 s after the server's /healthz and again once V8's memory reducer
  // has run (it shrinks the heap about 15 s after start-up when nothing happens). The bodies for the create
  // and cycle scenarios are sealed meanwhile (in this process: the servers stay idle).
  const createPool = new SealedPool({ maxViews: null });
  const createFeeder = poolFeeder(createPool, 1);
  const cyclePool = new SealedPool({ maxViews: 1 });
  const cycleFeeder = poolFeeder(cyclePool, 0.5);
  const rssOf = (child) => memoryOf(child.pid)?.rss ?? 0;
  /** RSS in MB once a second from 1 s after /healthz to the settled reading. */
  const series = { server: [], baseline: [] };
  const sample = () => {
    series.server.push(mb(rssOf(server)));
    series.baseline.push(mb(rssOf(baseline)));
  };
  await sleep(1000);
  const early = { server: rssOf(server), baseline: rssOf(baseline) };
  sample();
  const everySecond = setInterval(sample, 1000);
  await Promise.all([
    sleep(Math.max(0, opts.settleMs - 1000)),
    opts.selected.has("create") && createFeeder.initial(),
    opts.selected.has("cycle") && cycleFeeder.initial(),
  ]);
  clearInterval(everySecond);
  const settled = opts.settleMs
    ? { server: rssOf(server), baseline: rssOf(baseline) }
    : { server: null, baseline: null };
  for (const [name, times] of [
    ["baseline", baseTimes],
    ["server", serverTimes],
  ]) {
    results.startup[name] = {
      spawnToHealthyMs: median(times),
      spawnToHealthyAllMs: times.map((t) => Math.round(t)),
      idleRss: early[name],
      idleRssSettled: settled[name],
      idleRssMbEachSecond: series[name],
    };
  }
  log(
    `start-up: server ${Math.round(median(serverTimes))} ms, baseline ${Math.round(median(baseTimes))} ms; ` +
      `idle RSS server ${mb(early.server)} → ${mb(settled.server ?? NaN)} MB, baseline ${mb(early.baseline)} → ${mb(settled.baseline ?? NaN)} MB`,
  );

  // 3. The baseline load, then the real server's scenarios on one process.
  if (opts.selected.has("baseline")) {
    results.scenarios.baseline = await scenario("baseline", {
      port: baseline.port,
      pid: baseline.pid,
      requests: [{ method: "POST", path: "/baseline", body: baselineBody }],
    });
  }
  await baseline.stop();

  {
    const port = server.port;
    if (opts.selected.has("create")) {
      const pool = createPool;
      const feeder = createFeeder;
      const stats = await scenario("create", {
        port,
        pid: server.pid,
        prepare: feeder.prepare,
        requests: [
          {
            method: "POST",
            path: "/api/v1/shares",
            setupRequest: (req) => ({ ...req, body: pool.take().json }),
          },
        ],
      });
      results.scenarios.create = { ...stats, recycledBodies: pool.recycled };
    }

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
              path: `/api/v1/shares/${targets[i++ % targets.length].id}`,
            }),
          },
        ],
      });
    }
    if (opts.selected.has("reveal")) {
      let i = 0;
      results.scenarios.reveal = await scenario("reveal", {
        port,
        pid: server.pid,
        requests: [
          {
            method: "POST",
            setupRequest: (req) => {
              const t = targets[i++ % targets.length];
              return {
                ...req,
                path: `/api/v1/shares/${t.id}/reveal`,
                body: JSON.stringify({ viewToken: t.viewToken }),
              };
            },
          },
        ],
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
        requests: [
          {
            method: "POST",
            path: "/api/v1/shares",
            setupRequest: (req, context) => {
              const item = pool.take();
              context.id = item.id;
              context.viewToken = item.viewToken;
              return { ...req, body: item.json };
            },
          },
          {
            method: "POST",
            setupRequest: (req, context) => ({
              ...req,
              path: `/api/v1/shares/${context.id}/reveal`,
              body: JSON.stringify({ viewToken: context.viewToken }),
            }),
            onResponse: (status) => {
              if (status === 200) revealed++;
            },
          },
        ],
      });
      results.scenarios.cycle = {
        ...stats,
        cyclesPerSecond: revealed / stats.seconds,
        recycledBodies: pool.recycled,
      };
      log(`cycle: ${Math.round(results.scenarios.cycle.cyclesPerSecond)} cycles/s`);
    }
    await server.stop();
  }

  // 3. The sweeper on a backlog of expired shares, under a reveal load.
  if (opts.selected.has("sweep")) results.sweep = await sweepScenario();
}

async function sweepScenario() {
  const store = await freshStore("sweep");
  // Migrate, and create the shares the reveal load will read.
  let targets;
  {
    const { server } = await startServer(store);
    targets = await createTargets(server.port, 1000);
    await server.stop();
  }
  log(`sweep: seeding ${opts.seed.toLocaleString("en")} expired shares`);
  const seedMs = await seedExpiredShares({ dialect, ...store, count: opts.seed });
  log(`sweep: seeded in ${Math.round(seedMs)} ms`);
  // Long enough to judge the 60 s target with a margin; an unfinished sweep is reported with its progress.
  const capMs = 62_000;

  // The load starts as soon as the port is open, not at the first /healthz 200 or the "listening"
  // line: a sweep that holds the event loop delays both. Its duration is taken from the pino
  // timestamps of "listening" (logged just before the sweep starts) and "sweep".
  const { server } = await startServer(store, {
    logLevel: "info",
    env: { SWEEP_INTERVAL: "86400" },
    untilOpen: true,
    profile: opts.profile,
  });
  const sweepStartUs = monotonicUs();
  const portOpenAt = Date.now();
  // pino writes "listening" just before the sweep starts, but a sweep that holds the event loop
  // keeps even that line in the buffer: without it, the port opening is the start.
  const listening = server.waitForLine((l) => l.msg === "listening", capMs).catch(() => null);
  // main.ts runs one sweep right after listen and logs {"msg":"sweep","expired":N} when done.
  const sweepLine = server.waitForLine((l) => l.msg === "sweep", capMs).catch(() => null);
  let i = 0;
  const revealRequests = [
    {
      method: "POST",
      setupRequest: (req) => {
        const t = targets[i++ % targets.length];
        return {
          ...req,
          path: `/api/v1/shares/${t.id}/reveal`,
          body: JSON.stringify({ viewToken: t.viewToken }),
        };
      },
    },
  ];
  log("sweep: reveal load until the sweep line");
  const sampler = peakSampler(server.pid);
  const during = await runLoad({
    port: server.port,
    connections: opts.connections,
    seconds: capMs / 1000,
    // A request held up by the sweep is a latency to report, not an error.
    timeoutSec: capMs / 1000,
    requests: revealRequests,
    stop: sweepLine,
  });
  const { peakRss, cpuSeconds } = sampler.stop();
  profileWindows.sweep = [sweepStartUs, monotonicUs()];
  const line = await sweepLine;
  const listened = await listening;
  const startedAt = listened?.time ?? portOpenAt;
  const sweepMs = line ? line.time - startedAt : null;
  const elapsedMs = Date.now() - startedAt;
  // Requests still waiting when the load stopped are not in the percentiles: flag the case where
  // nothing came back at all (their latency is then at least the time the load ran).
  const revealDuring = {
    ...during,
    unansweredForMs: during.responses === 0 ? Math.round(during.seconds * 1000) : null,
  };
  log(
    line
      ? `sweep: ${line.expired} expired in ${sweepMs} ms; reveal p99 during ${during.p99.toFixed(1)} ms, ${Math.round(during.rps)} req/s`
      : `sweep: not finished within ${capMs / 1000} s`,
  );

  // The unloaded reference: the same process once the sweep is done (same log level, same table).
  // If it never finished, the reveal scenario of this run stands in.
  let after = null;
  if (line) {
    log(`sweep: unloaded reveal (same process, after the sweep) ${opts.seconds} s`);
    const afterStartUs = monotonicUs();
    after = await runLoad({
      port: server.port,
      connections: opts.connections,
      seconds: opts.seconds,
      requests: revealRequests,
    });
    profileWindows["sweep-after"] = [afterStartUs, monotonicUs()];
    log(`sweep: unloaded reveal p99 ${after.p99.toFixed(1)} ms, ${Math.round(after.rps)} req/s`);
  }
  // A server still busy sweeping cannot even run its SIGTERM handler: kill it after 2 s.
  await server.stop(line ? 10_000 : 2_000);
  const statuses = await countByStatus({ dialect, ...store });
  const expired = line?.expired ?? statuses.expired ?? 0;
  return {
    seeded: opts.seed,
    seedMs,
    finished: line !== null,
    expiredLogged: line?.expired ?? null,
    /** Destroyed by the sweep: from its log line, or counted in the database when it did not finish. */
    expired,
    sweepMs,
    sharesPerSecond: (expired / (sweepMs ?? elapsedMs)) * 1000,
    statusesAfter: statuses,
    peakRss,
    cpuSeconds,
    revealDuring,
    revealAfter: after ?? results.scenarios.reveal ?? null,
    unloadedReference: after ? "same process after the sweep" : "reveal scenario of this run",
  };
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
