/**
 * The shipped server (server/bundle/main.js) started with a preload of a test's own (`--import`),
 * for tests that look inside the process: what it loads (startup-footprint.test.ts), how its heap
 * grows (heap-growth.test.ts). The preload is written to `dir`, DATA_DIR is `dir`/data.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";

import { SHIPPED_MAIN, startServer } from "./server-process.js";

export interface PreloadedServer {
  url: string;
  /** Sends a signal (SIGTERM to stop it, or one the preload listens for). */
  kill: (signal: NodeJS.Signals) => void;
  /** Settles when the process has exited. */
  exited: Promise<unknown>;
}

export async function startWithPreload(
  dir: string,
  preloadSource: string,
  env: Record<string, string>,
  nodeArgs: string[] = [],
): Promise<PreloadedServer> {
  const preload = join(dir, "preload.mjs");
  writeFileSync(preload, preloadSource);
  const server = await startServer(
    // Rate limits on, as the server ships: these tests look at what the shipped process loads
    // and keeps, and startServer's default (off) would leave the limiter out of that picture.
    { DATA_DIR: join(dir, "data"), RATE_LIMIT: "on", ...env },
    // The 30 s these suites have always allowed the bundle and its preload to start.
    30_000,
    [...nodeArgs, "--import", preload],
    SHIPPED_MAIN,
  );
  return { url: server.url, kill: (signal) => server.child.kill(signal), exited: server.exited };
}
