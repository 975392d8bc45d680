/**
 * Two builds of the server side by side, measured in interleaved windows: a before/after
 * comparison that a loaded machine cannot tilt as easily as two separate bench runs (both servers
 * live through the same minutes; each pair swaps which goes first). SQLite only.
 *
 *   node bench/src/ab.mjs --a=PATH --b=PATH [--pairs=6] [--seconds=3] [--only=metadata,create,reveal]
 *
 * PATH is a server entry point under the root, as run.mjs's --server (e.g. a copy of main's
 * server/bundle). Each server gets a fresh DATA_DIR under the system's temp folder and 1,000
 * unlimited-view shares for metadata and reveal. Prints, per scenario and pair, server CPU µs per
 * answer (from /proc), p99 and req/s of both, and the ratios b ÷ a.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { SealedPool } from "./lib/bodies.mjs";
import { median, runLoad } from "./lib/load.mjs";
import { keyValues } from "./lib/options.mjs";
import { freePort, peakSampler, spawnNode } from "./lib/proc.mjs";
import { createRequests, createTargets, revealRequests } from "./lib/scenario.mjs";

const ROOT = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
const args = keyValues(process.argv.slice(2));
if (!args.a || !args.b) throw new Error("usage: ab.mjs --a=PATH --b=PATH [--pairs=N]");
const pairs = Number(args.pairs ?? 6);
const seconds = Number(args.seconds ?? 3);
/** @type {string[]} */
const only = (args.only ?? "metadata,create,reveal").split(",");
const CONNECTIONS = 32;

/** @param {string} entry */
async function start(entry) {
  const dataDir = mkdtempSync(join(tmpdir(), "hushlink-ab-"));
  const port = await freePort();
  const child = spawnNode({
    label: entry,
    cwd: ROOT,
    port,
    args: [join(ROOT, entry)],
    env: {
      HOST: "127.0.0.1",
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      DATA_DIR: dataDir,
      LOG_LEVEL: "warn",
      RATE_LIMIT: "off",
    },
  });
  await child.waitHealthy();
  const targets = await createTargets(port, 1000);
  const pool = new SealedPool({ maxViews: null });
  await pool.fill(3000);
  /** @type {Record<string, import("autocannon").Request[]>} */
  const requests = {
    metadata: [
      {
        method: "GET",
        setupRequest: (req) => ({
          ...req,
          path: `/api/v1/shares/${targets[Math.floor(Math.random() * targets.length)]?.id}`,
        }),
      },
    ],
    create: createRequests(pool),
    reveal: revealRequests(targets),
  };
  return {
    entry,
    port,
    pid: child.pid,
    requests,
    async stop() {
      await child.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * @param {Awaited<ReturnType<typeof start>>} server
 * @param {string} name
 * @param {number} secs
 */
async function measure(server, name, secs) {
  const sampler = peakSampler(server.pid);
  const stats = await runLoad({
    port: server.port,
    connections: CONNECTIONS,
    seconds: secs,
    requests: server.requests[name] ?? [],
  });
  const { cpuSeconds } = sampler.stop();
  return { cpuUs: (cpuSeconds / stats.responses) * 1e6, p99: stats.p99, rps: stats.rps };
}

const a = await start(args.a);
const b = await start(args.b);
try {
  for (const name of only) for (const server of [a, b]) await measure(server, name, 1);
  /** @type {Record<string, {a: Awaited<ReturnType<typeof measure>>, b: Awaited<ReturnType<typeof measure>>}[]>} */
  const results = Object.fromEntries(only.map((name) => [name, []]));
  for (let p = 0; p < pairs; p++) {
    for (const name of only) {
      const order = p % 2 === 0 ? [a, b] : [b, a];
      const first = await measure(/** @type {typeof a} */ (order[0]), name, seconds);
      const second = await measure(/** @type {typeof a} */ (order[1]), name, seconds);
      const pair = p % 2 === 0 ? { a: first, b: second } : { a: second, b: first };
      results[name]?.push(pair);
      console.log(
        `pair ${p + 1} ${name}: CPU ${pair.a.cpuUs.toFixed(1)} -> ${pair.b.cpuUs.toFixed(1)} µs/req ` +
          `(${(pair.b.cpuUs / pair.a.cpuUs).toFixed(2)}×), p99 ${pair.a.p99.toFixed(1)} -> ` +
          `${pair.b.p99.toFixed(1)} ms, ${Math.round(pair.a.rps)} -> ${Math.round(pair.b.rps)} req/s, ` +
          `load ${loadavg()[0]?.toFixed(1)}`,
      );
    }
  }
  for (const name of only) {
    const rows = results[name] ?? [];
    const ratios = rows.map((r) => r.b.cpuUs / r.a.cpuUs);
    const p99s = rows.map((r) => r.b.p99 / r.a.p99);
    console.log(
      `${name}: CPU µs/req median ${median(rows.map((r) => r.a.cpuUs)).toFixed(1)} -> ` +
        `${median(rows.map((r) => r.b.cpuUs)).toFixed(1)}, b ÷ a median ${median(ratios).toFixed(2)}× ` +
        `(pairs ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}, ` +
        `${ratios.filter((r) => r < 1).length} of ${ratios.length} below 1); ` +
        `p99 median ${median(rows.map((r) => r.a.p99)).toFixed(1)} -> ${median(rows.map((r) => r.b.p99)).toFixed(1)} ms ` +
        `(b ÷ a median ${median(p99s).toFixed(2)}×)`,
    );
  }
} finally {
  await a.stop();
  await b.stop();
}
