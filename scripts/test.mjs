#!/usr/bin/env node
/**
 * `npm test` after the build: runs every suite this machine can run and says in plain words what
 * it skipped and why. Under CI=true nothing may be skipped: a missing PostgreSQL or Chromium
 * fails the run. Ends with one line "tests: N passed, N failed, N skipped".
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";

import { Redis } from "ioredis";
import pg from "pg";

/** Playwright's unexpected results, by file, line and title, from its JSON report. */
function failedSpecs(report) {
  const out = [];
  const walk = (suite, titles) => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests ?? []) {
        if (test.status !== "unexpected") continue;
        const error = test.results?.find((r) => r.error)?.error?.message;
        const title = [...titles, spec.title].filter(Boolean).join(" › ");
        out.push(`${spec.file}:${spec.line} [${test.projectName}] ${title}: ${firstLine(error)}`);
      }
    }
    for (const child of suite.suites ?? []) walk(child, [...titles, child.title]);
  };
  for (const suite of report.suites ?? []) walk(suite, []);
  return out;
}

const ci = process.env.CI === "true" || process.env.CI === "1";
const root = new URL("..", import.meta.url).pathname;
const reports = mkdtempSync(join(tmpdir(), "hushlink-test-reports-"));
const skipped = [];
const problems = [];

async function reachable(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query("select 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

// PostgreSQL: TEST_DATABASE_URL, or the conventional local server if one answers.
const env = { ...process.env };
const localPostgres = "postgres://postgres@127.0.0.1:5432/postgres";
if (!env.TEST_DATABASE_URL && (await reachable(localPostgres))) {
  env.TEST_DATABASE_URL = localPostgres;
  console.log(`PostgreSQL: TEST_DATABASE_URL not set; using the local server at ${localPostgres}.`);
}
if (!env.TEST_DATABASE_URL) {
  const why =
    "PostgreSQL suites: TEST_DATABASE_URL is not set and no local server answers on 127.0.0.1:5432";
  (ci ? problems : skipped).push(why);
} else if (!(await reachable(env.TEST_DATABASE_URL))) {
  problems.push(`PostgreSQL: cannot connect to TEST_DATABASE_URL`);
}

// Redis, for the scale-out suites' shared rate limits: REDIS_URL_TEST, or the local default.
const redisUrl = env.REDIS_URL_TEST ?? "redis://127.0.0.1:6379";
const redis = new Redis(redisUrl, {
  lazyConnect: true,
  connectTimeout: 1000,
  maxRetriesPerRequest: 0,
  retryStrategy: () => null,
});
redis.on("error", () => {});
const haveRedis = await redis
  .connect()
  .then(() => redis.ping())
  .then(
    (r) => r === "PONG",
    () => false,
  );
redis.disconnect();
if (!haveRedis) {
  const why = `scale-out suites' Redis parts: no Redis answers at ${redisUrl} (set REDIS_URL_TEST)`;
  (ci ? problems : skipped).push(why);
}

// Chromium from the distribution (never a downloaded browser).
const chromium = env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const haveChromium = existsSync(chromium);
if (!haveChromium) {
  const why = `browser tests: no Chromium at ${chromium} (apt-get install chromium, or set CHROMIUM_PATH)`;
  (ci ? problems : skipped).push(why);
}

// Prometheus' promtool checks the /metrics exposition (Debian package `prometheus`).
if (spawnSync("promtool", ["--version"]).status !== 0) {
  const why = "metrics format check: no promtool on PATH (apt-get install prometheus)";
  (ci ? problems : skipped).push(why);
}

if (problems.length > 0) {
  console.error(
    `Cannot run the full suite under CI:\n${problems.map((p) => `  - ${p}`).join("\n")}`,
  );
  console.log("tests: 0 passed, 1 failed");
  process.exit(1);
}

const totals = { passed: 0, failed: 0, skipped: 0 };
// The names of failed tests, printed beside the tally: a CI log is often read from its tail, and
// the failure itself may have scrolled far above it.
const failures = [];
let exitCode = 0;

/** The first line of a failure message, without terminal colours. */
const firstLine = (message = "") =>
  message
    .replace(/\u001b\[[0-9;]*m/g, "")
    .split("\n")
    .find((l) => l.trim() !== "") ?? "";

function run(name, command, args, extraEnv = {}) {
  console.log(`\n=== ${name} ===`);
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: "inherit",
    env: { ...env, ...extraEnv },
  });
  if (result.status !== 0) exitCode = 1;
}

// Unit, integration (SQLite, and PostgreSQL when available) and CLI end-to-end tests.
const vitestReport = join(reports, "vitest.json");
run("unit and integration tests (vitest)", "npx", [
  "vitest",
  "run",
  "--reporter=default",
  "--reporter=json",
  `--outputFile.json=${vitestReport}`,
]);
if (existsSync(vitestReport)) {
  const r = JSON.parse(readFileSync(vitestReport, "utf8"));
  totals.passed += r.numPassedTests;
  totals.failed += r.numFailedTests;
  totals.skipped += r.numPendingTests + r.numTodoTests;
  for (const file of r.testResults) {
    const name = relative(root, file.name);
    for (const t of file.assertionResults.filter((a) => a.status === "failed"))
      failures.push(`${name} › ${t.fullName}: ${firstLine(t.failureMessages?.[0])}`);
    // A file that failed outside any test (an import, a hook) has no failed assertion to name.
    if (file.status === "failed" && !file.assertionResults.some((a) => a.status === "failed"))
      failures.push(`${name}: ${firstLine(file.message)}`);
  }
} else {
  totals.failed += 1;
}

// Browser end-to-end tests.
if (haveChromium) {
  const playwrightReport = join(reports, "playwright.json");
  run(
    "browser tests (playwright)",
    "npx",
    ["playwright", "test", "--config", "e2e/playwright.config.ts", "--reporter=list,json"],
    {
      PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightReport,
      CHROMIUM_PATH: chromium,
    },
  );
  if (existsSync(playwrightReport)) {
    const s = JSON.parse(readFileSync(playwrightReport, "utf8")).stats;
    totals.passed += s.expected + s.flaky;
    totals.failed += s.unexpected;
    totals.skipped += s.skipped;
    failures.push(...failedSpecs(JSON.parse(readFileSync(playwrightReport, "utf8"))));
  } else {
    totals.failed += 1;
  }
}

console.log("");
if (skipped.length > 0) {
  console.log(`Skipped on this machine:\n${skipped.map((s) => `  - ${s}`).join("\n")}`);
}
if (ci && totals.skipped > 0) {
  console.error(`CI runs everything: ${totals.skipped} test(s) were skipped.`);
  exitCode = 1;
}
if (failures.length > 0) console.log(`Failed:\n${failures.map((f) => `  - ${f}`).join("\n")}`);
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(exitCode || (totals.failed > 0 ? 1 : 0));
