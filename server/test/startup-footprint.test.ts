/**
 * What an idle server has loaded: packages needed only by some deployments or at some moments
 * (PostgreSQL, Redis, SMTP and e-mail building, password hashing) stay unloaded until used, so an
 * instance that does not need them does not pay their memory and start-up time.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, describe, expect, it } from "vitest";

import { requireBuiltServer, SERVER_MAIN } from "./helpers/server-process.js";

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/**
 * Preloaded into the server: writes the address of every module it loads, ES modules through a
 * loader hook (which runs on its own thread) and CommonJS modules from require's cache at exit.
 */
const HOOKS = `
import { appendFileSync } from "node:fs";
export async function load(url, context, next) {
  appendFileSync(process.env.LOADED_MODULES_FILE, url + "\\n");
  return next(url, context);
}
`;
const PRELOAD = `
import { appendFileSync } from "node:fs";
import { createRequire, register } from "node:module";
register("data:text/javascript," + encodeURIComponent(${JSON.stringify(HOOKS)}));
const require = createRequire(import.meta.url);
process.on("exit", () => {
  appendFileSync(process.env.LOADED_MODULES_FILE, Object.keys(require.cache).join("\\n"));
});
`;

/** Package names in a list of module paths and URLs. */
function packagesIn(modules: string): Set<string> {
  const names = new Set<string>();
  for (const m of modules.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)\//g)) names.add(m[1] ?? "");
  return names;
}

async function loadedByIdleServer(env: Record<string, string>): Promise<Set<string>> {
  requireBuiltServer();
  const dir = mkdtempSync(join(tmpdir(), "hushlink-footprint-"));
  temps.push(dir);
  const preload = join(dir, "preload.mjs");
  writeFileSync(preload, PRELOAD);
  const listFile = join(dir, "loaded.txt");
  const child = spawn(process.execPath, ["--import", preload, SERVER_MAIN], {
    env: {
      PATH: process.env.PATH ?? "",
      HOST: "127.0.0.1",
      PORT: "0",
      DATA_DIR: join(dir, "data"),
      LOG_LEVEL: "info",
      LOADED_MODULES_FILE: listFile,
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "listening" in 30 s:\n${out}`)), 30_000);
    child.stdout.on("data", () => {
      const match = /"url":"(http:\/\/127\.0\.0\.1:\d+)"[^\n]*"msg":"listening"/.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
  });
  // An idle instance: it has answered a health check and a share page's metadata request.
  expect((await fetch(`${url}/healthz`)).status).toBe(200);
  expect((await fetch(`${url}/api/v1/shares/AAAAAAAAAAAAAAAAAAAAAA`)).status).toBe(404);
  child.kill("SIGTERM");
  await exited;
  return packagesIn(readFileSync(listFile, "utf8"));
}

describe("start-up footprint", () => {
  it("an idle SQLite server loads neither PostgreSQL, Redis, nodemailer, Argon2, TOTP nor WebAuthn", async () => {
    const loaded = await loadedByIdleServer({});
    // The preload saw the packages the server does load.
    expect(loaded.has("fastify")).toBe(true);
    expect(loaded.has("better-sqlite3")).toBe(true);
    expect(loaded.has("kysely")).toBe(true);
    for (const lazy of [
      "pg",
      "ioredis",
      "nodemailer",
      "@node-rs/argon2",
      "@aws-sdk/client-s3",
      "otplib",
      "@simplewebauthn/server",
    ]) {
      expect([lazy, loaded.has(lazy)]).toEqual([lazy, false]);
    }
  });

  it("with SMTP configured, nodemailer still waits for the first message", async () => {
    const loaded = await loadedByIdleServer({ SMTP_URL: "smtp://127.0.0.1:9" });
    expect(loaded.has("nodemailer")).toBe(false);
  });
});
