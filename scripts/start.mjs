#!/usr/bin/env node
/**
 * `npm start`: builds only when the build is missing or older than its sources (see
 * build-state.mjs), then runs the server in this same process, so a start on an installed tree
 * costs one Node start-up and no build. What runs is the server as it ships, bundled by the build
 * into server/bundle/ (scripts/bundle-server.mjs).
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

import { DEFAULT_ROOT, staleReason } from "./build-state.mjs";

const reason = staleReason(DEFAULT_ROOT);
if (reason) {
  console.error(`npm start: building first (${reason})`);
  // The npm that runs this script, or the one on PATH when started directly.
  const npm = process.env.npm_execpath;
  const result = npm
    ? spawnSync(process.execPath, [npm, "run", "build"], { cwd: DEFAULT_ROOT, stdio: "inherit" })
    : spawnSync("npm", ["run", "build"], { cwd: DEFAULT_ROOT, stdio: "inherit" });
  if (result.status !== 0) {
    console.error("npm start: the build failed");
    process.exit(result.status ?? 1);
  }
}
await import(pathToFileURL(join(DEFAULT_ROOT, "server/bundle/main.js")).href);
