#!/usr/bin/env node
// Fails the build when the JavaScript that `/` or `/s` loads grows past the budget (gzipped).
// Both routes are the same SPA entry, and each route's page is a chunk of its own that main.tsx
// loads beside the catalogs (issue 24); for each route we count the entry and its page with their
// static imports (what the first load fetches) plus the chunks the route loads on use (the QR
// code after creating a share, the Argon2id worker for passwords), so the figure is the worst
// case. Other routes' pages (the other budgeted page, the manage page, sign-in pages, the
// dashboard) are lazy chunks under src/pages/ that the route never loads, so they are left out
// of its sum; the check fails if one of them is in a route's first load. Each page also loads the
// message catalogs of its areas in ONE language (web/src/i18n/page-areas.ts): "/" common and
// share, "/s" common and view. The language whose catalogs are largest is counted, so the figure
// holds for the first load in any language. The HTML's early script (early-start-plugin.ts) is
// counted in each route's first load.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const BUDGET_BYTES = 150 * 1024;
/**
 * Each budgeted route's page: the chunk that web/page-chunks.ts groups it in, with the modules
 * only it needs, loaded with the entry (main.tsx preloadPage).
 */
const ROUTE_PAGE_CHUNK = { "/": "share-page", "/s": "view-page" };
/** Pages that must stay out of a route's first load, besides the other route's page. */
const KEPT_OUT = ["src/pages/ManagePage/ManagePage.tsx"];
const PAGE = /^src\/pages\//;
/** One chunk per language and area: `virtual:lingui-catalog/<locale>/<area>`. */
const CATALOG = /^virtual:lingui-catalog\//;
/** The areas each budgeted route loads (web/src/i18n/page-areas.ts). */
const ROUTE_AREAS = { "/": ["common", "share"], "/s": ["common", "view"] };
const dist = new URL("../dist/", import.meta.url).pathname;
const manifest = JSON.parse(readFileSync(join(dist, ".vite/manifest.json"), "utf8"));

const gz = (file) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

/**
 * Files reached from a manifest key through static imports (and dynamic ones when asked, but
 * not other pages or catalogs: `page` is the one page this route loads).
 */
