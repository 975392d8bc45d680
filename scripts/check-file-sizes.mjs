#!/usr/bin/env node
/**
 * Fails when a source file of the project's own packages is over 400 lines (issue 16): a file that
 * long holds more than one idea and wants splitting along its seams. Counts every line, blank and
 * comment lines included, of the files git tracks; translation catalogs (.po) and data (.json)
 * are not source and do not count.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

const MAX_LINES = 400;
const ROOTS = ["server/src", "web/src", "cli/src", "protocol/src", "bench/src"];
const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs|css)$/;

const tracked = execFileSync("git", ["ls-files", "-z", "--", ...ROOTS], { encoding: "utf8" })
  .split("\0")
  .filter((path) => SOURCE.test(path));

const tooLong = tracked
  .map((path) => ({ path, lines: readFileSync(path, "utf8").split("\n").length - 1 }))
  .filter(({ lines }) => lines > MAX_LINES);

if (tooLong.length > 0) {
  for (const { path, lines } of tooLong)
    console.error(`${path}: ${lines} lines (at most ${MAX_LINES})`);
  console.error("Split these files along their seams (ARCHITECTURE.md).");
  process.exit(1);
}
console.log(`check-file-sizes: ${tracked.length} source files, none over ${MAX_LINES} lines`);
