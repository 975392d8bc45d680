/**
 * `hushlink get --output` interrupted mid-file (Ctrl-C, or a SIGTERM from a supervisor): the
 * partial file holds decrypted bytes of the secret, so nothing of it may stay in the folder. A
 * TCP proxy between the CLI and a real server process passes the blob's first bytes, then holds
 * the answer, so the CLI is reliably mid-file when the signal comes.
 * Needs the build (`npm run build`), like cli.e2e.test.ts.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { createServer, connect, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { hushlink, ROOT, startServer, type LiveServer } from "./live-server.js";

const MiB = 1024 * 1024;
const BIN = join(ROOT, "cli/bin/hushlink.js");

/** Forwards to the server, but passes at most `limit` bytes of a blob download's answer. */
function holdingProxy(upstream: URL, limit: number): Promise<{ base: string; server: Server }> {
  const server = createServer((client) => {
    const remote = connect(Number(upstream.port), upstream.hostname);
    let left: number | null = null;
    client.on("data", (data: Buffer) => {
      if (/^GET \/api\/v1\/shares\/[^/]+\/blobs\//.test(data.toString("latin1", 0, 200))) {
        left = limit;
      }
      remote.write(data);
    });
    remote.on("data", (data: Buffer) => {
      if (left === null) return void client.write(data);
      client.write(data.subarray(0, Math.max(0, left)));
      left -= data.length;
    });
    client.on("error", () => remote.destroy());
    remote.on("error", () => client.destroy());
    client.on("close", () => remote.destroy());
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      resolve({ base: `http://127.0.0.1:${port}`, server });
    }),
  );
}

let work = "";
let server: LiveServer;
let proxy: { base: string; server: Server };

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "hushlink-cli-interrupt-"));
  server = await startServer(work);
  // Two chunks and some of the third: at least one chunk decrypted and written, then a wait.
  proxy = await holdingProxy(new URL(server.base), 2 * MiB + 100_000);
}, 30_000);

afterAll(async () => {
  proxy?.server.close();
  await server?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe("hushlink get interrupted mid-file", () => {
  it.each(["SIGINT", "SIGTERM"] as const)(
    "leaves no partial file of decrypted bytes after %s",
    async (signal) => {
      const input = join(work, `in-${signal}.bin`);
      await writeFile(input, randomBytes(4 * MiB));
      const shared = await hushlink(server.base, work, ["share", "--attach", input]);
      expect(shared.code, shared.stderr).toBe(0);
      const link = shared.stdout.toString().trim();
      const out = join(work, `out-${signal}`);
      await mkdir(out);

      const child = spawn(
        process.execPath,
        [BIN, "get", link, "--output", out, "--server", proxy.base],
        {
          env: { PATH: process.env.PATH, HOME: work, XDG_CONFIG_HOME: join(work, "config") },
          stdio: ["ignore", "ignore", "pipe"],
        },
      );
      const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
        child.once("exit", (code, by) => resolve({ code, signal: by })),
      );
      // Wait until a chunk of plaintext is on disk, under the partial file's name.
      const deadline = Date.now() + 20_000;
      let partial: string | undefined;
      while (Date.now() < deadline) {
        partial = (await readdir(out)).find((n) => n.startsWith(".hushlink-partial-"));
        if (partial && (await stat(join(out, partial))).size >= MiB) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(partial, "the download never reached its partial file").toBeDefined();
      child.kill(signal);
      const end = await exited;
      expect(end.signal ?? end.code).toBeTruthy();
      expect(await readdir(out)).toEqual([]);
    },
  );
});
