/**
 * Two builds' apps in one process, the same anonymous requests by `app.inject` in alternating
 * batches, server CPU (`process.cpuUsage`) per request: a before/after comparison that a machine
 * at load 10-25 tilts far less than HTTP pairs (both apps share every second of the run, and no
 * load generator competes for the cores). light-my-request's own work is in both sides.
 *
 *   node bench/src/inproc.mjs --a=server/.tmp/dist-before --b=server/dist [--rounds=12] [--batch=2000]
 *     [--only=metadata,reveal,create] [--level=warn] [--windows=DIR] [--postgres=ADMIN_URL]
 *
 * --a and --b are tsc output folders of the server (server/dist, or a copy of another build's in
 * server/.tmp/, which git ignores), under the root so that their packages resolve. Each app gets
 * a fresh SQLite DATA_DIR and 1,000 unlimited-view shares; with --postgres (postgres://…/postgres), a
 * fresh PostgreSQL database of its own beside that URL instead, dropped at the end (process CPU is
 * then the server's JavaScript only: PostgreSQL's own work is in its backends). Prints per scenario the medians of both, b ÷ a per round, and how many
 * rounds were below 1. With `node --cpu-prof --cpu-prof-dir=DIR` and --windows=DIR, each
 * scenario's measured span goes to DIR/windows.json for profile-summary.mjs's --window.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Writable } from "node:stream";

import { SealedPool } from "./lib/bodies.mjs";
import { createPostgresDatabase } from "./lib/database.mjs";
import { median } from "./lib/load.mjs";
import { keyValues } from "./lib/options.mjs";

const args = keyValues(process.argv.slice(2));
if (!args.a || !args.b) throw new Error("usage: inproc.mjs --a=DIST --b=DIST [--rounds=N]");
const rounds = Number(args.rounds ?? 12);
const batch = Number(args.batch ?? 2000);
const level = args.level ?? "warn";
const only = (args.only ?? "metadata,reveal").split(",");

/** @param {string} dist */
async function start(dist) {
  const root = resolve(dist);
  const { buildApp } = await import(join(root, "app.js"));
  const { loadConfig } = await import(join(root, "config.js"));
  const { openDatabase } = await import(join(root, "db/database.js"));
  const { migrateToLatest } = await import(join(root, "db/migrator.js"));
  const { createLogger } = await import(join(root, "logger.js"));
  const dataDir = mkdtempSync(join(tmpdir(), "hushlink-inproc-"));
  const postgres = args.postgres ? await createPostgresDatabase(args.postgres) : null;
  const config = loadConfig({
    DATA_DIR: dataDir,
    PUBLIC_URL: "http://127.0.0.1:3000",
    RATE_LIMIT: "off",
    LOG_LEVEL: level,
    // PostgreSQL asks for the root key by name: the same one buildApp is handed below.
    ...(postgres
      ? { DATABASE_URL: postgres.url, HUSHLINK_ROOT_KEY: Buffer.alloc(32, 7).toString("base64") }
      : {}),
  });
  const database = openDatabase({ databaseUrl: config.databaseUrl, dataDir });
  await migrateToLatest(database.db);
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  const { app } = await buildApp({
    config,
    database,
    logger: createLogger(level, sink),
    rootKey: Buffer.alloc(32, 7),
  });
  await app.ready();
  const pool = new SealedPool({ maxViews: null });
  // Bodies for the creates only when they are measured: sealing is the harness's work.
  await pool.fill(1000 + (only.includes("create") ? (rounds + 1) * batch : 0));
  /** @type {{id: string, viewToken: string}[]} */
  const targets = [];
  for (let i = 0; i < 1000; i += 1) {
    const body = pool.take();
    const res = await app.inject({
      method: "POST",
      url: "/api/v1/shares",
      headers: { "content-type": "application/json" },
      payload: body.json,
    });
    if (res.statusCode !== 201) throw new Error(`create answered ${res.statusCode}`);
    targets.push(body);
  }
  const pick = () => targets[Math.floor(Math.random() * targets.length)];
  /** @type {Record<string, () => Promise<{statusCode: number}>>} */
  const requests = {
    metadata: () => app.inject({ method: "GET", url: `/api/v1/shares/${pick()?.id}` }),
    reveal: () => {
      const target = pick();
      return app.inject({
        method: "POST",
        url: `/api/v1/shares/${target?.id}/reveal`,
        headers: { "content-type": "application/json" },
        payload: JSON.stringify({ viewToken: target?.viewToken }),
      });
    },
    create: () =>
      app.inject({
        method: "POST",
        url: "/api/v1/shares",
        headers: { "content-type": "application/json" },
        payload: pool.take().json,
      }),
  };
  return {
    dist,
    requests,
    async stop() {
      await app.close();
      await database.close();
      await postgres?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * One batch, 32 requests in flight as the bench's 32 connections; CPU µs per answer.
 * @param {(() => Promise<{statusCode: number}>) | undefined} request
 */
async function measure(request) {
  if (!request) throw new Error(`no such scenario (have: metadata, reveal, create)`);
  let left = batch;
  const worker = async () => {
    while (left-- > 0) {
      const res = await request();
      if (res.statusCode >= 300) throw new Error(`answered ${res.statusCode}`);
    }
  };
  const cpu = process.cpuUsage();
  await Promise.all(Array.from({ length: 32 }, worker));
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / batch;
}

const a = await start(args.a);
const b = await start(args.b);
console.log(
  `load average ${loadavg()
    .map((x) => x.toFixed(1))
    .join(" ")}`,
);
/** @type {Record<string, [number, number]>} CLOCK_MONOTONIC µs, the clock V8 stamps samples with */
const windows = {};
const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);
for (const scenario of only) {
  for (const side of [a, b]) await measure(side.requests[scenario]); // warm-up
  const from = monotonicUs();
  /** @type {{a: number, b: number}[]} */
  const results = [];
  for (let round = 0; round < rounds; round += 1) {
    // The order swaps every round, so neither side always runs on a warmer process.
    const first = round % 2 === 0 ? a : b;
    const second = first === a ? b : a;
    const x = await measure(first.requests[scenario]);
    const y = await measure(second.requests[scenario]);
    results.push(first === a ? { a: x, b: y } : { a: y, b: x });
  }
  windows[scenario] = [from, monotonicUs()];
  const ratios = results.map((r) => r.b / r.a);
  const below = ratios.filter((r) => r < 1).length;
  console.log(
    `${scenario}: a ${median(results.map((r) => r.a)).toFixed(1)} µs/req, b ${median(
      results.map((r) => r.b),
    ).toFixed(1)} µs/req, b ÷ a ${median(ratios).toFixed(2)}× (${Math.min(...ratios).toFixed(
      2,
    )}–${Math.max(...ratios).toFixed(2)}, ${below} of ${rounds} < 1)`,
  );
}
console.log(
  `load average ${loadavg()
    .map((x) => x.toFixed(1))
    .join(" ")}`,
);
if (args.windows) writeFileSync(join(args.windows, "windows.json"), JSON.stringify(windows));
await a.stop();
await b.stop();
