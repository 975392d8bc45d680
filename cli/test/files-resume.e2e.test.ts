/**
 * Broken connections during `hushlink share --attach` and `hushlink get --output` (SPEC §3.1): a
 * real TCP proxy between the CLI and a real server process drops one connection in the middle of
 * a file, once. The upload resumes from what the server holds (GET …/upload); the download asks
 * for the rest with `Range` and carries on decrypting. Both end with the file's SHA-256 intact.
 * Needs the build (`npm run build`), like cli.e2e.test.ts.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, connect, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { hushlink, startServer, type LiveServer } from "./live-server.js";

const MiB = 1024 * 1024;
const sha = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

/**
 * Forwards 127.0.0.1:port to the server. Armed with a request line (e.g. "GET /api/v1/shares/"),
 * it cuts the first connection carrying such a request once `after` more bytes went through in
 * the chosen direction (the answer for a download, the request body for an upload), then
 * forwards everything untouched. Records every request head it saw since it was armed.
 */
class DroppingProxy {
  readonly heads: string[] = [];
  cuts = 0;
  private server: Server | null = null;
  private armed: { line: RegExp; direction: "request" | "answer"; after: number } | null = null;
  port = 0;

  constructor(private readonly upstream: URL) {}

  arm(line: RegExp, direction: "request" | "answer", after: number) {
    this.armed = { line, direction, after };
    this.heads.length = 0;
    this.cuts = 0;
  }

  async start(): Promise<string> {
    this.server = createServer((client) => this.pipe(client));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    const address = this.server.address();
    this.port = typeof address === "object" && address ? address.port : 0;
    return `http://127.0.0.1:${this.port}`;
  }

  private pipe(client: Socket) {
    const server = connect(Number(this.upstream.port), this.upstream.hostname);
    // Bytes left before this connection is cut; null while it carries no armed request.
    let left: number | null = null;
    let direction: "request" | "answer" = "answer";
    const cut = () => {
      this.cuts++;
      client.destroy();
      server.destroy();
    };
    const forward = (from: "request" | "answer", data: Buffer, to: Socket) => {
      if (left !== null && direction === from) {
        if (data.length >= left) {
          to.write(data.subarray(0, left));
          left = null;
          return cut();
        }
        left -= data.length;
      }
      to.write(data);
    };
    client.on("data", (data: Buffer) => {
      const text = data.subarray(0, 2048).toString("latin1");
      const head = /^(GET|PUT|POST|DELETE) [^\r\n]*\r\n(?:[^\r\n]+\r\n)*\r\n/.exec(text);
      if (head) this.heads.push(head[0]);
      if (head && this.armed?.line.test(head[0])) {
        ({ direction, after: left } = this.armed);
        this.armed = null;
      }
      forward("request", data, server);
    });
    server.on("data", (data: Buffer) => forward("answer", data, client));
    client.on("error", () => server.destroy());
    server.on("error", () => client.destroy());
    client.on("close", () => server.destroy());
    server.on("close", () => client.destroy());
  }

  async stop() {
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

let work = "";
let server: LiveServer;
let proxy: DroppingProxy;
let proxied = "";

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "hushlink-cli-resume-"));
  server = await startServer(work, { ANONYMOUS_MAX_FILE_BYTES: String(64 * MiB) });
  proxy = new DroppingProxy(new URL(server.base));
  proxied = await proxy.start();
}, 30_000);

afterAll(async () => {
  await proxy?.stop();
  await server?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

/** The CLI talking to the server through the proxy (its links name the server itself). */
const viaProxy = (args: string[], input = "") => hushlink(proxied, work, args, { input });
const throughProxy = (link: string) => link.replace(server.base, proxied);

async function inputFile(name: string, bytes: number) {
  const dir = join(work, `in-${name}`);
  await mkdir(dir, { recursive: true });
  const content = randomBytes(bytes);
  await writeFile(join(dir, name), content);
  return { path: join(dir, name), content };
}

describe("dropped connections during file transfers", () => {
  it("get --output resumes a download cut mid-file with Range, and the file is intact", async () => {
    const { path, content } = await inputFile("cut-download.bin", 9 * MiB + 123);
    const shared = await hushlink(server.base, work, ["share", "--attach", path]);
    expect(shared.code, shared.stderr).toBe(0);
    const link = shared.stdout.toString().trim();

    // Cut the download's connection 3.5 MiB into the answer: inside chunk 3 of 10.
    const after = 3.5 * MiB;
    proxy.arm(/^GET \/api\/v1\/shares\/[^/ ]+\/blobs\//, "answer", after);
    const out = join(work, "out-cut");
    await mkdir(out);
    const got = await viaProxy(["get", throughProxy(link), "--output", out]);
    expect(got.code, got.stderr).toBe(0);
    expect(proxy.cuts).toBe(1);

    const downloads = proxy.heads.filter((h) => /^GET \/api\/v1\/shares\/[^/ ]+\/blobs\//.test(h));
    expect(downloads).toHaveLength(2);
    expect(downloads[0]).not.toMatch(/^range:/im);
    // The second asks for exactly what had not arrived: somewhere past the first 3 MiB (the
    // proxy cut at 3.5 MiB of answer, headers included; the CLI may not have read the last bytes).
    const from = Number(/^range: bytes=(\d+)-\r$/im.exec(downloads[1]!)?.[1]);
    expect(from).toBeGreaterThan(3 * MiB);
    expect(from).toBeLessThanOrEqual(after);

    expect(await readdir(out)).toEqual(["cut-download.bin"]);
    expect(sha(await readFile(join(out, "cut-download.bin")))).toBe(sha(content));
  });

  it("share --attach resumes an upload whose connection is cut mid-chunk", async () => {
    const { path, content } = await inputFile("cut-upload.bin", 6 * MiB + 5);
    // Cut the connection carrying chunk 2 half way through its body.
    proxy.arm(/^PUT \/api\/v1\/shares\/[^/ ]+\/blobs\/[^/ ]+\/2 /, "request", MiB / 2);
    const shared = await viaProxy(["share", "--attach", path]);
    expect(shared.code, shared.stderr).toBe(0);
    expect(proxy.cuts).toBe(1);
    expect(shared.stderr).toContain("The upload broke off");
    // It asked the server what had arrived, and sent chunk 2 again.
    expect(proxy.heads.some((h) => /^GET \/api\/v1\/shares\/[^/ ]+\/upload /.test(h))).toBe(true);
    const chunk2 = proxy.heads.filter((h) => /^PUT [^ ]+\/blobs\/[^/ ]+\/2 /.test(h));
    expect(chunk2.length).toBeGreaterThanOrEqual(2);

    const out = join(work, "out-upload");
    await mkdir(out);
    const got = await hushlink(server.base, work, [
      "get",
      shared.stdout.toString().trim(),
      "-o",
      out,
    ]);
    expect(got.code, got.stderr).toBe(0);
    expect(sha(await readFile(join(out, "cut-upload.bin")))).toBe(sha(content));
  });
});
