/**
 * Runs the built server (server/dist/main.js) as a child process, for tests that need real
 * processes: crashes, several instances on one database, start-up failures.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const SERVER_MAIN = fileURLToPath(new URL("../../dist/main.js", import.meta.url));
/** `npm run db:migrate` without its build step. */
export const MIGRATE_MAIN = fileURLToPath(new URL("../../dist/migrate.js", import.meta.url));
/** The server as it ships (`npm start`, the container): tsc's output bundled by the build. */
export const SHIPPED_MAIN = fileURLToPath(new URL("../../bundle/main.js", import.meta.url));

/** A TCP port on 127.0.0.1 that was free a moment ago (for a child process to listen on). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export function requireBuiltServer(main = SERVER_MAIN): void {
  if (!existsSync(main)) {
    throw new Error(`${main} is missing: run \`npm run build\` first (npm test does).`);
  }
}

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
  /** Settles with the exit code when the process has exited. */
  exited: Promise<number | null>;
  /** SIGTERM and wait for exit. */
  stop(): Promise<number | null>;
  /** SIGKILL: no shutdown code runs. */
  kill(): Promise<void>;
}

/**
 * `nodeArgs` go to node before the script (e.g. `--import` of a test's own preload); `main` is the
 * entry point (tsc's output, or SHIPPED_MAIN for the server as it ships).
 */
export async function startServer(
  env: Record<string, string>,
  timeoutMs = 15_000,
  nodeArgs: string[] = [],
  main = SERVER_MAIN,
): Promise<ServerProcess> {
  requireBuiltServer(main);
  const child = spawn(process.execPath, [...nodeArgs, main], {
    env: {
      PATH: process.env.PATH ?? "",
      HOST: "127.0.0.1",
      PORT: "0",
      RATE_LIMIT: "off",
      LOG_LEVEL: "info",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => resolve(code)),
  );

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      // Never leave a half-started server behind.
      child.kill("SIGKILL");
      reject(new Error(`server did not start in ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const onData = () => {
      const match = /"url":"(http:\/\/127\.0\.0\.1:\d+)"[^\n]*"msg":"listening"/.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        child.stdout.off("data", onData);
        resolve(match[1]);
      }
    };
    child.stdout.on("data", onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${out}`));
    });
  });

  return {
    url,
    child,
    output: () => out,
    exited,
    async stop() {
      child.kill("SIGTERM");
      return exited;
    },
    async kill() {
      child.kill("SIGKILL");
      await exited;
    },
  };
}

/**
 * Runs the server (or another built entry point, `main`) to completion, for start-up failures,
 * and returns its exit code and output.
 */
export function runServerToExit(
  env: Record<string, string>,
  timeoutMs = 15_000,
  main = SERVER_MAIN,
): Promise<{ code: number | null; output: string }> {
  requireBuiltServer(main);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [main], {
      env: { PATH: process.env.PATH ?? "", HOST: "127.0.0.1", PORT: "0", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`server did not exit in ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/**
 * What a suite of real processes leaves behind: the folders `tempDir()` makes (named after
 * `prefix`) and the servers pushed on `servers`. `killServers` SIGKILLs those servers,
 * `removeDirs` deletes the folders, `cleanup` does both in that order.
 */
export function processScope(prefix: string) {
  const dirs: string[] = [];
  const servers: ServerProcess[] = [];
  const killServers = async () => {
    for (const s of servers.splice(0)) await s.kill().catch(() => undefined);
  };
  const removeDirs = () => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  };
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };
  const cleanup = async () => {
    await killServers();
    removeDirs();
  };
  return { servers, tempDir, killServers, removeDirs, cleanup };
}
