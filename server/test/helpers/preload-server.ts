/**
 * The shipped server (server/bundle/main.js) started with a preload of a test's own (`--import`),
 * for tests that look inside the process: what it loads (startup-footprint.test.ts), how its heap
 * grows (heap-growth.test.ts). The preload is written to `dir`, DATA_DIR is `dir`/data.
 */
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

import { requireBuiltServer, SHIPPED_MAIN } from "./server-process.js";

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
  requireBuiltServer(SHIPPED_MAIN);
  const preload = join(dir, "preload.mjs");
  writeFileSync(preload, preloadSource);
  const child = spawn(process.execPath, [...nodeArgs, "--import", preload, SHIPPED_MAIN], {
    env: {
      PATH: process.env.PATH ?? "",
      HOST: "127.0.0.1",
      PORT: "0",
      DATA_DIR: join(dir, "data"),
      LOG_LEVEL: "info",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "listening" in 30 s:\n${out}`)), 30_000);
    child.stdout.on("data", () => {
      const match = /"url":"(http:\/\/127\.0\.0\.1:\d+)"[^\n]*"msg":"listening"/.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
  });
  return { url, kill: (signal) => child.kill(signal), exited };
}
