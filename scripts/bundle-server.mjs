#!/usr/bin/env node
/**
 * The server as it ships: `server/dist/main.js` (tsc's output) bundled by rolldown into
 * `server/bundle/`, which `npm start`, the container's CMD, the e2e suite and the bench run.
 *
 * Why: every ES module costs memory and start-up time beyond its code (bench/README.md, fifth
 * and seventh rounds), and an idle server loaded about 560 of them from the server's own code,
 * the protocol, Kysely and zod. Only those, and the few packages that come with them, are folded
 * into the bundle (INLINED and their dependencies); every other package stays an import from
 * node_modules: the native ones (better-sqlite3, Argon2), the ones loaded lazily (pg, ioredis,
 * nodemailer, the S3 client…, still loaded only when used), and Fastify with its plugins and
 * pino, which read files or start workers from their own folders. A dynamic `import()` of the
 * server's own code stays one (a chunk of its own, loaded when first used).
 *
 * The bundle sits at the same depth as `server/dist/`, so the paths the server computes from
 * `import.meta.url` (the web app's `../../web/dist`, `createRequire` for pg) mean the same thing.
 *
 *   node scripts/bundle-server.mjs
 */
import { existsSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { rolldown } from "rolldown";

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const ENTRY = join(ROOT, "server/dist/main.js");
export const BUNDLE_DIR = join(ROOT, "server/bundle");

/** Packages folded into the bundle, with every package they depend on. */
const INLINED = [
  "@hushlink/protocol",
  "kysely",
  "zod",
  "fastify-type-provider-zod",
  "@lingui/core",
];
/**
 * …except these, which the server's external packages load too (one copy in the process). The
 * bundle imports them from node_modules, so the server lists them among its own dependencies.
 */
const SHARED = new Set(["@fastify/error"]);

/** The package.json of a package, looked up in the node_modules folders `require` would search. */
function manifestOf(name, require) {
  // A package named as a Node built-in (punycode) has no search paths of its own; "name/" does.
  for (const folder of require.resolve.paths(name) ?? require.resolve.paths(`${name}/`) ?? []) {
    const manifest = join(folder, name, "package.json");
    if (existsSync(manifest)) return manifest;
  }
  throw new Error(`bundle-server: ${name} is not installed`);
}

/** The package names of INLINED and their dependencies, resolved from the server's folder. */
function inlinedPackages() {
  const names = new Set();
  const visit = (name, from) => {
    if (names.has(name) || SHARED.has(name)) return;
    names.add(name);
    const manifest = manifestOf(name, createRequire(join(from, "noop.js")));
    const pkg = JSON.parse(readFileSync(manifest, "utf8"));
    for (const dep of Object.keys(pkg.dependencies ?? {})) visit(dep, dirname(manifest));
  };
  for (const name of INLINED) visit(name, join(ROOT, "server"));
  return names;
}

/** "zod" for "zod/v4/core", "@lingui/core" for "@lingui/core/macro". */
const packageOf = (id) =>
  id
    .split("/")
    .slice(0, id.startsWith("@") ? 2 : 1)
    .join("/");

export async function bundleServer() {
  const inlined = inlinedPackages();
  rmSync(BUNDLE_DIR, { recursive: true, force: true });
  const build = await rolldown({
    input: { main: ENTRY },
    platform: "node",
    logLevel: "warn",
    external: (id) =>
      id.startsWith("node:") ||
      (!id.startsWith(".") && !id.startsWith("/") && !inlined.has(packageOf(id))),
  });
  try {
    const { output } = await build.write({
      dir: BUNDLE_DIR,
      format: "esm",
      entryFileNames: "[name].js",
      chunkFileNames: "[name]-[hash].js",
      sourcemap: true,
      // V8 keeps every script's source in memory: without the whitespace and comments the idle
      // server is about 2 MB smaller. Names are not mangled, so stack traces stay readable (and
      // map back to server/src with --enable-source-maps).
      minify: { compress: false, mangle: false, codegen: { removeWhitespace: true } },
    });
    return { inlined, files: output.map((file) => file.fileName) };
  } finally {
    await build.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { files } = await bundleServer();
  console.error(
    `server bundled: ${files.filter((f) => f.endsWith(".js")).length} files in server/bundle/`,
  );
}
