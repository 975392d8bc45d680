#!/usr/bin/env node
// Fails the build when the JavaScript that `/` or `/s` loads grows past the budget (gzipped).
// Both routes are the same SPA entry; for each we count the entry with its static imports
// (what the first load fetches) plus the chunks the route loads on use (the QR code after
// creating a share, the Argon2id worker for passwords), so the figure is the worst case.
// Other routes' pages (sign-in pages, the dashboard, the request page) are lazy chunks under
// src/pages/ that / and /s never load, so they are left out of this sum. A page loads the
// message catalog of ONE language (web/lingui-catalogs.ts): the largest catalog is counted, so
// the figure holds for the first load in any language.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const BUDGET_BYTES = 150 * 1024;
/** Lazily loaded pages of other routes; SharePage and ViewPage count even if made lazy. */
const OTHER_ROUTE_PAGE = /^src\/pages\/(?!SharePage\/|ViewPage\/)/;
/** One chunk per language; a page loads one of them. */
const CATALOG = /^virtual:lingui-catalog\//;
const dist = new URL("../dist/", import.meta.url).pathname;
const manifest = JSON.parse(readFileSync(join(dist, ".vite/manifest.json"), "utf8"));

const gz = (file) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

/** Files reached from a manifest key through static imports (and dynamic ones when asked). */
function closure(key, { dynamic }, seen = new Set()) {
  const chunk = manifest[key];
  if (!chunk || seen.has(chunk.file)) return seen;
  seen.add(chunk.file);
  for (const next of chunk.imports ?? []) closure(next, { dynamic }, seen);
  if (dynamic) {
    for (const next of chunk.dynamicImports ?? []) {
      if (!OTHER_ROUTE_PAGE.test(next) && !CATALOG.test(next)) closure(next, { dynamic }, seen);
    }
  }
  return seen;
}

const entryKey = Object.keys(manifest).find(
  (key) => manifest[key].isEntry && key.endsWith("index.html"),
);
if (!entryKey) {
  console.error("check-budget: no index.html entry in the Vite manifest");
  process.exit(1);
}

// Module workers are emitted as assets outside the manifest's chunk graph, with the chunks they
// import themselves (Argon2id, loaded by the worker on use) beside them.
const workers = readdirSync(join(dist, "assets")).filter((f) => /\.worker-[\w-]+\.js$/.test(f));
for (const worker of [...workers]) {
  const code = readFileSync(join(dist, "assets", worker), "utf8");
  for (const [, file] of code.matchAll(/["'`]\.\/([\w.-]+\.js)["'`]/g)) {
    if (!workers.includes(file)) workers.push(file);
  }
}

const catalogs = Object.keys(manifest)
  .filter((key) => CATALOG.test(key))
  .map((key) => ({ locale: key.replace(CATALOG, ""), file: manifest[key].file }))
  .map((catalog) => ({ ...catalog, bytes: gz(catalog.file) }))
  .sort((a, b) => b.bytes - a.bytes);
if (catalogs.length === 0) {
  console.error("check-budget: no message catalogs (virtual:lingui-catalog/*) in the manifest");
  process.exit(1);
}
const largestCatalog = catalogs[0];

const initial = [...closure(entryKey, { dynamic: false })]
  .filter((f) => f.endsWith(".js"))
  .concat(largestCatalog.file);
const onUse = [...closure(entryKey, { dynamic: true })]
  .filter((f) => f.endsWith(".js") && !initial.includes(f))
  .concat(workers.map((f) => `assets/${f}`));

const initialBytes = initial.reduce((n, f) => n + gz(f), 0);
const onUseBytes = onUse.reduce((n, f) => n + gz(f), 0);
const total = initialBytes + onUseBytes;

for (const route of ["/", "/s"]) {
  console.log(
    `budget ${route.padEnd(2)}  first load ${kb(initialBytes)} gzipped (${initial.length} files)` +
      ` + on use ${kb(onUseBytes)} (${onUse.length} files) = ${kb(total)} of ${kb(BUDGET_BYTES)}`,
  );
}
for (const f of [...initial, ...onUse]) console.log(`  ${kb(gz(f)).padStart(9)}  ${f}`);
console.log(
  `catalogs (one loads with the page; the largest, ${largestCatalog.locale}, is counted above): ` +
    catalogs.map((c) => `${c.locale} ${kb(c.bytes)}`).join(", "),
);

// Argon2id's WebAssembly (hash-wasm) is for passwords only: a chunk of its own, loaded on use.
const argon2 = Object.keys(manifest).find((key) => key.includes("node_modules/hash-wasm/"));
if (!argon2 || initial.includes(manifest[argon2].file)) {
  console.error("check-budget: hash-wasm (Argon2id) must load on use, not with the first load");
  process.exit(1);
}

if (total > BUDGET_BYTES) {
  console.error(`check-budget: ${kb(total)} gzipped is over the ${kb(BUDGET_BYTES)} budget`);
  process.exit(1);
}
