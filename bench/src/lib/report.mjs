/**
 * Tables (Markdown, so they paste into bench/README.md as they are) and the targets of issues 11
 * and 24, each judged on ratios measured in the same run.
 */

import { cpus, loadavg } from "node:os";

/** @type {Record<string, string>} */
const LABELS = {
  baseline: "baseline (bare Fastify, POST → 201)",
  "baseline-insert": "bare + SQLite insert (one prepared INSERT, WAL, synchronous=NORMAL)",
  "baseline-reveal": "bare + SQLite reveal (one prepared conditional UPDATE … RETURNING)",
  create: "create POST /api/v1/shares",
  metadata: "metadata GET /api/v1/shares/{id}",
  reveal: "reveal POST …/{id}/reveal (unlimited)",
  cycle: "one-time cycle (create 1-view + reveal)",
};

/** Below this share of a core the baseline was starved by something else on the machine. */
const BUSY_BASELINE_CPU_SHARE = 0.8;

/** @type {(bytes: number) => string} */
const mb = (bytes) => (bytes / 1024 / 1024).toFixed(1);
/** A scenario's label without its parenthesis. @type {(name: string) => string} */
const shortLabel = (name) => (LABELS[name] ?? name).split(" (")[0] ?? name;
/** @type {(a: number, b: number) => number} */
const ratio = (a, b) => (b > 0 ? a / b : NaN);
/** @type {(value: number) => string} */
const x = (value) => (Number.isFinite(value) ? `${value.toFixed(2)}×` : "–");
/** @type {(value: number) => string} */
const int = (value) => Math.round(value).toLocaleString("en");
/** Each load scenario beside the bare route doing the same SQLite work. @type {[string, string][]} */
const YARDSTICKS = [
  ["create", "baseline-insert"],
  ["reveal", "baseline-reveal"],
];

/**
 * The results file of one run, before any scenario: the machine, the settings, empty figures.
 * @param {import("./scenario.mjs").Options} opts
 * @param {"sqlite" | "postgres"} dialect
 */
export function newResults(opts, dialect) {
  return {
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
    page: null,
    /** @type {any} */
    sweep: null,
    /** @type {any} */
    files: undefined,
    /** @type {number[] | undefined} */
    loadavgAfter: undefined,
    /** @type {string | undefined} */
    finishedAt: undefined,
    /** @type {ReturnType<typeof evaluateTargets> | undefined} */
    targets: undefined,
  };
}

/**
 * @param {any} results
 * @returns {{name: string, target: string, measured: string, met: boolean | null}[]}
 */
