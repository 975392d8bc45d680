#!/usr/bin/env node
// Fails the build when the JavaScript that `/` or `/s` loads grows past the budget (gzipped).
// Both routes are the same SPA entry; for each we count the entry with its static imports
// (what the first load fetches) plus the chunks the route loads on use (the QR code after
// creating a share, the Argon2id worker for passwords), so the figure is the worst case.
// Other routes' pages (sign-in pages, the dashboard, the request page) are lazy chunks under
// src/pages/ that / and /s never load, so they are left out of this sum. Each page also loads the
// message catalogs of its areas in ONE language (web/src/i18n/page-areas.ts): "/" common and
// share, "/s" common and view. The language whose catalogs are largest is counted, so the figure
// holds for the first load in any language.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const BUDGET_BYTES = 150 * 1024;
/** Lazily loaded pages of other routes; SharePage and ViewPage count even if made lazy. */
const OTHER_ROUTE_PAGE = /^src\/pages\/(?!SharePage\/|ViewPage\/)/;
/** One chunk per language and area: `virtual:lingui-catalog/<locale>/<area>`. */
const CATALOG = /^virtual:lingui-catalog\//;
/** The areas each budgeted route loads (web/src/i18n/page-areas.ts). */
const ROUTE_AREAS = { "/": ["common", "share"], "/s": ["common", "view"] };
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

const catalogs = new Map(); // locale → area → gzipped bytes
for (const key of Object.keys(manifest).filter((k) => CATALOG.test(k))) {
  const [locale, area] = key.replace(CATALOG, "").split("/");
  if (!area) continue;
  if (!catalogs.has(locale)) catalogs.set(locale, new Map());
  catalogs.get(locale).set(area, { file: manifest[key].file, bytes: gz(manifest[key].file) });
}
if (catalogs.size === 0) {
  console.error("check-budget: no message catalogs (virtual:lingui-catalog/*) in the manifest");
  process.exit(1);
}
/** The largest set of catalogs a route loads, over all languages. */
function routeCatalogs(route) {
  let worst = { locale: "", files: [], bytes: 0 };
  for (const [locale, areas] of catalogs) {
    const parts = ROUTE_AREAS[route].map((area) => areas.get(area));
    if (parts.some((part) => !part)) {
      console.error(`check-budget: ${locale} lacks a catalog of ${ROUTE_AREAS[route].join(", ")}`);
      process.exit(1);
    }
    const bytes = parts.reduce((n, part) => n + part.bytes, 0);
    if (bytes > worst.bytes) worst = { locale, files: parts.map((part) => part.file), bytes };
  }
  return worst;
}

const initial = [...closure(entryKey, { dynamic: false })].filter((f) => f.endsWith(".js"));
const onUse = [...closure(entryKey, { dynamic: true })]
  .filter((f) => f.endsWith(".js") && !initial.includes(f))
  .concat(workers.map((f) => `assets/${f}`));

const initialBytes = initial.reduce((n, f) => n + gz(f), 0);
const onUseBytes = onUse.reduce((n, f) => n + gz(f), 0);
let worstTotal = 0;

for (const route of Object.keys(ROUTE_AREAS)) {
  const messages = routeCatalogs(route);
  const first = initialBytes + messages.bytes;
  const total = first + onUseBytes;
  worstTotal = Math.max(worstTotal, total);
  console.log(
    `budget ${route.padEnd(2)}  first load ${kb(first)} gzipped (${initial.length} files and` +
      ` ${messages.files.length} catalogs, largest in ${messages.locale})` +
      ` + on use ${kb(onUseBytes)} (${onUse.length} files) = ${kb(total)} of ${kb(BUDGET_BYTES)}`,
  );
}
for (const f of [...initial, ...onUse]) console.log(`  ${kb(gz(f)).padStart(9)}  ${f}`);
for (const [locale, areas] of catalogs) {
  const sizes = [...areas].map(([area, { bytes }]) => `${area} ${kb(bytes)}`).join(", ");
  console.log(`  catalogs ${locale.padEnd(7)} ${sizes}`);
}

// Argon2id's WebAssembly (hash-wasm) is for passwords only: a chunk of its own, loaded on use.
const argon2 = Object.keys(manifest).find((key) => key.includes("node_modules/hash-wasm/"));
if (!argon2 || initial.includes(manifest[argon2].file)) {
  console.error("check-budget: hash-wasm (Argon2id) must load on use, not with the first load");
  process.exit(1);
}

if (worstTotal > BUDGET_BYTES) {
  console.error(`check-budget: ${kb(worstTotal)} gzipped is over the ${kb(BUDGET_BYTES)} budget`);
  process.exit(1);
}
