/**
 * A real server process and the built `hushlink` command run as a child process, for CLI
 * end-to-end suites that need their own server settings (files.e2e.test.ts).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { freePort } from "../../server/test/helpers/server-process.js";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const BIN = join(ROOT, "cli/bin/hushlink.js");

export interface LiveServer {
  base: string;
  stop(): Promise<void>;
}

export async function startServer(
  work: string,
  env: Record<string, string> = {},
): Promise<LiveServer> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let log = "";
  const server: ChildProcess = spawn(process.execPath, ["server/dist/main.js"], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: work,
      HOST: "127.0.0.1",
      PORT: String(port),
      PUBLIC_URL: base,
      DATA_DIR: join(work, "data"),
      RATE_LIMIT: "off",
      LOG_LEVEL: "warn",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  server.stdout?.on("data", (chunk: Buffer) => (log += chunk.toString()));
  server.stderr?.on("data", (chunk: Buffer) => (log += chunk.toString()));
  const stop = async () => {
    if (server.exitCode !== null) return;
    const exited = new Promise((resolve) => server.once("exit", resolve));
    server.kill("SIGTERM");
    await exited;
  };
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null)
      throw new Error(`The server exited with ${server.exitCode}:\n${log}`);
    try {
      if ((await fetch(`${base}/healthz`)).ok) return { base, stop };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stop();
  throw new Error(`The server did not answer /healthz within 20 s:\n${log}`);
}

export interface Run {
  code: number | null;
  stdout: Buffer;
  stderr: string;
  /** Peak resident memory of the CLI process in KiB, when measured (GNU time). */
  maxRssKiB: number | null;
}

/** Runs the built CLI without a terminal, optionally under GNU time to read its peak memory. */
export function hushlink(
  server: string,
  work: string,
  args: string[],
  options: {
    input?: string | Buffer;
    cwd?: string;
    measure?: boolean;
    timeoutMs?: number;
    env?: Record<string, string>;
  } = {},
): Promise<Run> {
  const command = options.measure ? "/usr/bin/time" : process.execPath;
  const prefix = options.measure ? ["-f", "MAXRSS=%M", process.execPath] : [];
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...prefix, BIN, ...args], {
      cwd: options.cwd ?? ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: work,
        XDG_CONFIG_HOME: join(work, "config"),
        HUSHLINK_SERVER: server,
        ...options.env,
      },
      detached: true,
      stdio: ["pipe", "pipe", "pipe"],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 120_000);
    child.once("error", reject);
    child.once("close", (code) => {
      clearTimeout(timer);
      let text = Buffer.concat(stderr).toString("utf8");
      const rss = /MAXRSS=(\d+)\s*$/.exec(text);
      if (rss) text = text.slice(0, rss.index);
      resolve({
        code,
        stdout: Buffer.concat(stdout),
        stderr: text,
        maxRssKiB: rss ? Number(rss[1]) : null,
      });
    });
    child.stdin.on("error", () => undefined); // the CLI may exit before reading all of stdin
    child.stdin.end(options.input ?? "");
  });
}
