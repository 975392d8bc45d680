/**
 * Child processes under test: spawning, readiness (first GET /healthz 200), memory sampling from
 * /proc/<pid>/status, pino log lines, and a clean stop.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import { createInterface } from "node:readline";

/** A TCP port that was free a moment ago on 127.0.0.1. */
export async function freePort() {
  const server = net.createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = /** @type {import("node:net").AddressInfo} */ (server.address());
  server.close();
  await once(server, "close");
  return address.port;
}

/**
 * Resolves once a TCP connection to the port succeeds: the server has called listen(), whether or
 * not its event loop is free to answer yet.
 * @param {number} port
 * @param {number} timeoutMs
 */
export async function waitPortOpen(port, timeoutMs = 30_000) {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const open = await new Promise((resolve) => {
      const socket = net.connect({ host: "127.0.0.1", port });
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`port ${port} did not open within ${timeoutMs} ms`);
}

/**
 * One plain HTTP request without keep-alive (global fetch loads undici lazily, which would skew
 * the start-up timing by tens of milliseconds).
 * @param {{port: number, method?: string, path: string, body?: unknown, timeoutMs?: number}} options
 * @returns {Promise<{status: number, body: string}>}
 */
export function request({ port, method = "GET", path, body, timeoutMs = 10_000 }) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        method,
        path,
        agent: false,
        timeout: timeoutMs,
        headers: payload
          ? { "content-type": "application/json", "content-length": Buffer.byteLength(payload) }
          : {},
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
    req.end(payload);
  });
}

/**
 * Memory figures of a process in bytes (Linux). VmHWM is the peak resident set since start or
 * since the last resetPeak().
 * @param {number} pid
 * @returns {{rss: number, hwm: number} | null}
 */
export function memoryOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (/** @type {string} */ name) =>
      Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0);
    return { rss: kb("VmRSS") * 1024, hwm: kb("VmHWM") * 1024 };
  } catch {
    return null;
  }
}

/**
 * CPU time (user + system) a process has used so far, in seconds, from /proc/<pid>/stat.
 * @param {number} pid
 */
export function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the parenthesised command name; utime and stime are the 14th and 15th fields.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}
/** USER_HZ: 100 on every Linux configuration Node supports. */
const CLOCK_TICKS = 100;

/**
 * Resets VmHWM to the current RSS (writing 5 to clear_refs, Linux ≥ 4.0), so each scenario gets
 * its own peak. Returns false where that is not allowed; the sampled maximum still works then.
 * @param {number} pid
 */
export function resetPeak(pid) {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
    return true;
  } catch {
    return false;
  }
}

/**
 * Samples VmRSS every `intervalMs` until stopped; the peak is the larger of the sampled maximum
 * and VmHWM (which catches spikes between samples when resetPeak worked). Also measures the CPU
 * time the process used in between.
 * @param {number} pid
 */
export function peakSampler(pid, intervalMs = 100) {
  const hwmReset = resetPeak(pid);
  const cpuStart = cpuSeconds(pid);
  let max = memoryOf(pid)?.rss ?? 0;
  const timer = setInterval(() => {
    const m = memoryOf(pid);
    if (m && m.rss > max) max = m.rss;
  }, intervalMs);
  return {
    /** @returns {{peakRss: number, cpuSeconds: number}} peak RSS in bytes, CPU time used meanwhile */
    stop() {
      clearInterval(timer);
      const m = memoryOf(pid);
      if (m) max = Math.max(max, m.rss, hwmReset ? m.hwm : 0);
      return { peakRss: max, cpuSeconds: cpuSeconds(pid) - cpuStart };
    },
  };
}

/**
 * @typedef {object} Child
 * @property {import("node:child_process").ChildProcess} process
 * @property {number} pid
 * @property {number} port
 * @property {number} spawnedAt performance.now() at spawn
 * @property {(predicate: (line: any) => boolean, timeoutMs: number) => Promise<any>} waitForLine
 *   the first pino line (seen so far or to come) matching `predicate`
 * @property {() => Promise<number>} waitHealthy resolves with ms from spawn to the first /healthz 200
 * @property {(graceMs?: number) => Promise<void>} stop SIGTERM, then SIGKILL after graceMs (10 s)
 * @property {() => string} output the last lines of stdout and stderr, for diagnostics
 */

/**
 * Spawns `node <args>` with `env` on top of a minimal environment (the parent's own variables,
 * such as DATABASE_URL or LOG_LEVEL, must not leak into the server under test).
 * @param {{args: string[], env: Record<string, string>, port: number, cwd: string, label: string}} options
 * @returns {Child}
 */
export function spawnNode({ args, env, port, cwd, label }) {
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, args, {
    cwd,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  /** @type {string[]} */
  const tail = [];
  /** @type {Set<(line: any) => void>} */
  const listeners = new Set();
  /**
   * Parsed log lines other than request lines, so a waiter may also find one already past.
   * @type {any[]} pino's JSON lines, of whatever fields each has
   */
  const seen = [];
  const remember = (/** @type {string} */ text) => {
    tail.push(text);
    if (tail.length > 40) tail.shift();
  };
  createInterface({ input: child.stdout }).on("line", (text) => {
    let line = null;
    try {
      line = JSON.parse(text);
    } catch {
      // not a pino line
    }
    // Request log lines arrive by the thousand under load: keep only the interesting ones.
    if (!line || line.msg !== "request") remember(text);
    if (line && line.msg !== "request" && seen.length < 1000) seen.push(line);
    if (line) for (const listener of listeners) listener(line);
  });
  createInterface({ input: child.stderr }).on("line", remember);
  let exited = false;
  /** @type {number | null} */
  let exitCode = null;
  const exit = once(child, "exit").then(([code]) => {
    exited = true;
    exitCode = code;
  });

  const output = () => tail.join("\n");

  return {
    process: child,
    pid: /** @type {number} */ (child.pid),
    port,
    spawnedAt,
    output,
    /**
     * The first log line (past or to come) that `predicate` accepts.
     * @param {(line: any) => boolean} predicate
     * @param {number} timeoutMs
     * @returns {Promise<any>}
     */
    waitForLine(predicate, timeoutMs) {
      return new Promise((resolve, reject) => {
        const past = seen.find(predicate);
        if (past) return resolve(past);
        const timer = setTimeout(() => {
          listeners.delete(listener);
          reject(new Error(`${label}: no matching log line within ${timeoutMs} ms`));
        }, timeoutMs);
        const listener = (/** @type {any} */ line) => {
          if (!predicate(line)) return;
          clearTimeout(timer);
          listeners.delete(listener);
          resolve(line);
        };
        listeners.add(listener);
      });
    },
    async waitHealthy() {
      const deadline = spawnedAt + 30_000;
      while (performance.now() < deadline) {
        if (exited)
          throw new Error(`${label} exited with ${exitCode} before it was healthy:\n${output()}`);
        try {
          const res = await request({ port, path: "/healthz", timeoutMs: 2_000 });
          if (res.status === 200) return performance.now() - spawnedAt;
        } catch {
          // not listening yet
        }
        await new Promise((r) => setTimeout(r, 5));
      }
      throw new Error(`${label} was not healthy within 30 s:\n${output()}`);
    },
    async stop(graceMs = 10_000) {
      if (exited) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await exit;
      clearTimeout(timer);
    },
  };
}
