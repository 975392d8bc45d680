/**
 * Files in answers to end-to-end requests (SPEC F13 with §3.1) with the built CLI against a real
 * server process: `request create` prints both links, `request answer LINK --file …` encrypts and
 * uploads, `request open READING_LINK --output DIR` decrypts and writes them (SHA-256 compared).
 * On SQLite, and on PostgreSQL when TEST_DATABASE_URL is set (the server process on a database of
 * its own). Needs the build (`npm run build`), like cli.e2e.test.ts.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  createTestDatabase,
  testDialects,
  type TestDatabase,
} from "../../server/test/helpers/databases.js";
import { hushlink, startServer, type LiveServer } from "./live-server.js";

const MiB = 1024 * 1024;
const sha = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

describe.each(testDialects)("hushlink request with files on %s", (dialect) => {
  let work = "";
  let server: LiveServer;
  let database: TestDatabase | null = null;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), "hushlink-cli-request-files-"));
    const env: Record<string, string> = { ANONYMOUS_MAX_FILE_BYTES: String(8 * MiB) };
    if (dialect === "postgres") {
      // A database of its own, which the server process migrates as it starts.
      database = await createTestDatabase("postgres", { migrated: false });
      await database.handle.close();
      env.DATABASE_URL = database.url!;
      env.HUSHLINK_ROOT_KEY = randomBytes(32).toString("base64");
    }
    server = await startServer(work, env);
  }, 30_000);

  afterAll(async () => {
    await server?.stop();
    await database?.drop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  const run = (args: string[], options: Parameters<typeof hushlink>[3] = {}) =>
    hushlink(server.base, work, args, options);

  it("create prints both links, answer --file uploads, open --output writes the same bytes", async () => {
    const created = await run(["request", "create", "--name", "certs", "--json"]);
    expect(created.stderr).toBe("");
    expect(created.code).toBe(0);
    const links = JSON.parse(created.stdout.toString()) as {
      id: string;
      requestLink: string;
      readingLink: string;
      manageToken?: string;
    };
    expect(links.requestLink).toMatch(new RegExp(`/r/${links.id}#[A-Za-z0-9_-]{43}$`));
    expect(links.readingLink).toMatch(new RegExp(`/r/${links.id}/open#[A-Za-z0-9_-]{43}$`));
    const plain = await run(["request", "create"]);
    expect(plain.stdout.toString()).toMatch(/\/r\/[A-Za-z0-9_-]+\/open#/);
    expect(plain.stderr).toMatch(/Send this link to who should answer: .*\/r\/[A-Za-z0-9_-]+#/);

    const inputs = join(work, "inputs");
    await mkdir(inputs, { recursive: true });
    const files = new Map<string, Buffer>([
      ["empty.txt", Buffer.alloc(0)],
      ["server.key", randomBytes(5)],
      ["bundle.bin", randomBytes(MiB + 1)],
    ]);
    for (const [name, bytes] of files) await writeFile(join(inputs, name), bytes);

    const early = await run(["request", "open", links.readingLink]);
    expect(early.code).toBe(3);
    const answered = await run(
      [
        "request",
        "answer",
        links.requestLink,
        ...[...files.keys()].flatMap((name) => ["--file", join(inputs, name)]),
      ],
      { input: "the certificates, as asked" },
    );
    expect(answered.stderr).toContain("Sent, end-to-end encrypted");
    expect(answered.code).toBe(0);
    const again = await run(["request", "answer", links.requestLink], { input: "late" });
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain("request_fulfilled");

    const out = join(work, "out");
    await mkdir(out, { recursive: true });
    const opened = await run(["request", "open", links.readingLink, "--output", out, "--json"]);
    expect(opened.code, opened.stderr).toBe(0);
    const answer = JSON.parse(opened.stdout.toString()) as {
      text: string;
      files: { name: string; size: number; path: string }[];
    };
    expect(answer.text).toBe("the certificates, as asked");
    expect(answer.files.map((f) => f.name)).toEqual([...files.keys()]);
    for (const file of answer.files) {
      expect(sha(await readFile(file.path))).toBe(sha(files.get(file.name)!));
    }

    // Without --json: the text on stdout exactly, the files beside it (renamed, never overwritten).
    const second = await run(["request", "open", links.readingLink, "--output", out]);
    expect(second.code).toBe(0);
    expect(second.stdout.toString()).toBe("the certificates, as asked");
    expect(second.stderr).toContain("bundle (1).bin");
    expect(sha(await readFile(join(out, "bundle (1).bin")))).toBe(sha(files.get("bundle.bin")!));
  }, 120_000);

  it("answers with files only (no text), and refuses files over the anonymous limit", async () => {
    const created = await run(["request", "create", "--json"]);
    const links = JSON.parse(created.stdout.toString()) as {
      requestLink: string;
      readingLink: string;
    };
    const big = join(work, "big.bin");
    await writeFile(big, Buffer.alloc(8 * MiB + 1));
    const refused = await run(["request", "answer", links.requestLink, "--file", big]);
    // Refused by the CLI before anything is sent (the server's 413 too_large is tested in
    // server/test/files.test.ts): the request still takes the answer below.
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain("this server takes at most 8.0 MiB. Nothing was sent.");

    const small = join(work, "small.txt");
    await writeFile(small, "only a file");
    const answered = await run(["request", "answer", links.requestLink, "--file", small]);
    expect(answered.code, answered.stderr).toBe(0);
    const out = join(work, "only-files");
    await mkdir(out, { recursive: true });
    const opened = await run(["request", "open", links.readingLink, "-o", out, "--json"]);
    expect(opened.code, opened.stderr).toBe(0);
    const answer = JSON.parse(opened.stdout.toString()) as { text: string; files: unknown[] };
    expect(answer.text).toBe("");
    expect(await readFile(join(out, "small.txt"), "utf8")).toBe("only a file");
  }, 120_000);
});
