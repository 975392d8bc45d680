/**
 * The CPU time of one Chromium launched by the bench, by process and thread (Linux /proc), so the
 * page's transfers say where their time goes in every run, not only in a one-off profile
 * (bench/README.md, twenty-second round): the renderer's main thread, WebCrypto's pool, the
 * browser's IO thread (Blob bodies and file reads), the network service, the compositor.
 *
 * The browser is found by a switch of no meaning to Chromium that only this launch carries
 * (`chromiumTag`), then its process tree by parent id: other Chromiums on the machine (other
 * engineers' tests) are not counted.
 */
import { readdirSync, readFileSync } from "node:fs";
import { randomBytes } from "node:crypto";

/** USER_HZ, as in proc.mjs. */
const MS_PER_TICK = 10;

/** A command-line switch to pass at launch, marking this browser's process. */
export function chromiumTag() {
  return `--hushlink-bench-tag=${process.pid}-${randomBytes(4).toString("hex")}`;
}

/** @param {string} path */
function read(path) {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null;
  }
}

/** @param {string} stat the text of a /proc stat file: [parent pid, user + system ticks] */
function statFields(stat) {
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return { ppid: fields[1] ?? "", ticks: Number(fields[11]) + Number(fields[12]) };
}

/** The tagged browser's pid and every descendant's. */
function processTree(/** @type {string} */ tag) {
  /** @type {Map<string, string[]>} */
  const children = new Map();
  let root = null;
  for (const pid of readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    const stat = read(`/proc/${pid}/stat`);
    if (stat === null) continue;
    const { ppid } = statFields(stat);
    children.set(ppid, [...(children.get(ppid) ?? []), pid]);
    if (root === null && read(`/proc/${pid}/cmdline`)?.includes(tag)) root = pid;
  }
  const tree = [];
  for (const queue = root === null ? [] : [root]; queue.length > 0;) {
    const pid = /** @type {string} */ (queue.shift());
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** "renderer", "gpu-process", "network", "storage", … or "browser" for the first process. */
function processKind(/** @type {string} */ cmdline) {
  const sub = /--utility-sub-type=([\w.]+)/.exec(cmdline)?.[1];
  if (sub) return sub.split(".")[0] ?? sub;
  return /--type=([\w-]+)/.exec(cmdline)?.[1] ?? "browser";
}

/**
 * CPU milliseconds used so far by each "process/thread" of the tagged browser, threads of one
 * name summed (e.g. `renderer/chromium` is the renderer's main thread, `renderer/ThreadPoolForeg`
 * its pool, where WebCrypto runs).
 * @param {string} tag
 * @returns {Record<string, number>}
 */
export function chromiumCpu(tag) {
  /** @type {Record<string, number>} */
  const ms = {};
  for (const pid of processTree(tag)) {
    const kind = processKind(read(`/proc/${pid}/cmdline`) ?? "");
    /** @type {string[]} */
    let threads;
    try {
      threads = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of threads) {
      const stat = read(`/proc/${pid}/task/${tid}/stat`);
      if (stat === null) continue;
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")).replace(/\d+$/, "");
      const key = `${kind}/${name}`;
      ms[key] = (ms[key] ?? 0) + statFields(stat).ticks * MS_PER_TICK;
    }
  }
  return ms;
}

/**
 * What the browser used between two readings, per MiB moved: the total, then every
 * process/thread of at least 0.1 ms per MiB, largest first.
 * @param {Record<string, number>} before
 * @param {Record<string, number>} after
 * @param {number} mib
 */
export function chromiumCpuPerMiB(before, after, mib) {
  const round = (/** @type {number} */ x) => Math.round(x * 100) / 100;
  const parts = Object.entries(after)
    .map(([key, ms]) => /** @type {[string, number]} */ ([key, (ms - (before[key] ?? 0)) / mib]))
    .sort((a, b) => b[1] - a[1]);
  const total = parts.reduce((sum, [, ms]) => sum + Math.max(0, ms), 0);
  return {
    total: round(total),
    parts: Object.fromEntries(parts.filter(([, ms]) => ms >= 0.1).map(([k, ms]) => [k, round(ms)])),
  };
}

/** "13.9 ms (renderer/chromium 6.6, browser/Chrome_IOThread 2.7, …)": the first few parts. */
export function describeChromiumCpu(/** @type {ReturnType<typeof chromiumCpuPerMiB>} */ cpu) {
  const top = Object.entries(cpu.parts)
    .slice(0, 5)
    .map(([key, ms]) => `${key} ${ms}`);
  return `${cpu.total} ms (${top.join(", ")})`;
}