function closure(key, { dynamic, page }, seen = new Set()) {
  const chunk = manifest[key];
  if (!chunk || seen.has(chunk.file)) return seen;
  seen.add(chunk.file);
  for (const next of chunk.imports ?? []) closure(next, { dynamic, page }, seen);
  if (dynamic) {
    for (const next of chunk.dynamicImports ?? []) {
      if ((isPage(next) && next !== page) || CATALOG.test(next)) continue;
      closure(next, { dynamic, page }, seen);
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
const keyOf = (file) => Object.keys(manifest).find((k) => manifest[k].file === file);
/** Route → the manifest key of its page's chunk, which the entry must import on use only. */
const ROUTE_PAGE = {};
for (const [route, name] of Object.entries(ROUTE_PAGE_CHUNK)) {
  const key = Object.keys(manifest).find((k) => !manifest[k].isEntry && manifest[k].name === name);
  const importers = [...closure(entryKey, { dynamic: false })];
  const onUse = (k) => importers.some((file) => manifest[keyOf(file)]?.dynamicImports?.includes(k));
  if (!key || !onUse(key)) {
    console.error(
      `check-budget: no "${name}" chunk that the entry imports on use (page-chunks.ts)`,
    );
    process.exit(1);
  }
  ROUTE_PAGE[route] = key;
}
const isPage = (key) => PAGE.test(key) || Object.values(ROUTE_PAGE).includes(key);

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

for (const key of KEPT_OUT) {
  if (!manifest[key]?.isDynamicEntry) {
    console.error(`check-budget: ${key} must be a lazily loaded chunk of its own (app.tsx)`);
    process.exit(1);
  }
}

// The HTML's early script (web/early-start-plugin.ts) asks for the page's chunk, its catalogs
// and the share's metadata while the app chunk is still arriving (issue 24): it must be in the
// HTML, as a script of its own (not inside the app chunk's wave), and stay tiny.
const EARLY_MAX_BYTES = 3 * 1024;
const html = readFileSync(join(dist, "index.html"), "utf8");
const early = /<script async src="\/(assets\/early-[\w-]+\.js)"><\/script>/.exec(html)?.[1];
if (!early) {
  console.error("check-budget: index.html does not load the early script (early-start-plugin.ts)");
  process.exit(1);
}
if (gz(early) > EARLY_MAX_BYTES) {
  console.error(`check-budget: the early script is ${kb(gz(early))}, over ${kb(EARLY_MAX_BYTES)}`);
  process.exit(1);
}

/** What a route fetches before its first render, and what it may fetch on use. */
function routeFiles(route) {
  const page = ROUTE_PAGE[route];
  const first = new Set([
    early,
    ...closure(entryKey, { dynamic: false, page }),
    ...closure(page, { dynamic: false, page }),
  ]);
  const all = new Set([
    ...closure(entryKey, { dynamic: true, page }),
    ...closure(page, { dynamic: true, page }),
  ]);
  const initial = [...first].filter((f) => f.endsWith(".js"));
  const onUse = [...all]
    .filter((f) => f.endsWith(".js") && !first.has(f))
    .concat(workers.map((f) => `assets/${f}`));
  return { initial, onUse };
}

let worstTotal = 0;
const firstLoads = {};
for (const route of Object.keys(ROUTE_AREAS)) {
  const { initial, onUse } = routeFiles(route);
  firstLoads[route] = initial;
  const messages = routeCatalogs(route);
  const first = initial.reduce((n, f) => n + gz(f), 0) + messages.bytes;
  const onUseBytes = onUse.reduce((n, f) => n + gz(f), 0);
  const total = first + onUseBytes;
  worstTotal = Math.max(worstTotal, total);
  console.log(
    `budget ${route.padEnd(2)}  first load ${kb(first)} gzipped (${initial.length} files and` +
      ` ${messages.files.length} catalogs, largest in ${messages.locale})` +
      ` + on use ${kb(onUseBytes)} (${onUse.length} files) = ${kb(total)} of ${kb(BUDGET_BYTES)}`,
  );
  for (const f of [...initial, ...onUse]) {
    const where = initial.includes(f) ? "first" : "on use";
    console.log(`  ${kb(gz(f)).padStart(9)}  ${where.padEnd(6)}  ${f}`);
  }
}

// A recipient's phone must not fetch and compile the share form or the manage page (issue 24),
// nor the share form's author the share page.
for (const [route, initial] of Object.entries(firstLoads)) {
  const others = [...Object.values(ROUTE_PAGE), ...KEPT_OUT].filter((k) => k !== ROUTE_PAGE[route]);
  for (const key of others) {
    if (initial.includes(manifest[key].file)) {
      console.error(`check-budget: the first load of ${route} includes ${key}`);
      process.exit(1);
    }
  }
}
for (const [locale, areas] of catalogs) {
  const sizes = [...areas].map(([area, { bytes }]) => `${area} ${kb(bytes)}`).join(", ");
  console.log(`  catalogs ${locale.padEnd(7)} ${sizes}`);
}

// Argon2id's WebAssembly (hash-wasm) is for passwords only: a chunk of its own, loaded on use.
const argon2 = Object.keys(manifest).find((key) => key.includes("node_modules/hash-wasm/"));
if (!argon2 || Object.values(firstLoads).some((files) => files.includes(manifest[argon2].file))) {
  console.error("check-budget: hash-wasm (Argon2id) must load on use, not with the first load");
  process.exit(1);
}

if (worstTotal > BUDGET_BYTES) {
  console.error(`check-budget: ${kb(worstTotal)} gzipped is over the ${kb(BUDGET_BYTES)} budget`);
  process.exit(1);
}
