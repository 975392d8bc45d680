/**
 * One load scenario (warm-up, then the measured run with the server's peak RSS and CPU time), the
 * shares the read scenarios work on, and the sealed-body feeders of the write scenarios.
 */
import { SealedPool } from "./bodies.mjs";
import { runLoad } from "./load.mjs";
import { peakSampler, request } from "./proc.mjs";

/** @typedef {import("autocannon").Request} LoadRequest */
/** @typedef {import("./load.mjs").LoadStats} LoadStats */
/** @typedef {ReturnType<typeof import("./options.mjs").parseArgs>} Options */

const mb = (/** @type {number} */ bytes) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/**
 * CLOCK_MONOTONIC in µs: the clock of V8's CPU profile timestamps in any process on this
 * machine, so a profile can be cut to a scenario's measured window (profile-summary --window).
 */
export const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

/**
 * Creates `count` unlimited-view shares over HTTP (16 at a time), for metadata and reveal.
 * `path` is the create route: the real one, or the SQLite baseline's.
 * @param {number} port
 * @param {number} count
 * @returns {Promise<{id: string, viewToken: string}[]>}
 */
export async function createTargets(port, count, path = "/api/v1/shares") {
  const pool = new SealedPool({ maxViews: null });
  await pool.fill(count);
  /** @type {{id: string, viewToken: string}[]} */
  const targets = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < count) {
        const item = pool.take();
        next++;
        const res = await request({ port, method: "POST", path, body: JSON.parse(item.json) });
        if (res.status !== 201)
          throw new Error(`creating a target share answered ${res.status}: ${res.body}`);
        targets.push({ id: item.id, viewToken: item.viewToken });
      }
    }),
  );
  return targets;
}

/**
 * Reveal requests over `targets`, round robin, on `base` (/api/v1/shares or the baseline's).
 * @param {{id: string, viewToken: string}[]} targets
 * @returns {LoadRequest[]}
 */
export function revealRequests(targets, base = "/api/v1/shares") {
  let i = 0;
  return [
    {
      method: "POST",
      setupRequest: (req) => {
        const t = /** @type {{id: string, viewToken: string}} */ (targets[i++ % targets.length]);
        return {
          ...req,
          path: `${base}/${t.id}/reveal`,
          body: JSON.stringify({ viewToken: t.viewToken }),
        };
      },
    },
  ];
}

/**
 * Create requests, each with the next sealed body of `pool`, on `path`.
 * @param {{take(): {json: string}}} pool
 * @returns {LoadRequest[]}
 */
export function createRequests(pool, path = "/api/v1/shares") {
  return [{ method: "POST", path, setupRequest: (req) => ({ ...req, body: pool.take().json }) }];
}

/**
 * Runs scenarios with the options of one bench run.
 * @param {{opts: Options, log: (m: string) => void, profileWindows: Record<string, [number, number]>}} ctx
 */
export function scenarioRunner({ opts, log, profileWindows }) {
  /**
   * Warm-up, then the measured run, sampling the server's peak RSS during the measured part.
   * `prepare` runs between the two (e.g. to seal enough bodies for the measured rate).
   * @param {string} name
   * @param {{port: number, pid: number, requests: LoadRequest[], prepare?: (warm: LoadStats) => Promise<void>}} load
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

  /**
   * Bodies for a pool-fed scenario: enough for the warm-up, then topped up from its rate.
   * @param {SealedPool} pool
   * @param {number} perRequest bodies one request takes
   */
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

  return { scenario, poolFeeder };
}

/**
 * The one-time cycle: create a 1-view share with the next body of `pool`, then reveal it, on each
 * connection in turn; `onRevealed` counts the successful reveals.
 * @param {SealedPool} pool
 * @param {() => void} onRevealed
 * @returns {LoadRequest[]}
 */
export function cycleRequests(pool, onRevealed) {
  return [
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
        path: `/api/v1/shares/${String(context.id)}/reveal`,
        body: JSON.stringify({ viewToken: context.viewToken }),
      }),
      onResponse: (status) => {
        if (status === 200) onRevealed();
      },
    },
  ];
}
