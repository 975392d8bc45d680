/**
 * What an idle server has loaded: packages needed only by some deployments or at some moments
 * (PostgreSQL, Redis, SMTP and e-mail building, password hashing) stay unloaded until used, so an
 * instance that does not need them does not pay their memory and start-up time.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

import { afterAll, describe, expect, it } from "vitest";

import { startWithPreload } from "./helpers/preload-server.js";
import { processScope, SHIPPED_MAIN } from "./helpers/server-process.js";

const { tempDir, removeDirs } = processScope("hushlink-footprint-");
afterAll(removeDirs);

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
import { appendFileSync, writeFileSync } from "node:fs";
import { createRequire, register } from "node:module";
import { getHeapSpaceStatistics } from "node:v8";
register("data:text/javascript," + encodeURIComponent(${JSON.stringify(HOOKS)}));
const require = createRequire(import.meta.url);
process.on("exit", () => {
  appendFileSync(process.env.LOADED_MODULES_FILE, Object.keys(require.cache).join("\\n"));
  const young = getHeapSpaceStatistics().find((space) => space.space_name === "new_space");
  writeFileSync(process.env.HEAP_FILE, JSON.stringify({ newSpaceBytes: young.space_size }));
});
`;

/** The workspaces' own files in a list of module paths and URLs ("server/bundle/main.js"). */
function workspaceFilesIn(modules: string): string[] {
  return [...modules.matchAll(/\/((?:server|protocol)\/(?:dist|bundle)\/\S+\.js)$/gm)].map(
    (m) => m[1] ?? "",
  );
}

/** Package names in a list of module paths and URLs. */
function packagesIn(modules: string): Set<string> {
  const names = new Set<string>();
  for (const m of modules.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)\//g)) names.add(m[1] ?? "");
  return names;
}

interface IdleServer {
  /** Packages it loaded. */
  loaded: Set<string>;
  /** The server's and the protocol's own files it loaded ("server/bundle/main.js"). */
  ownFiles: string[];
  /** The size of V8's young generation (both semi-spaces) when it stopped. */
  newSpaceBytes: number;
}

async function idleServer(env: Record<string, string>): Promise<IdleServer> {
  const dir = tempDir();
  const listFile = join(dir, "loaded.txt");
  const heapFile = join(dir, "heap.json");
  const { url, kill, exited } = await startWithPreload(dir, PRELOAD, {
    LOADED_MODULES_FILE: listFile,
    HEAP_FILE: heapFile,
    ...env,
  });
  // An idle instance: it has answered a health check and a share page's metadata request.
  expect((await fetch(`${url}/healthz`)).status).toBe(200);
  expect((await fetch(`${url}/api/v1/shares/AAAAAAAAAAAAAAAAAAAAAA`)).status).toBe(404);
  kill("SIGTERM");
  await exited;
  const { newSpaceBytes } = JSON.parse(readFileSync(heapFile, "utf8")) as { newSpaceBytes: number };
  const modules = readFileSync(listFile, "utf8");
  return { loaded: packagesIn(modules), ownFiles: workspaceFilesIn(modules), newSpaceBytes };
}

describe("start-up footprint", () => {
  it("an idle SQLite server loads neither PostgreSQL, Redis, nodemailer, Argon2, TOTP, WebAuthn, Ajv, image-size nor Lingui", async () => {
    const { loaded, ownFiles } = await idleServer({});
    // The preload saw the packages the server does load.
    expect(loaded.has("fastify")).toBe(true);
    expect(loaded.has("better-sqlite3")).toBe(true);
    for (const lazy of [
      "pg",
      "ioredis",
      "nodemailer",
      "@node-rs/argon2",
      "@aws-sdk/client-s3",
      "otplib",
      "@simplewebauthn/server",
      // Every route validates and serialises with zod; Fastify's default compilers stay unloaded.
      "@fastify/ajv-compiler",
      "ajv",
      "ajv-formats",
      // Branding's logo parser waits for the first logo upload.
      "image-size",
    ]) {
      expect([lazy, loaded.has(lazy)]).toEqual([lazy, false]);
    }
    // The e-mails' templates and their languages (@lingui/core, bundled into the templates'
    // chunk) wait for the first message to send.
    expect(loaded.has("@lingui/core")).toBe(false);
    expect(readdirSync(dirname(SHIPPED_MAIN)).some((f) => f.startsWith("templates-"))).toBe(true);
    expect(ownFiles.filter((file) => file.includes("templates"))).toEqual([]);
  });

  it("the server that ships is a bundle: its own code, the protocol, Kysely and zod are not loaded module by module", async () => {
    // About 560 ES modules loaded one by one cost memory and start-up time beyond their code
    // (bench/README.md, seventh round): scripts/bundle-server.mjs folds them into a few chunks.
    const { loaded, ownFiles } = await idleServer({});
    expect(ownFiles.length).toBeGreaterThanOrEqual(2);
    expect(ownFiles.length).toBeLessThanOrEqual(5);
    expect(ownFiles.filter((file) => !file.startsWith("server/bundle/"))).toEqual([]);
    for (const inlined of ["kysely", "zod", "fastify-type-provider-zod", "@lingui/core"]) {
      expect([inlined, loaded.has(inlined)]).toEqual([inlined, false]);
    }
    // A package the external ones load too stays one copy, outside the bundle.
    expect(loaded.has("@fastify/error")).toBe(true);
  });

  it("with SMTP configured, nodemailer still waits for the first message", async () => {
    const { loaded } = await idleServer({ SMTP_URL: "smtp://127.0.0.1:9" });
    expect(loaded.has("nodemailer")).toBe(false);
  });

  it("start-up leaves V8's young generation at its initial size", async () => {
    // Start-up's burst of short-lived objects would double the semi-spaces up to 2 × 16 MB, held
    // by an idle process until V8's memory reducer runs (startup-heap.ts). 2 × 1 MB at first;
    // allow one doubling.
    const { newSpaceBytes } = await idleServer({});
    expect(newSpaceBytes).toBeLessThanOrEqual(4 * 1024 * 1024);
  });
});
