#!/usr/bin/env node
/**
 * Whether the build (protocol, server and CLI by tsc, the web app by Vite) is up to date with its
 * inputs, so `npm start` can skip it: rebuilding took about 2 s even with nothing changed, most
 * of it Vite.
 *
 * The inputs' fingerprint is a SHA-256 over the path, size and modification time of every file a
 * build reads (the workspaces' sources, configs and package files, and the lock file), the way
 * make decides; a `git pull`, a checkout or an edit changes the time of what it touches. `npm run
 * build` records the fingerprint taken before it started ("begin", which also forgets the previous
 * record) once it has succeeded ("done"), so an edit made during a build leaves it stale, and a
 * failed build leaves no record. The record lives in node_modules/.cache: `npm ci` wipes it, and a
 * fresh clone or a reinstall builds again.
 *
 *   node scripts/build-state.mjs begin|done|check
 */
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

export const DEFAULT_ROOT = dirname(dirname(fileURLToPath(import.meta.url)));

/** What the build reads, relative to the root; folders are walked (node_modules and dist skipped). */
const INPUTS = [
  "package.json",
  "package-lock.json",
  "tsconfig.base.json",
  "tsconfig.build.json",
  "scripts/bundle-server.mjs",
  ...["protocol", "server", "cli"].flatMap((w) => [
    `${w}/src`,
    `${w}/package.json`,
    `${w}/tsconfig.json`,
    `${w}/tsconfig.build.json`,
  ]),
  "web/src",
  "web/public",
  "web/scripts",
  "web/index.html",
  "web/vite.config.ts",
  "web/package.json",
  "web/tsconfig.json",
];

/** What a complete build leaves; any of them missing means no build. */
const OUTPUTS = [
  "protocol/dist/index.js",
  "server/dist/main.js",
  "server/bundle/main.js",
  "cli/dist/main.js",
  "web/dist/index.html",
];

const SKIPPED_FOLDERS = new Set(["node_modules", "dist"]);

const stampFile = (root) => join(root, "node_modules/.cache/hushlink/build.json");
const pendingFile = (root) => join(root, "node_modules/.cache/hushlink/build.pending.json");

/** @param {string} root */
export function inputsFingerprint(root = DEFAULT_ROOT) {
  const hash = createHash("sha256");
  const visit = (path) => {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      hash.update(`missing ${relative(root, path)}\n`);
      return;
    }
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path).sort()) {
        if (!SKIPPED_FOLDERS.has(entry)) visit(join(path, entry));
      }
    } else {
      hash.update(`${relative(root, path)} ${stat.size} ${stat.mtimeMs}\n`);
    }
  };
  for (const input of INPUTS) visit(join(root, input));
  return hash.digest("hex");
}

/**
 * Why a build is needed, or null when the last successful build is of exactly these inputs.
 * @param {string} root
 * @returns {string | null}
 */
export function staleReason(root = DEFAULT_ROOT) {
  const missing = OUTPUTS.find((output) => !existsSync(join(root, output)));
  if (missing) return `${missing} is missing`;
  let recorded;
  try {
    recorded = JSON.parse(readFileSync(stampFile(root), "utf8")).inputs;
  } catch {
    return "no record of a finished build";
  }
  return recorded === inputsFingerprint(root) ? null : "sources changed since the last build";
}

/** Before a build: forget the last record and note the inputs as they are now. */
export function beginBuild(root = DEFAULT_ROOT) {
  mkdirSync(dirname(stampFile(root)), { recursive: true });
  rmSync(stampFile(root), { force: true });
  writeFileSync(pendingFile(root), JSON.stringify({ inputs: inputsFingerprint(root) }));
}

/** After a successful build: the inputs noted at its beginning are what the outputs were built from. */
export function finishBuild(root = DEFAULT_ROOT) {
  renameSync(pendingFile(root), stampFile(root));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const command = process.argv[2];
  if (command === "begin") beginBuild();
  else if (command === "done") finishBuild();
  else if (command === "check") {
    const reason = staleReason();
    console.log(reason ? `stale: ${reason}` : "up to date");
    process.exitCode = reason ? 1 : 0;
  } else {
    console.error("usage: node scripts/build-state.mjs begin|done|check");
    process.exitCode = 2;
  }
}
