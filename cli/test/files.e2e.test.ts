/**
 * `hushlink share --attach` and `hushlink get --output` (SPEC F12, §3.1) as child processes
 * against a real server process: round trips of an empty file, 5 bytes, exactly 1 MiB, 1 MiB + 1
 * and 20 files; names made safe; never overwriting without --force; the output folder checked
 * before the view is used; limits refused before anything is sent; memory bounded on a large file.
 * Needs the build (`npm run build`), like cli.e2e.test.ts.
 */
import { createHash, randomBytes } from "node:crypto";
import { createReadStream, createWriteStream, existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";

import { encryptFile, fromBase64Url, seal, shareLink, toBase64Url } from "@hushlink/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { hushlink, startServer, type LiveServer, type Run } from "./live-server.js";

const MiB = 1024 * 1024;
const sha = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

let work = "";
let server: LiveServer;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "hushlink-cli-files-"));
  server = await startServer(work, { ANONYMOUS_MAX_FILE_BYTES: String(300 * MiB) });
}, 30_000);

afterAll(async () => {
  await server?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

const run = (args: string[], options: Parameters<typeof hushlink>[3] = {}) =>
  hushlink(server.base, work, args, options);

function linkOf(result: Run): string {
  expect(result.stderr).not.toMatch(/^hushlink: /m);
  expect(result.code).toBe(0);
  return result.stdout.toString().trim();
}

async function folder(name: string): Promise<string> {
  const dir = join(work, name);
  await mkdir(dir, { recursive: true });
  return dir;
}

async function writeInputs(
  dir: string,
  sizes: Record<string, number>,
): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const [name, size] of Object.entries(sizes)) {
    const bytes = randomBytes(size);
    await writeFile(join(dir, name), bytes);
    files.set(name, bytes);
  }
  return files;
}

async function writeRandomFile(path: string, mib: number): Promise<string> {
  const hash = createHash("sha256");
  await new Promise<void>((resolve, reject) => {
    const stream = createWriteStream(path);
    stream.on("error", reject);
    let left = mib;
    const more = () => {
      while (left > 0) {
        const block = randomBytes(MiB);
        hash.update(block);
        left--;
        if (!stream.write(block)) return void stream.once("drain", more);
      }
      stream.end(resolve);
    };
    more();
  });
  return hash.digest("hex");
}

async function hashOf(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/**
 * A share made the way a modified client could make it: file names exactly as given, not cleaned
 * by the sender, each file's bytes uploaded in one chunk; `damaged` files encrypted under a key
 * other than the one the share lists, so they fail to decrypt.
 */
async function shareWithNames(
  names: string[],
  contents: Buffer[],
  options: { text?: string; damaged?: number[]; upload?: boolean } = {},
) {
  const shareFiles = names.map((name, i) => ({
    blob: toBase64Url(randomBytes(16)),
    key: toBase64Url(randomBytes(32)),
    name,
    type: "text/html",
    size: contents[i]!.length,
  }));
  const sealed = await seal(options.text ?? "", { files: shareFiles });
  const created = await fetch(`${server.base}/api/v1/shares`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ ...sealed.body, expiresIn: 3600, maxViews: 1 }),
  });
  expect(created.status).toBe(201);
  const { id, uploadToken } = (await created.json()) as { id: string; uploadToken: string };
  for (const [i, file] of options.upload === false ? [] : shareFiles.entries()) {
    const key = options.damaged?.includes(i) ? randomBytes(32) : fromBase64Url(file.key);
    const bytes = await encryptFile(key, contents[i]!);
    const put = await fetch(`${server.base}/api/v1/shares/${id}/blobs/${file.blob}/0`, {
      method: "PUT",
      headers: { "x-upload-token": uploadToken, "content-type": "application/octet-stream" },
      body: bytes as Uint8Array<ArrayBuffer>,
    });
    expect(put.status).toBe(204);
  }
  return sealed;
}

