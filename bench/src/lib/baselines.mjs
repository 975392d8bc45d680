/** The baselines that do database work, in a process of their own (src/baseline-server.mjs). */
import { mkdirSync } from "node:fs";
import { join } from "node:path";

import { SealedPool, SplicedIdBodies } from "./bodies.mjs";
import { freePort, spawnNode } from "./proc.mjs";
import { createRequests, createTargets, revealRequests } from "./scenario.mjs";

/**
 * "bare + SQLite insert" and "bare + SQLite reveal": the baseline server with its own WAL database
 * (a prepared INSERT per create body, a prepared conditional UPDATE … RETURNING per reveal over
 * 1,000 rows inserted through it), the yardsticks of create and reveal.
 * @param {object} run
 * @param {string} run.dir
 * @param {string} run.root
 * @param {string} run.main the baseline server's script
 * @param {ReturnType<typeof import("./scenario.mjs").scenarioRunner>["scenario"]} run.scenario
 * @param {(() => Promise<unknown>)[]} run.cleanups
 */
export async function sqliteBaselines({ dir, root, main, scenario, cleanups }) {
  const port = await freePort();
  mkdirSync(dir, { recursive: true });
  const child = spawnNode({
    label: "baseline-sqlite",
    cwd: root,
    port,
    args: [main],
    env: {
      HOST: "127.0.0.1",
      PORT: String(port),
      BASELINE_SQLITE: join(dir, "baseline.sqlite"),
    },
  });
  cleanups.push(() => child.stop());
  await child.waitHealthy();
  const sealed = new SealedPool({ maxViews: null });
  await sealed.fill(512);
  const bodies = new SplicedIdBodies(sealed);
  const insert = await scenario("baseline-insert", {
    port,
    pid: child.pid,
    requests: createRequests(bodies, "/baseline/shares"),
  });
  const targets = await createTargets(port, 1000, "/baseline/shares");
  const reveal = await scenario("baseline-reveal", {
    port,
    pid: child.pid,
    requests: revealRequests(targets, "/baseline/shares"),
  });
  await child.stop();
  return { "baseline-insert": insert, "baseline-reveal": reveal };
}