export function evaluateTargets(results) {
  const s = results.scenarios;
  const base = s.baseline;
  const out = [];
  const mbOf = (/** @type {number} */ bytes) => bytes / 1024 / 1024;
  // Issue 24: against the bare routes doing the same SQLite work.
  for (const [name, yardstick] of YARDSTICKS) {
    if (!s[name] || !s[yardstick]) continue;
    const r = ratio(s[name].rps, s[yardstick].rps);
    out.push({
      name: `${name} req/s ÷ ${shortLabel(yardstick)}`,
      target: "≥ 0.6×",
      measured: `${x(r)} (${int(s[name].rps)} vs ${int(s[yardstick].rps)} req/s)`,
      met: r >= 0.6,
    });
  }
  if (s.metadata && base) {
    const r = ratio(s.metadata.rps, base.rps);
    out.push({
      name: "metadata req/s ÷ bare baseline",
      target: "≥ 0.5×",
      measured: x(r),
      met: r >= 0.5,
    });
  }
  for (const name of ["create", "reveal"]) {
    if (!s[name]) continue;
    const limit = name === "reveal" && results.database === "postgres" ? 20 : 10;
    out.push({
      name: `${name} p99 at ${results.settings.connections} connections (issue 24)`,
      target: `≤ ${limit} ms`,
      measured: `${s[name].p99.toFixed(1)} ms`,
      met: s[name].p99 <= limit,
    });
  }
  for (const name of ["create", "metadata", "reveal", "cycle"]) {
    if (!s[name]) continue;
    const p99 = s[name].p99;
    out.push({
      name: `${name} p99 at ${results.settings.connections} connections`,
      target: "≤ 20 ms",
      measured: `${p99.toFixed(1)} ms (${x(ratio(p99, base?.p99 ?? 0))} baseline)`,
      met: p99 <= 20,
    });
  }
  const loaded = ["create", "metadata", "reveal", "cycle"].filter((n) => s[n]);
  if (loaded.length > 0) {
    const peak = Math.max(...loaded.map((n) => s[n].peakRss));
    out.push({
      name: "server peak RSS under the load scenarios",
      target: "≤ 150 MB",
      measured: `${mb(peak)} MB`,
      met: mbOf(peak) <= 150,
    });
  }
  const server = results.startup.server;
  const baseline = results.startup.baseline;
  const npmStart = results.startup.npmStart;
  if (npmStart) {
    out.push({
      name: "npm start (installed, built tree) → /healthz 200",
      target: "≤ 1.0 s",
      measured: `${int(npmStart.ms)} ms${npmStart.built ? " (it rebuilt first)" : ""}`,
      met: npmStart.ms <= 1000,
    });
  }
  if (server) {
    out.push({
      name: "idle RSS 1.5 s after /healthz",
      target: "≤ 90 MB",
      measured: `${mb(server.idleRss)} MB (${x(ratio(server.idleRss, baseline?.idleRss ?? 0))} baseline)`,
      met: mbOf(server.idleRss) <= 90,
    });
    if (server.idleRssSettled !== null) {
      out.push({
        name: "idle RSS, settled (30 s after start-up)",
        target: "≤ 100 MB",
        measured: `${mb(server.idleRssSettled)} MB (${x(ratio(server.idleRssSettled, baseline?.idleRssSettled ?? 0))} baseline)`,
        met: mbOf(server.idleRssSettled) <= 100,
      });
    }
    out.push({
      name: "spawn → first /healthz 200",
      target: "≤ 1 s",
      measured: `${int(server.spawnToHealthyMs)} ms (${x(ratio(server.spawnToHealthyMs, baseline?.spawnToHealthyMs ?? 0))} baseline)`,
      met: server.spawnToHealthyMs <= 1000,
    });
  }
  const page = results.page;
  if (page) {
    out.push({
      name: "page: Reveal shown after navigation (4× CPU, Slow 4G)",
      target: "≤ 1.5 s",
      measured: `${int(page.throttled.revealShownMs)} ms (unthrottled ${int(page.unthrottled.revealShownMs)} ms)`,
      met: page.throttled.revealShownMs <= 1500,
    });
    out.push({
      name: "page: one-view secret shown after the click (4× CPU, Slow 4G)",
      target: "≤ 1.0 s",
      measured: `${int(page.throttled.revealedMs)} ms (unthrottled ${int(page.unthrottled.revealedMs)} ms)`,
      met: page.throttled.revealedMs <= 1000,
    });
  }
  const sweep = results.sweep;
  if (sweep) {
    const full = sweep.seeded >= 1_000_000;
    const perMillionS = 1_000_000 / sweep.sharesPerSecond;
    out.push({
      name: `sweep of ${int(sweep.seeded)} expired shares`,
      target: "1 M in ≤ 60 s",
      measured: sweep.finished
        ? `${(sweep.sweepMs / 1000).toFixed(1)} s (${int(sweep.sharesPerSecond)} shares/s${full ? "" : `, ≈ ${perMillionS.toFixed(0)} s per 1 M`})`
        : `unfinished: ${int(sweep.expired)} destroyed at ${int(sweep.sharesPerSecond)} shares/s, ≈ ${perMillionS.toFixed(0)} s per 1 M`,
      met: !sweep.finished ? false : full ? sweep.sweepMs <= 60_000 : null,
    });
    if (sweep.revealAfter) {
      const d = sweep.revealDuring;
      const r = ratio(d.p99, sweep.revealAfter.p99);
      out.push({
        name: "reveal p99 during the sweep",
        target: "≤ 2× unloaded",
        measured: d.unansweredForMs
          ? `no reveal answered in ${(d.unansweredForMs / 1000).toFixed(0)} s (unloaded p99 ${sweep.revealAfter.p99.toFixed(1)} ms)`
          : `${d.p99.toFixed(1)} ms vs ${sweep.revealAfter.p99.toFixed(1)} ms (${x(r)})`,
        met: d.unansweredForMs ? false : r <= 2,
      });
    }
  }
  return out;
}