describe("hushlink share --attach and get --output", () => {
  it("round-trips an empty file, 5 bytes, exactly 1 MiB and 1 MiB + 1, with text", async () => {
    const inputs = await folder("in-sizes");
    const files = await writeInputs(inputs, {
      "empty.bin": 0,
      "five.bin": 5,
      "one-mib.bin": MiB,
      "one-mib-plus.bin": MiB + 1,
    });
    const shared = await run(
      ["share", ...[...files.keys()].flatMap((name) => ["--attach", join(inputs, name)])],
      { input: "the certificates are attached" },
    );
    const link = linkOf(shared);
    expect(shared.stderr).toContain("Files:    4 (2.0 MiB), encrypted and uploaded");
    // Not a terminal: no progress line rewriting itself.
    expect(shared.stderr).not.toContain("\r");

    const out = await folder("out-sizes");
    const got = await run(["get", link, "--output", out, "--json"]);
    expect(got.code, got.stderr).toBe(0);
    const answer = JSON.parse(got.stdout.toString()) as {
      text: string;
      files: { name: string; type: string; size: number; path: string }[];
    };
    expect(answer.text).toBe("the certificates are attached");
    expect(answer.files.map(({ name, size }) => ({ name, size }))).toEqual(
      [...files].map(([name, bytes]) => ({ name, size: bytes.length })),
    );
    for (const [name, bytes] of files) {
      expect(sha(await readFile(join(out, name)))).toBe(sha(bytes));
      expect(got.stderr).toContain(`Saved:    ${join(out, name)}`);
    }
    expect((await readdir(out)).sort()).toEqual([...files.keys()].sort());
  });

  it("round-trips 20 files without any text", async () => {
    const inputs = await folder("in-twenty");
    const sizes = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`f${i}.dat`, i * 1000]));
    const files = await writeInputs(inputs, sizes);
    const link = linkOf(
      await run(["share", ...[...files.keys()].flatMap((n) => ["--attach", join(inputs, n)])]),
    );
    const out = await folder("out-twenty");
    const got = await run(["get", link, "--output", out]);
    expect(got.code, got.stderr).toBe(0);
    expect(got.stdout.toString()).toBe("");
    for (const [name, bytes] of files) {
      expect(sha(await readFile(join(out, name)))).toBe(sha(bytes));
    }
  });

  it("never overwrites without --force: a taken name gets (1); --force replaces it", async () => {
    const inputs = await folder("in-force");
    const files = await writeInputs(inputs, { "notes.txt": 100 });
    const attach = ["--attach", join(inputs, "notes.txt")];
    const out = await folder("out-force");
    await writeFile(join(out, "notes.txt"), "mine, keep me");

    const first = await run([
      "get",
      linkOf(await run(["share", "--views", "2", ...attach])),
      "-o",
      out,
    ]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain("that name was taken; --force overwrites");
    expect(await readFile(join(out, "notes.txt"), "utf8")).toBe("mine, keep me");
    expect(sha(await readFile(join(out, "notes (1).txt")))).toBe(sha(files.get("notes.txt")!));

    const forced = await run([
      "get",
      linkOf(await run(["share", ...attach])),
      "-o",
      out,
      "--force",
    ]);
    expect(forced.code, forced.stderr).toBe(0);
    expect(sha(await readFile(join(out, "notes.txt")))).toBe(sha(files.get("notes.txt")!));
    // No partial files are left behind.
    expect((await readdir(out)).sort()).toEqual(["notes (1).txt", "notes.txt"]);
  });

  it("saves a hostile sender's names inside the folder, made safe", async () => {
    // What a modified client could put in the encrypted payload: names with paths and dots.
    const names = ["../../escape.sh", ".bashrc", "a/b\\c.txt", "CON", "bidi\u202etxt.exe"];
    const contents = names.map((_, i) => randomBytes(10 + i));
    const sealed = await shareWithNames(names, contents);
    const out = await folder("deep/out-hostile");
    const got = await run(["get", shareLink(server.base, sealed.linkSecret), "-o", out, "--json"]);
    expect(got.code, got.stderr).toBe(0);
    const saved = ["_.._escape.sh", "bashrc", "a_b_c.txt", "_CON", "biditxt.exe"];
    expect((await readdir(out)).sort()).toEqual([...saved].sort());
    for (const [i, name] of saved.entries()) {
      expect(sha(await readFile(join(out, name)))).toBe(sha(contents[i]!));
    }
    expect(existsSync(join(work, "escape.sh"))).toBe(false);
    expect(existsSync(join(work, "deep", "escape.sh"))).toBe(false);
  });

  it("saves names as long as the file system takes, also beside a taken one", async () => {
    // 255 bytes once cleaned: the longest name a folder takes, so nothing may be added around it.
    const names = [`${"x".repeat(300)}.txt`, `${"é".repeat(200)}.pdf`];
    const contents = names.map((_, i) => randomBytes(20 + i));
    const out = await folder("out-long");
    const kept = `${"é".repeat(125)}.pdf`;
    await writeFile(join(out, kept), "mine, keep me");
    const sealed = await shareWithNames(names, contents);
    const got = await run(["get", shareLink(server.base, sealed.linkSecret), "-o", out, "--json"]);
    expect(got.code, got.stderr).toBe(0);
    const { files } = JSON.parse(got.stdout.toString()) as { files: { path: string }[] };
    expect(files.map((f) => Buffer.byteLength(basename(f.path)))).toEqual([255, 254]);
    expect(basename(files[0]!.path)).toBe(`${"x".repeat(251)}.txt`);
    expect(basename(files[1]!.path)).toBe(`${"é".repeat(123)} (1).pdf`);
    for (const [i, file] of files.entries()) {
      expect(sha(await readFile(file.path))).toBe(sha(contents[i]!));
    }
    expect(await readFile(join(out, kept), "utf8")).toBe("mine, keep me");
    expect((await readdir(out)).length).toBe(3);
  });

  it("keeps every file of a secret whose names are the same once made safe, even with --force", async () => {
    const names = ["same.txt", "same.txt", "a/b", "a_b"];
    const contents = names.map((_, i) => randomBytes(30 + i));
    const out = await folder("out-twins");
    await writeFile(join(out, "same.txt"), "old, may be overwritten");
    const sealed = await shareWithNames(names, contents);
    const link = shareLink(server.base, sealed.linkSecret);
    const got = await run(["get", link, "-o", out, "--force", "--json"]);
    expect(got.code, got.stderr).toBe(0);
    const saved = ["same.txt", "same (1).txt", "a_b", "a_b (1)"];
    const { files } = JSON.parse(got.stdout.toString()) as { files: { path: string }[] };
    expect(files.map((f) => basename(f.path))).toEqual(saved);
    for (const [i, name] of saved.entries()) {
      expect(sha(await readFile(join(out, name)))).toBe(sha(contents[i]!));
    }
    expect(got.stderr).toContain(
      "same (1).txt (31 bytes) — another file of this secret has that name",
    );
    expect(got.stderr).not.toContain("--force overwrites");
  });

  it("with --force, keeps a folder that has a file's name and saves the file beside it", async () => {
    const names = ["dir.txt", "after.txt"];
    const contents = names.map((_, i) => randomBytes(40 + i));
    const out = await folder("out-folder-named");
    await mkdir(join(out, "dir.txt", "inside"), { recursive: true });
    const sealed = await shareWithNames(names, contents);
    const link = shareLink(server.base, sealed.linkSecret);
    const got = await run(["get", link, "-o", out, "--force"]);
    expect(got.code, got.stderr).toBe(0);
    expect(got.stderr).toContain("dir (1).txt (40 bytes) — a folder has that name");
    expect(sha(await readFile(join(out, "dir (1).txt")))).toBe(sha(contents[0]!));
    expect(sha(await readFile(join(out, "after.txt")))).toBe(sha(contents[1]!));
    // No partial file is left behind, and the folder is as it was.
    expect((await readdir(out)).sort()).toEqual(["after.txt", "dir (1).txt", "dir.txt"]);
    expect(await readdir(join(out, "dir.txt"))).toEqual(["inside"]);
  });

  it("a file that fails still leaves the secret's text printed and its other files saved", async () => {
    const names = ["first.txt", "broken.txt", "last.txt"];
    const contents = names.map((_, i) => randomBytes(50 + i));
    const out = await folder("out-damaged");
    const sealed = await shareWithNames(names, contents, { text: "the text", damaged: [1] });
    const link = shareLink(server.base, sealed.linkSecret);
    const got = await run(["get", link, "-o", out]);
    expect(got.code).toBe(1);
    // The view is used up: the text is printed now or never.
    expect(got.stdout.toString()).toBe("the text");
    expect(got.stderr).toMatch(/^hushlink: broken\.txt could not be saved: .*damaged/m);
    expect((await readdir(out)).sort()).toEqual(["first.txt", "last.txt"]);
    expect(sha(await readFile(join(out, "last.txt")))).toBe(sha(contents[2]!));

    const again = await shareWithNames(names, contents, { text: "the text", damaged: [1] });
    const json = await run(["get", shareLink(server.base, again.linkSecret), "-o", out, "--json"]);
    expect(json.code).toBe(1);
    const answer = JSON.parse(json.stdout.toString()) as { text: string; files: unknown[] };
    expect(answer.text).toBe("the text");
    expect(answer.files).toHaveLength(2);
  });

  it("status says a secret whose files are still uploading cannot be opened yet", async () => {
    const sealed = await shareWithNames(["a.bin"], [randomBytes(5)], { upload: false });
    const status = await run(["status", shareLink(server.base, sealed.linkSecret)]);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout.toString()).toMatch(/Status: +uploading: its files are not all in yet/);
  });

  it("checks the output folder before the view is used", async () => {
    const inputs = await folder("in-nofolder");
    await writeInputs(inputs, { "a.bin": 3 });
    const link = linkOf(await run(["share", "--attach", join(inputs, "a.bin")]));
    const missing = await run(["get", link, "--output", join(work, "no-such-folder")]);
    expect(missing.code).toBe(64);
    expect(missing.stderr).toContain("is not a folder this user can write to");
    // The view is still there.
    const got = await run(["get", link, "--output", await folder("out-nofolder")]);
    expect(got.code, got.stderr).toBe(0);
  });

  it("refuses files over the server's limits before anything is sent", async () => {
    const inputs = await folder("in-limits");
    const files = await writeInputs(
      inputs,
      Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`x${i}`, 1])),
    );
    const tooMany = await run(
      ["share", ...[...files.keys()].flatMap((n) => ["--attach", join(inputs, n)])],
      { input: "text" },
    );
    expect(tooMany.code).toBe(1);
    expect(tooMany.stderr).toContain(
      "21 files attached; this server takes at most 20 per secret. Nothing was sent.",
    );
    expect(tooMany.stdout.toString()).toBe("");
    const notThere = await run(["share", "--attach", join(inputs, "nope")], { input: "t" });
    expect(notThere.code).toBe(1);
    expect(notThere.stderr).toContain("cannot be read (ENOENT)");
  });

  it("streams files both ways in memory that does not grow with their size", async () => {
    const peaks: { size: number; share: number; get: number }[] = [];
    for (const mib of [32, 256]) {
      const path = join(work, `big-${mib}.bin`);
      const digest = await writeRandomFile(path, mib);
      const shared = await run(["share", "--attach", path], { measure: true });
      const out = await folder(`out-big-${mib}`);
      const got = await run(["get", linkOf(shared), "-o", out], { measure: true });
      expect(got.code, got.stderr).toBe(0);
      expect(await hashOf(join(out, `big-${mib}.bin`))).toBe(digest);
      await rm(out, { recursive: true });
      await rm(path);
      peaks.push({ size: mib, share: shared.maxRssKiB!, get: got.maxRssKiB! });
    }
    console.log(`CLI peak RSS (KiB) by file size (MiB): ${JSON.stringify(peaks)}`);
    // 224 MiB more of file may not cost more than a quarter of that in memory.
    const [small, large] = peaks as [(typeof peaks)[0], (typeof peaks)[0]];
    expect(large.share - small.share).toBeLessThan(56 * 1024);
    expect(large.get - small.get).toBeLessThan(56 * 1024);
  }, 240_000);
});
