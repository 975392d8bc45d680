/**
 * The sweeper scenario: a fresh database with 1,000 live shares (for the reveal load) and a
 * backlog of expired ones seeded straight into the table; the server starts, sweeps once right
 * after listen, and a reveal load runs until its "sweep" log line; then the same process, unloaded.
 */
import { countByStatus, seedExpiredShares } from "./database.mjs";
import { runLoad } from "./load.mjs";
import { peakSampler } from "./proc.mjs";
import { createTargets, monotonicUs, revealRequests as revealsOver } from "./scenario.mjs";

/**
 * @typedef {ReturnType<typeof import("./proc.mjs").spawnNode>} ServerChild
 * @typedef {{dataDir: string, databaseUrl: string | null, env: Record<string, string>}} Store
 */

/**
 * @param {{opts: import("./scenario.mjs").Options, dialect: "sqlite" | "postgres",
 *   log: (m: string) => void, freshStore: (label: string) => Promise<Store>,
 *   startServer: (store: Store, o?: object) => Promise<{server: ServerChild}>,
 *   profileWindows: Record<string, [number, number]>, results: any}} ctx
 */
export async function sweepScenario({
  opts,
  dialect,
  log,
  freshStore,
  startServer,
  profileWindows,
  results,
}) {
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
  const revealRequests = revealsOver(targets);
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