/** @param {any} results */
export function formatReport(results) {
  const s = results.scenarios;
  const base = s.baseline;
  const lines = [];
  const settings = results.settings;
  lines.push(
    `**${results.database === "postgres" ? "PostgreSQL" : "SQLite"}**${results.quick ? " (quick)" : ""} — ` +
      `${settings.connections} connections, ${settings.warmupSeconds} s warm-up + ${settings.seconds} s per scenario; ` +
      `${results.machine.cpus} CPUs, Node ${results.machine.node}; ` +
      `load average ${results.loadavgBefore[0].toFixed(2)} before, ${(results.loadavgAfter ?? [0])[0].toFixed(2)} after; ${results.startedAt.slice(0, 16)}Z`,
  );
  lines.push("");
  // A baseline that got well under a core means something else ran: its req/s, and every
  // req/s ratio to it, are then flattered; CPU per request still compares.
  if (base && base.cpuShare < BUSY_BASELINE_CPU_SHARE) {
    lines.push(
      `> The baseline server got ${Math.round(base.cpuShare * 100)}% of a core (87–98% on a quiet machine): ` +
        "the machine was busy, so req/s ratios in this run are flattered. Compare CPU per request.",
    );
    lines.push("");
  }
  if (Object.keys(s).length > 0) {
    lines.push(
      "| scenario | req/s | × base | p50 ms | p99 ms | p99 × base | errors / non-2xx | peak RSS MB | RSS × base | server CPU µs/req | × base | server CPU use |",
    );
    lines.push(
      "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    );
    for (const name of Object.keys(LABELS)) {
      const r = s[name];
      if (!r) continue;
      const label =
        name === "cycle" ? `${LABELS.cycle}: ${int(r.cyclesPerSecond)} cycles/s` : LABELS[name];
      lines.push(
        `| ${label} | ${int(r.rps)} | ${x(ratio(r.rps, base?.rps ?? 0))} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ` +
          `${x(ratio(r.p99, base?.p99 ?? 0))} | ${r.errors} / ${r.non2xx} | ${mb(r.peakRss)} | ${x(ratio(r.peakRss, base?.peakRss ?? 0))} | ` +
          `${int(r.cpuUsPerRequest)} | ${x(ratio(r.cpuUsPerRequest, base?.cpuUsPerRequest ?? 0))} | ${Math.round(r.cpuShare * 100)}% |`,
      );
    }
    lines.push("");
  }
  const pairs = YARDSTICKS.filter(([a, b]) => s[a] && s[b]);
  if (pairs.length > 0) {
    lines.push("| against the bare route doing the same SQLite work | req/s | p99 | CPU µs/req |");
    lines.push("| --- | ---: | ---: | ---: |");
    for (const [a, b] of pairs) {
      lines.push(
        `| ${a} ÷ ${shortLabel(b)} | ${x(ratio(s[a].rps, s[b].rps))} | ${x(ratio(s[a].p99, s[b].p99))} | ${x(ratio(s[a].cpuUsPerRequest, s[b].cpuUsPerRequest))} |`,
      );
    }
    lines.push("");
  }
  const st = results.startup;
  if (st.server) {
    const runs = st.server.spawnToHealthyAllMs.length;
    lines.push("| start-up and idle memory | server | baseline | × base |");
    lines.push("| --- | ---: | ---: | ---: |");
    lines.push(
      `| spawn → first /healthz 200 (${runs > 1 ? `median of ${runs}, ` : ""}fresh database, migrations included) | ${int(st.server.spawnToHealthyMs)} ms | ${int(st.baseline.spawnToHealthyMs)} ms | ${x(ratio(st.server.spawnToHealthyMs, st.baseline.spawnToHealthyMs))} |`,
    );
    lines.push(
      `| idle RSS 1.5 s after /healthz | ${mb(st.server.idleRss)} MB | ${mb(st.baseline.idleRss)} MB | ${x(ratio(st.server.idleRss, st.baseline.idleRss))} |`,
    );
    if (st.server.idleRssSettled !== null) {
      lines.push(
        `| idle RSS 30 s after /healthz (settled) | ${mb(st.server.idleRssSettled)} MB | ${mb(st.baseline.idleRssSettled)} MB | ${x(ratio(st.server.idleRssSettled, st.baseline.idleRssSettled))} |`,
      );
    }
    lines.push("");
  }
  const pg = results.page;
  if (pg) {
    lines.push(
      `| share page in Chromium, one-view share without password (median of ${pg.throttled.runs.length}) | unthrottled | 4× CPU, Slow 4G |`,
    );
    lines.push("| --- | ---: | ---: |");
    lines.push(
      `| navigation → Reveal button shown | ${int(pg.unthrottled.revealShownMs)} ms | ${int(pg.throttled.revealShownMs)} ms |`,
    );
    lines.push(
      `| navigation → HTML in | ${int(pg.unthrottled.htmlInMs)} ms | ${int(pg.throttled.htmlInMs)} ms |`,
    );
    lines.push(
      `| navigation → metadata in (asked by the early script) | ${int(pg.unthrottled.metadataInMs)} ms | ${int(pg.throttled.metadataInMs)} ms |`,
    );
    lines.push(
      `| navigation → app chunk in (React, the layout) | ${int(pg.unthrottled.appChunkInMs)} ms | ${int(pg.throttled.appChunkInMs)} ms |`,
    );
    lines.push(
      `| navigation → React's first render | ${int(pg.unthrottled.firstRenderMs)} ms | ${int(pg.throttled.firstRenderMs)} ms |`,
    );
    lines.push(
      `| click → secret shown | ${int(pg.unthrottled.revealedMs)} ms | ${int(pg.throttled.revealedMs)} ms |`,
    );
    lines.push("");
  }
  const sw = results.sweep;
  if (sw) {
    const d = sw.revealDuring;
    const a = sw.revealAfter ?? {
      rps: NaN,
      p50: NaN,
      p99: NaN,
      max: NaN,
      errors: "–",
      non2xx: "–",
    };
    const f = (/** @type {number} */ v, digits = 2) =>
      Number.isFinite(v) ? v.toFixed(digits) : "–";
    lines.push(
      `| sweeper, ${int(sw.seeded)} expired shares seeded in ${(sw.seedMs / 1000).toFixed(1)} s | during the sweep | unloaded (${sw.unloadedReference}) | during ÷ unloaded |`,
    );
    lines.push("| --- | ---: | ---: | ---: |");
    lines.push(
      `| sweep duration (pino time of "listening" → "sweep") | ${
        sw.finished
          ? `${(sw.sweepMs / 1000).toFixed(1)} s, ${int(sw.expired)} expired, ${int(sw.sharesPerSecond)}/s`
          : `unfinished: ${int(sw.expired)} expired, ${int(sw.sharesPerSecond)}/s`
      } | | |`,
    );
    lines.push(
      `| reveal req/s | ${int(d.rps)} | ${Number.isFinite(a.rps) ? int(a.rps) : "–"} | ${x(ratio(d.rps, a.rps))} |`,
    );
    lines.push(`| reveal p50 ms | ${f(d.p50)} | ${f(a.p50)} | ${x(ratio(d.p50, a.p50))} |`);
    lines.push(
      d.unansweredForMs
        ? `| reveal p99 ms | none answered in ${int(d.unansweredForMs)} ms | ${f(a.p99)} | |`
        : `| reveal p99 ms | ${f(d.p99)} | ${f(a.p99)} | ${x(ratio(d.p99, a.p99))} |`,
    );
    lines.push(`| reveal max ms | ${f(d.max, 0)} | ${f(a.max, 0)} | |`);
    lines.push(`| errors / non-2xx | ${d.errors} / ${d.non2xx} | ${a.errors} / ${a.non2xx} | |`);
    lines.push(`| server peak RSS | ${mb(sw.peakRss)} MB | | |`);
    lines.push("");
  }
  if (results.targets?.length) {
    lines.push("| target | wanted | measured | met |");
    lines.push("| --- | --- | --- | :-: |");
    for (const t of results.targets) {
      lines.push(
        `| ${t.name} | ${t.target} | ${t.measured} | ${t.met === null ? "n/a" : t.met ? "yes" : "**no**"} |`,
      );
    }
    lines.push("");
  }
  return lines.join("\n");
}

/** @param {any} results */
export function printReport(results) {
  process.stdout.write(`\n${formatReport(results)}\n`);
}
