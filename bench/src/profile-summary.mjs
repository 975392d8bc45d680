/**
 * Summarises a V8 .cpuprofile (node --cpu-prof): self time by function and by file/package, and
 * inclusive time of chosen functions. Usage:
 *   node bench/src/profile-summary.mjs <file.cpuprofile> [--top=30] [--inclusive=name1,name2]
 *     [--window=reveal]   only the samples of that scenario's measured run (from windows.json,
 *                         written next to the profiles by npm run bench -- --profile)
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

const [file, ...rest] = process.argv.slice(2);
if (!file) {
  console.error(
    "usage: node bench/src/profile-summary.mjs <file.cpuprofile> [--top=30] [--inclusive=a,b]",
  );
  process.exit(1);
}
const flag = (/** @type {string} */ name) =>
  rest.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
const top = Number(flag("top") ?? 30);
const inclusiveNames = (flag("inclusive") ?? "").split(",").filter(Boolean);
const windowName = flag("window");

/** @type {{nodes: any[], samples: number[], timeDeltas: number[], startTime: number, endTime: number}} */
const profile = JSON.parse(readFileSync(file, "utf8"));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

/** @type {[number, number]} */
let window = [-Infinity, Infinity];
if (windowName) {
  const file_ = join(dirname(file), "windows.json");
  const windows = existsSync(file_) ? JSON.parse(readFileSync(file_, "utf8")) : {};
  if (!windows[windowName]) {
    console.error(
      `no window "${windowName}" in ${file_} (have: ${Object.keys(windows).join(", ")})`,
    );
    process.exit(1);
  }
  window = windows[windowName];
}

// Self time per node: each sample's delta goes to the node it landed in. Sample timestamps are
// CLOCK_MONOTONIC µs, like the windows.
const self = new Map();
let at = profile.startTime;
for (let i = 0; i < profile.samples.length; i++) {
  const delta = profile.timeDeltas[i] ?? 0;
  at += delta;
  if (at < window[0] || at > window[1]) continue;
  const id = profile.samples[i];
  self.set(id, (self.get(id) ?? 0) + delta);
}
const total = [...self.values()].reduce((a, b) => a + b, 0);

/**
 * Where a frame's code lives: a package, our own dist, Node internals, or a V8 bucket.
 * @param {string} url
 * @param {string} name
 */
function area(url, name) {
  if (!url) return name.startsWith("(") ? name : "(native/V8)";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg?.[1]) return pkg[1];
  if (url.startsWith("node:")) return url.split("/").slice(0, 2).join("/");
  const own = /\/(server|protocol)\/dist\/(.*)$/.exec(url);
  if (own) return `${own[1]}/${own[2]}`;
  return url;
}

/**
 * A frame's file, from the package or project folder on.
 * @param {string} url
 */
function shortUrl(url) {
  const pkg = /node_modules\/(.*)$/.exec(url);
  if (pkg?.[1]) return pkg[1].replace(/\/dist\/(esm|cjs)\//, "/…/");
  const own = /\/(server|protocol|bench)\/(.*)$/.exec(url);
  return own ? `${own[1]}/${own[2]}` : url.replace(/^file:\/\//, "");
}

const fnSelf = new Map();
const areaSelf = new Map();
for (const [id, us] of self) {
  const { functionName, url, lineNumber } = byId.get(id).callFrame;
  const name = functionName || "(anonymous)";
  const where = area(url, name);
  const key = `${name}  ${url ? `${shortUrl(url)}:${lineNumber + 1}` : where}`;
  fnSelf.set(key, (fnSelf.get(key) ?? 0) + us);
  areaSelf.set(where, (areaSelf.get(where) ?? 0) + us);
}

const pct = (/** @type {number} */ us) => `${((us / total) * 100).toFixed(1).padStart(5)}%`;
const ms = (/** @type {number} */ us) => `${(us / 1000).toFixed(0).padStart(7)} ms`;
/** @type {(title: string, map: Map<string, number>) => void} */
const print = (title, map) => {
  console.log(`\n${title}`);
  for (const [k, v] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`${pct(v)} ${ms(v)}  ${k}`);
};

console.log(
  `${file}${windowName ? ` [${windowName}]` : ""}: ${(total / 1e6).toFixed(1)} s sampled`,
);
print("self time by file or package", areaSelf);
print("self time by function", fnSelf);

if (inclusiveNames.length > 0) {
  // Inclusive: a sample counts once for a name if any frame on its stack has that name.
  const incl = new Map(inclusiveNames.map((n) => [n, 0]));
  for (const [id, us] of self) {
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const name = byId.get(cur).callFrame.functionName;
      if (incl.has(name) && !seen.has(name)) {
        seen.add(name);
        incl.set(name, incl.get(name) + us);
      }
    }
  }
  print("inclusive time (any frame on the stack)", incl);
}
