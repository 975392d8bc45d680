/**
 * `npm start` as a person types it on an installed, built tree: from spawning npm to the first
 * GET /healthz 200 (npm's own start-up, the build check of scripts/start.mjs, the server's
 * start-up with migrations on a fresh DATA_DIR).
 */
import { spawn } from "node:child_process";
import { once } from "node:events";

import { freePort, request } from "./proc.mjs";

/** @param {{root: string, dataDir: string}} options @returns {Promise<{ms: number, built: boolean}>} */
export async function timeNpmStart({ root, dataDir }) {
  const port = await freePort();
  const startedAt = performance.now();
  const child = spawn("npm", ["start"], {
    cwd: root,
    // Its own process group, so npm, its shell and the server stop together.
    detached: true,
    stdio: ["ignore", "ignore", "pipe"],
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: process.env.HOME ?? "/tmp",
      HOST: "127.0.0.1",
      PORT: String(port),
      DATA_DIR: dataDir,
      LOG_LEVEL: "warn",
    },
  });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d.toString()));
  const exited = once(child, "exit");
  try {
    for (;;) {
      if (performance.now() - startedAt > 120_000)
        throw new Error(`npm start: no /healthz 200 in 120 s\n${stderr}`);
      try {
        if ((await request({ port, path: "/healthz", timeoutMs: 2_000 })).status === 200) break;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    return { ms: performance.now() - startedAt, built: stderr.includes("building first") };
  } finally {
    if (child.pid) process.kill(-child.pid, "SIGTERM");
    await exited;
  }
}
