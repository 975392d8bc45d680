/**
 * The built `hushlink` command as a child process against a real server process, checked against
 * the web page's code path (the protocol package called directly). Builds nothing itself: the root
 * `npm test` builds first.
 */
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import {
  checkFingerprint,
  CreateShareResponse,
  deriveLinkKeys,
  derivePasswordKeys,
  linkSecretFrom,
  open,
  openPayload,
  RevealResponse,
  seal,
  sealAnswer,
  shareLink,
  ShareMetadata,
} from "@hushlink/protocol";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { freePort } from "../../server/test/helpers/server-process.js";
import { hushlink as runCli, ROOT, startServer, type LiveServer, type Run } from "./live-server.js";

const BUILT = ["cli/dist/main.js", "server/dist/main.js", "protocol/dist/index.js"];

function requireBuild(): void {
  const missing = BUILT.filter((file) => !existsSync(join(ROOT, file)));
  if (missing.length > 0) {
    throw new Error(
      `The CLI end-to-end tests run the built code, and ${missing.join(", ")} ` +
        "is missing: run `npm run build` at the root first (or `npm test`, which builds).",
    );
  }
}

let server: LiveServer | undefined;
let base = "";
let work = "";
let dataDir = "";

/**
 * Runs `node cli/bin/hushlink.js …` against this file's server. Detached, so it has no
 * controlling terminal: a prompt can never wait for a person, and the HUSHLINK_PASSWORD path is
 * what is tested.
 */
const hushlink = (
  args: string[],
  options: { input?: string | Buffer; env?: Record<string, string> } = {},
): Promise<Run> => runCli(base, work, args, { ...options, timeoutMs: 25_000 });

/** What the web page does to create a share: seal in the client, POST the sealed body. */
async function webShare(
  text: string,
  options: { password?: string; maxViews?: number | null; note?: string } = {},
): Promise<string> {
  const sealed = await seal(text, {
    ...(options.password ? { password: options.password } : {}),
    ...(options.note ? { note: options.note } : {}),
  });
  const response = await fetch(`${base}/api/v1/shares`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ ...sealed.body, expiresIn: 3600, maxViews: options.maxViews ?? 1 }),
  });
  expect(response.status).toBe(201);
  CreateShareResponse.parse(await response.json());
  return shareLink(base, sealed.linkSecret);
}

/** What the web page does to open a link: metadata, reveal, decrypt in the client. */
async function webOpen(link: string, password?: string): Promise<string> {
  const linkSecret = linkSecretFrom(link);
  const keys = await deriveLinkKeys(linkSecret);
  const metadata = ShareMetadata.parse(
    await (await fetch(`${base}/api/v1/shares/${keys.id}`)).json(),
  );
  let passwordKey: Uint8Array | undefined;
  let verifier: string | undefined;
  if (metadata.requiresPassword) {
    if (!password || !metadata.kdf) throw new Error("a password is needed");
    ({ passwordKey, verifier } = await derivePasswordKeys(linkSecret, password, metadata.kdf));
  }
  const response = await fetch(`${base}/api/v1/shares/${keys.id}/reveal`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ viewToken: keys.viewToken, verifier }),
  });
  expect(response.status).toBe(200);
  return open(linkSecret, RevealResponse.parse(await response.json()), passwordKey);
}

/** The link printed by `hushlink share`: stdout is exactly one line, the link. */
function linkFrom(run: Run): string {
  expect(run.stderr).not.toMatch(/^hushlink: /m);
  expect(run.code).toBe(0);
  const out = run.stdout.toString("utf8");
  expect(out).toMatch(new RegExp(`^${base.replace(/\./g, "\\.")}/s#[A-Za-z0-9_-]{43}\\n$`));
  return out.trimEnd();
}

beforeAll(async () => {
  requireBuild();
  work = await mkdtemp(join(tmpdir(), "hushlink-cli-e2e-"));
  dataDir = join(work, "data");
  server = await startServer(work);
  base = server.base;
});

afterAll(async () => {
  await server?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe("hushlink share", () => {
  it("reads stdin and prints only the link, which the web page's code opens", async () => {
    const secret = "  db password: hunter2  \n\nsecond line\t\n";
    const run = await hushlink(["share", "--expires", "1h", "--views", "2"], { input: secret });
    const link = linkFrom(run);
    expect(run.stderr).toContain("Expires:");
    expect(run.stderr).toContain("2 views");
    expect(run.stderr).toMatch(new RegExp(`Manage: +${base}/manage/[A-Za-z0-9_-]+#`));
    expect(await webOpen(link)).toBe(secret);
  });

  it("protects with HUSHLINK_PASSWORD; the web page's code opens it with the password", async () => {
    const run = await hushlink(["share", "--password"], {
      input: "behind a password",
      env: { HUSHLINK_PASSWORD: "correct horse" },
    });
    const link = linkFrom(run);
    expect(run.stderr).toContain("Password: required");
    expect(await webOpen(link, "correct horse")).toBe("behind a password");
  });

  it("sends a UTF-8 file exactly: CRLF, tabs, trailing spaces, no final newline", async () => {
    const text = "first line  \r\n\tindented\t\r\n\r\nünïcødé ✓ 🔑   \r\nlast line, no newline   ";
    const file = join(work, "crlf.txt");
    await writeFile(file, text, "utf8");
    const link = linkFrom(await hushlink(["share", "--file", file]));
    const run = await hushlink(["get", link]);
    expect(run.code).toBe(0);
    expect(run.stdout.equals(Buffer.from(text, "utf8"))).toBe(true);
  });

  it("refuses a file that is not UTF-8, with a clear message and nothing sent", async () => {
    const file = join(work, "binary.bin");
    await writeFile(
      file,
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0x00]),
    );
    const run = await hushlink(["share", "--file", file]);
    expect(run.code).toBe(1);
    expect(run.stdout.length).toBe(0);
    expect(run.stderr).toBe(
      `hushlink: ${file} is not UTF-8 text: to share it as a file, use --attach ${file}. Nothing was sent.\n`,
    );
  });

  it("refuses a secret over the server's limit before sending it", async () => {
    const { maxSecretBytes } = (await (await fetch(`${base}/api/v1/config`)).json()) as {
      maxSecretBytes: number;
    };
    const run = await hushlink(["share"], { input: "a".repeat(maxSecretBytes + 1) });
    expect(run.code).toBe(1);
    expect(run.stdout.length).toBe(0);
    expect(run.stderr).toMatch(/^hushlink: The input is larger than this server's limit/);
    // Exactly at the limit is fine.
    linkFrom(await hushlink(["share"], { input: "a".repeat(maxSecretBytes) }));
  });

  it("refuses bad options with a usage error (exit 64)", async () => {
    const run = await hushlink(["share", "--expires", "soon"], { input: "x" });
    expect(run.code).toBe(64);
    expect(run.stderr).toContain("--expires must be a duration");
    expect(run.stderr).toContain("Run 'hushlink share --help' for usage.");
  });
});

describe("hushlink get", () => {
  it("prints a secret created by the web page's code exactly, without adding a newline", async () => {
    const secret = "web secret with trailing spaces   ";
    const link = await webShare(secret);
    const run = await hushlink(["get", link]);
    expect(run.code).toBe(0);
    expect(run.stdout.toString("utf8")).toBe(secret);
    expect(run.stderr).toContain("last view");
  });

  it("asks the server of the link, not HUSHLINK_SERVER", async () => {
    const link = await webShare("from the link's server");
    const run = await hushlink(["get", link], { env: { HUSHLINK_SERVER: "http://127.0.0.1:9" } });
    expect(run.code).toBe(0);
    expect(run.stdout.toString()).toBe("from the link's server");
  });

  it("prints JSON with --json", async () => {
    const link = await webShare("json me", { maxViews: 3 });
    const run = await hushlink(["get", "--json", link]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout.toString())).toEqual({ text: "json me", viewsRemaining: 2 });
  });

  it("shows the sender's note on stderr, labelled, and in --json; stdout stays the secret", async () => {
    const link = await webShare("s3cret", { note: "Staging DB.\nRotate Friday.", maxViews: 2 });
    const run = await hushlink(["get", link]);
    expect(run.code).toBe(0);
    expect(run.stdout.toString("utf8")).toBe("s3cret");
    expect(run.stderr).toContain("Message from the sender:\nStaging DB.\nRotate Friday.\n");
    const json = await hushlink(["get", "--json", link]);
    expect(JSON.parse(json.stdout.toString())).toEqual({
      text: "s3cret",
      note: "Staging DB.\nRotate Friday.",
      viewsRemaining: 0,
    });
  });

  it("share --note puts the note in the encrypted payload for the web page to show", async () => {
    const link = linkFrom(await hushlink(["share", "--note", "for Dana"], { input: "pw" }));
    const linkSecret = linkSecretFrom(link);
    const keys = await deriveLinkKeys(linkSecret);
    const response = await fetch(`${base}/api/v1/shares/${keys.id}/reveal`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ viewToken: keys.viewToken }),
    });
    const sealed = RevealResponse.parse(await response.json());
    expect(sealed.ciphertext).not.toContain("Dana");
    expect(await openPayload(linkSecret, sealed)).toEqual({ text: "pw", note: "for Dana" });
  });

  it("opens a web-page share with HUSHLINK_PASSWORD; a wrong one exits 4 with attempts left", async () => {
    const link = await webShare("password protected", { password: "s3cret pw" });

    const wrong = await hushlink(["get", link], { env: { HUSHLINK_PASSWORD: "guess" } });
    expect(wrong.code).toBe(4);
    expect(wrong.stdout.length).toBe(0);
    expect(wrong.stderr).toMatch(
      /^hushlink: Wrong password: 9 attempts left before the secret is destroyed\. \(wrong_password\)\n$/,
    );

    const missing = await hushlink(["get", link]);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toContain("set HUSHLINK_PASSWORD");

    const right = await hushlink(["get", link], { env: { HUSHLINK_PASSWORD: "s3cret pw" } });
    expect(right.code).toBe(0);
    expect(right.stdout.toString()).toBe("password protected");
  });

  it("exits 2 with when and why for a link already viewed", async () => {
    const link = await webShare("once");
    expect((await hushlink(["get", link])).code).toBe(0);
    const run = await hushlink(["get", link]);
    expect(run.code).toBe(2);
    expect(run.stdout.length).toBe(0);
    expect(run.stderr).toMatch(
      /^hushlink: This secret was already viewed on \d{4}-\d\d-\d\d \d\d:\d\d UTC\. If that was not you, tell the sender\. \(share_gone\)\n$/,
    );
  });

  it("exits 2 with 'expired' for an expired link", async () => {
    const link = await webShare("short-lived");
    const { id } = await deriveLinkKeys(linkSecretFrom(link));
    const db = new Database(join(dataDir, "hushlink.sqlite"));
    try {
      db.prepare("UPDATE shares SET expires_at = ? WHERE id = ?").run(Date.now() - 1000, id);
    } finally {
      db.close();
    }
    const run = await hushlink(["get", link]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/This secret expired on .* UTC\. \(share_gone\)/);
  });

  it("exits 3 for a link the server does not know", async () => {
    const sealed = await seal("never uploaded");
    const run = await hushlink(["get", shareLink(base, sealed.linkSecret)]);
    expect(run.code).toBe(3);
    expect(run.stderr).toBe(
      "hushlink: This secret does not exist: check that the link is complete. (share_not_found)\n",
    );
  });

  it("exits 64 for something that is not a link, saying whether the key is damaged or missing", async () => {
    const damaged = await hushlink(["get", `${base}/s#nope`]);
    expect(damaged.code).toBe(64);
    expect(damaged.stderr).toContain(
      "hushlink: This link is not valid: the part after '#' is not a Hushlink key",
    );
    expect(damaged.stderr).not.toContain("needs the part after");
    const missing = await hushlink(["get", `${base}/s`]);
    expect(missing.code).toBe(64);
    expect(missing.stderr).toContain("it needs the part after '#'");
  });
});

describe("hushlink status and delete", () => {
  it("status reads the metadata and consumes nothing", async () => {
    const link = await webShare("look but do not touch");
    for (let i = 0; i < 2; i++) {
      const run = await hushlink(["status", link]);
      expect(run.code).toBe(0);
      expect(run.stdout.toString()).toMatch(/Status: +active/);
      expect(run.stdout.toString()).toMatch(/Views left: +1 view\n/);
    }
    const json = await hushlink(["status", "--json", link]);
    expect(JSON.parse(json.stdout.toString())).toMatchObject({
      viewsRemaining: 1,
      requiresPassword: false,
    });
    // The single view is still there.
    const got = await hushlink(["get", link]);
    expect(got.stdout.toString()).toBe("look but do not touch");
    const after = await hushlink(["status", link]);
    expect(after.code).toBe(2);
    expect(after.stderr).toContain("already viewed on");
  });

  it("delete with the share link, then get exits 2 'deleted'", async () => {
    const link = await webShare("delete me", { maxViews: 5 });
    const deleted = await hushlink(["delete", link]);
    expect(deleted.code).toBe(0);
    expect(deleted.stderr).toContain("Deleted");
    const run = await hushlink(["get", link]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^hushlink: This secret was deleted on .* UTC\. \(share_gone\)\n$/);
    expect((await hushlink(["delete", link])).code).toBe(2);
  });

  it("delete with the link of a password secret needs the password, as get does", async () => {
    const link = await webShare("delete me with the password", {
      password: "s3cret pw",
      maxViews: 5,
    });
    const missing = await hushlink(["delete", link]);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toContain("set HUSHLINK_PASSWORD");
    const wrong = await hushlink(["delete", link], { env: { HUSHLINK_PASSWORD: "guess" } });
    expect(wrong.code).toBe(4);
    expect(wrong.stderr).toContain("9 attempts left");
    const right = await hushlink(["delete", link], { env: { HUSHLINK_PASSWORD: "s3cret pw" } });
    expect(right.code).toBe(0);
    expect(right.stderr).toContain("Deleted");
    expect((await hushlink(["get", link])).code).toBe(2);
  });

  it("--name counts characters as the server does (code points), so 200 emoji fit", async () => {
    const name = "🔑".repeat(200);
    const shared = await hushlink(["share", "--name", name], { input: "named" });
    expect(shared.stderr).not.toMatch(/^hushlink: /m);
    expect(shared.code).toBe(0);
    const manage = /Manage: +(\S+)/.exec(shared.stderr)?.[1] ?? "";
    expect((await hushlink(["status", manage])).stdout.toString()).toContain(`Name:`);
    expect((await hushlink(["status", manage])).stdout.toString()).toContain(name);
    const long = await hushlink(["share", "--name", `${name}🔑`], { input: "named" });
    expect(long.code).toBe(64);
    expect(long.stderr.toString()).toContain("--name must be at most 200 characters.");
  });

  it("delete and status with the manage link printed by share", async () => {
    const shared = await hushlink(["share", "--name", "deploy key"], { input: "managed" });
    const link = linkFrom(shared);
    const manage = /Manage: +(\S+)/.exec(shared.stderr)?.[1] ?? "";
    const before = await hushlink(["status", manage]);
    expect(before.code).toBe(0);
    expect(before.stdout.toString()).toMatch(/Status: +active/);
    expect(before.stdout.toString()).toMatch(/Name: +deploy key/);
    expect((await hushlink(["delete", manage])).code).toBe(0);
    const after = await hushlink(["status", manage]);
    expect(after.stdout.toString()).toMatch(/Status: +deleted/);
    expect((await hushlink(["get", link])).code).toBe(2);
  });
});

describe("errors and help", () => {
  it("says clearly when the server cannot be reached", async () => {
    const port = await freePort();
    const run = await hushlink(["share", "--server", `http://127.0.0.1:${port}`], { input: "x" });
    expect(run.code).toBe(1);
    expect(run.stdout.length).toBe(0);
    expect(run.stderr).toBe(
      `hushlink: Cannot reach the server at http://127.0.0.1:${port}: connection refused. ` +
        "Check --server or HUSHLINK_SERVER, and that it is running.\n",
    );
  });

  it.each(["share", "get", "status", "delete", "login", "logout", "request"])(
    "%s --help shows usage and examples",
    async (command) => {
      const run = await hushlink([command, "--help"]);
      expect(run.code).toBe(0);
      expect(run.stdout.toString()).toMatch(new RegExp(`^Usage: hushlink ${command}`));
      expect(run.stdout.toString()).toMatch(/Examples?:/);
      expect(run.stderr).toBe("");
    },
  );

  it("--help lists the commands and the exit codes; --version prints the version", async () => {
    const help = await hushlink(["--help"]);
    expect(help.code).toBe(0);
    for (const word of ["share", "get", "status", "delete", "request", "login", "Exit codes"]) {
      expect(help.stdout.toString()).toContain(word);
    }
    const version = await hushlink(["--version"]);
    expect(version.stdout.toString()).toMatch(/^hushlink \d+\.\d+\.\d+ \(protocol v1\)\n$/);
  });

  it("an unknown command exits 64", async () => {
    const run = await hushlink(["frobnicate"]);
    expect(run.code).toBe(64);
    expect(run.stderr).toContain('Unknown command "frobnicate"');
  });

  it("a mistyped command suggests the one meant; a far-off one suggests nothing", async () => {
    const typo = await hushlink(["shrae"]);
    expect(typo.code).toBe(64);
    expect(typo.stderr).toContain('hushlink: Unknown command "shrae". Did you mean "share"?');
    const sub = await hushlink(["request", "lsit"], { env: { HUSHLINK_TOKEN: "x" } });
    expect(sub.code).toBe(64);
    expect(sub.stderr).toContain('Did you mean "list"?');
    const far = await hushlink(["frobnicate"]);
    expect(far.stderr).not.toContain("Did you mean");
  });
});

/** The cookies an answer sets, by name. */
function cookiesOf(answer: Response): Record<string, string> {
  return Object.fromEntries(
    answer.headers.getSetCookie().map((c) => {
      const [pair = ""] = c.split(";");
      const at = pair.indexOf("=");
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
}

/**
 * Signs up through the API as the web page does, confirms the address with the link of the
 * verification mail in the same "browser" (which signs it in), then creates an API token.
 */
async function signupWithToken(email: string): Promise<string> {
  const signup = await fetch(`${base}/api/v1/auth/signup`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password: "plum-river-lantern-42", name: "Requester" }),
  });
  expect(signup.status).toBe(202);
  const browser = cookiesOf(signup).hl_signup;
  expect(browser).toBeTruthy();
  // Only a confirmed address may hold a token: follow the link of the verification mail, which
  // the server (no SMTP configured) wrote into the data folder.
  const verified = await fetch(`${base}/api/v1/auth/verify-email`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie: `hl_signup=${browser}` },
    body: JSON.stringify({ token: await verificationToken(email) }),
  });
  expect(verified.status).toBe(204);
  const cookies = cookiesOf(verified);
  expect(cookies.hl_session).toBeTruthy();
  expect(cookies.hl_csrf).toBeTruthy();
  const headers = {
    "content-type": "application/json",
    cookie: `hl_session=${cookies.hl_session}; hl_csrf=${cookies.hl_csrf}`,
    "x-csrf-token": cookies.hl_csrf ?? "",
  };
  const created = await fetch(`${base}/api/v1/tokens`, {
    method: "POST",
    headers,
    body: JSON.stringify({ name: "cli e2e" }),
  });
  expect(created.status).toBe(201);
  return ((await created.json()) as { token: string }).token;
}

/** The token of the verification mail to `email` in the data folder's mail/ (.eml files). */
async function verificationToken(email: string): Promise<string> {
  const folder = join(dataDir, "mail");
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const names = await readdir(folder).catch(() => [] as string[]);
    for (const name of names) {
      const text = (await readFile(join(folder, name), "utf8"))
        .replace(/=\r?\n/g, "")
        .replace(/=3D/g, "=");
      if (!text.toLowerCase().includes(`to: ${email.toLowerCase()}`)) continue;
      const token = /verify-email#([\w-]+)/.exec(text)?.[1];
      if (token) return token;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no verification mail to ${email} in ${folder}`);
}

/** What the request link's page does: submit the value, unauthenticated. */
function submitToRequest(id: string, value: string): Promise<Response> {
  return fetch(`${base}/api/v1/requests/${id}/submit`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ value }),
  });
}

describe("hushlink request", () => {
  // Its own config folder: the token stored by login must not reach the other tests' commands.
  let env: Record<string, string>;
  const email = `requester.${process.pid}@example.test`;

  beforeAll(async () => {
    env = { XDG_CONFIG_HOME: join(work, "requester-config") };
    const token = await signupWithToken(email);
    const login = await hushlink(["login", "--token", token], { env });
    expect(login.stderr).toContain(`Logged in to ${base} as ${email}.`);
    expect(login.code).toBe(0);
  });

  it("create, list, reveal and delete, with a submission through the API in between", async () => {
    const created = await hushlink(
      ["request", "create", "--server-encrypted", "--name", "Stripe key", "--expires", "1h"],
      {
        env,
      },
    );
    expect(created.stderr).not.toMatch(/^hushlink: /m);
    expect(created.code).toBe(0);
    const url = created.stdout.toString("utf8");
    expect(url).toMatch(new RegExp(`^${base.replace(/\./g, "\\.")}/r/[A-Za-z0-9_-]{22}\\n$`));
    const id = url.trimEnd().split("/r/")[1] ?? "";
    expect(created.stderr).toContain(`hushlink request reveal ${id}`);

    // The link's page: anyone can read what is asked, nothing is consumed.
    const page = await fetch(`${base}/api/v1/requests/${id}`);
    expect(page.status).toBe(200);
    expect(await page.json()).toMatchObject({ id, name: "Stripe key", status: "open" });

    const listed = await hushlink(["request", "list"], { env });
    expect(listed.code).toBe(0);
    expect(listed.stdout.toString()).toMatch(new RegExp(`^${id} +open +.+ Stripe key$`, "m"));

    const early = await hushlink(["request", "reveal", id], { env });
    expect(early.code).toBe(1);
    expect(early.stdout.length).toBe(0);
    expect(early.stderr).toBe(
      "hushlink: Nothing has been submitted to this request yet. (request_not_fulfilled)\n",
    );

    const value = "sk_live_51Hx  trailing spaces, a tab\t and ünïcødé 🔑\n";
    expect((await submitToRequest(id, value)).status).toBe(204);
    const again = await submitToRequest(id, "second try");
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: { code: "request_fulfilled" } });

    const json = await hushlink(["request", "list", "--json"], { env });
    expect(json.code).toBe(0);
    const items = (JSON.parse(json.stdout.toString()) as { items: Record<string, unknown>[] })
      .items;
    expect(items).toEqual([
      expect.objectContaining({
        id,
        name: "Stripe key",
        access: "anyone",
        status: "fulfilled",
        submittedAt: expect.any(String) as unknown,
      }),
    ]);

    // Exactly the submitted bytes, by id or by link.
    const revealed = await hushlink(["request", "reveal", url.trimEnd()], { env });
    expect(revealed.code).toBe(0);
    expect(revealed.stdout.equals(Buffer.from(value, "utf8"))).toBe(true);
    const revealedJson = await hushlink(["request", "reveal", "--json", id], { env });
    expect(JSON.parse(revealedJson.stdout.toString())).toEqual({
      value,
      submittedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown,
    });

    const deleted = await hushlink(["request", "delete", id], { env });
    expect(deleted.code).toBe(0);
    expect(deleted.stderr).toContain("Deleted.");
    const gone = await hushlink(["request", "reveal", id], { env });
    expect(gone.code).toBe(3);
    expect(gone.stderr).toContain("(request_not_found)");
    expect((await hushlink(["request", "delete", id], { env })).code).toBe(3);
    expect((await fetch(`${base}/api/v1/requests/${id}`)).status).toBe(404);
    const empty = await hushlink(["request", "list"], { env });
    expect(empty.stdout.length).toBe(0);
    expect(empty.stderr).toContain("No requests.");
  });

  it("reveal of an end-to-end request says to open it with its reading link", async () => {
    const created = await hushlink(["request", "create", "--json"], { env });
    expect(created.code).toBe(0);
    const { id, requestLink } = JSON.parse(created.stdout.toString()) as Record<string, string>;
    expect((await hushlink(["request", "answer", requestLink!], { input: "x", env })).code).toBe(0);
    const revealed = await hushlink(["request", "reveal", id!], { env });
    expect(revealed.code).toBe(1);
    expect(revealed.stdout.length).toBe(0);
    expect(revealed.stderr.toString()).toBe(
      "hushlink: This request is end-to-end: its answer opens only with the reading link printed when it was made, with hushlink request open READING_LINK. (answer_kind_mismatch)\n",
    );
    expect((await hushlink(["request", "delete", id!], { env })).code).toBe(0);
  });

  it("--org-only: the link's page needs a member's sign-in", async () => {
    const created = await hushlink(["request", "create", "--server-encrypted", "--org-only"], {
      env,
    });
    expect(created.code).toBe(0);
    const id = created.stdout.toString().trimEnd().split("/r/")[1] ?? "";
    const page = await fetch(`${base}/api/v1/requests/${id}`);
    expect(page.status).toBe(401);
    expect((await submitToRequest(id, "anonymous")).status).toBe(401);
    expect((await hushlink(["request", "delete", id], { env })).code).toBe(0);
  });

  it("without a token, the request commands exit 5 and say how to sign in", async () => {
    const run = await hushlink(["request", "list"], {
      env: { XDG_CONFIG_HOME: join(work, "nobody-config") },
    });
    expect(run.code).toBe(5);
    expect(run.stdout.length).toBe(0);
    expect(run.stderr).toMatch(
      /^hushlink: .*hushlink login with an API token.*\(login_required\)\n$/,
    );
  });
});

describe("hushlink request --end-to-end (SPEC F13)", () => {
  const nobody = () => ({ XDG_CONFIG_HOME: join(work, "anonymous-config") });

  it("CLI to CLI without an account: create, answer from stdin, open exactly", async () => {
    const created = await hushlink(["request", "create", "--end-to-end", "--name", "db"], {
      env: nobody(),
    });
    expect(created.stderr).not.toMatch(/^hushlink: /m);
    expect(created.code).toBe(0);
    const readingLink = created.stdout.toString("utf8").trimEnd();
    expect(readingLink).toMatch(new RegExp(`^${base}/r/[A-Za-z0-9_-]{22}/open#[A-Za-z0-9_-]{43}$`));
    const requestLink = /Send this link to who should answer: (\S+)/.exec(created.stderr)?.[1];
    expect(requestLink).toMatch(new RegExp(`^${base}/r/[A-Za-z0-9_-]{22}#[A-Za-z0-9_-]{43}$`));

    const early = await hushlink(["request", "open", readingLink], { env: nobody() });
    expect(early.code).toBe(3);
    expect(early.stderr).toContain("Not answered yet.");

    const value = "sk_live  trailing spaces, a tab\t and ünïcødé 🔑\n";
    const answered = await hushlink(["request", "answer", requestLink!], {
      input: value,
      env: nobody(),
    });
    expect(answered.stderr).not.toMatch(/^hushlink: /m);
    expect(answered.code).toBe(0);
    const again = await hushlink(["request", "answer", requestLink!], {
      input: "second",
      env: nobody(),
    });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("(request_fulfilled)");

    const opened = await hushlink(["request", "open", readingLink], { env: nobody() });
    expect(opened.code).toBe(0);
    expect(opened.stdout.equals(Buffer.from(value, "utf8"))).toBe(true);
    // The server's files never hold the answer or the reading secret.
    const secret = readingLink.split("#")[1]!;
    for (const file of await readdir(dataDir, { recursive: true })) {
      const bytes = await readFile(join(dataDir, file)).catch(() => null);
      if (!bytes) continue;
      expect(bytes.includes("ünïcødé"), file).toBe(false);
      expect(bytes.includes(secret), file).toBe(false);
    }
  });

  it("is the default: create without a flag makes an end-to-end request", async () => {
    const created = await hushlink(["request", "create", "--name", "default"], { env: nobody() });
    expect(created.stderr).not.toMatch(/^hushlink: /m);
    expect(created.code).toBe(0);
    expect(created.stdout.toString("utf8")).toMatch(
      new RegExp(`^${base}/r/[A-Za-z0-9_-]{22}/open#[A-Za-z0-9_-]{43}\n$`),
    );
    const both = await hushlink(["request", "create", "--end-to-end", "--server-encrypted"], {
      env: nobody(),
    });
    expect(both.code).toBe(64);
    expect(both.stderr).toContain("Choose --end-to-end or --server-encrypted, not both.");
  });

  it("--json gives both links and the manage token; a swapped key is refused", async () => {
    const created = await hushlink(["request", "create", "--end-to-end", "--json"], {
      env: nobody(),
    });
    expect(created.code).toBe(0);
    const out = JSON.parse(created.stdout.toString()) as Record<string, string>;
    expect(Object.keys(out).sort()).toEqual(
      ["expiresAt", "id", "manageToken", "readingLink", "requestLink"].sort(),
    );
    // A link whose fingerprint is not the request's key: the answer is never sent.
    const wrong = `${out.requestLink!.split("#")[0]}#${"A".repeat(43)}`;
    const refused = await hushlink(["request", "answer", wrong], { input: "x", env: nobody() });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("does not match");
    const meta = (await (await fetch(`${base}/api/v1/requests/${out.id}`)).json()) as {
      status: string;
    };
    expect(meta.status).toBe("open");
    const del = await fetch(`${base}/api/v1/requests/${out.id}`, {
      method: "DELETE",
      headers: { "x-manage-token": out.manageToken! },
    });
    expect(del.status).toBe(204);
  });

  it("the web page's code answers what the CLI asked, and the CLI opens it", async () => {
    const created = await hushlink(["request", "create", "--end-to-end", "--json"], {
      env: nobody(),
    });
    const out = JSON.parse(created.stdout.toString()) as Record<string, string>;
    const [page, fingerprint = ""] = out.requestLink!.split("#");
    const id = page!.split("/r/")[1]!;
    const meta = (await (await fetch(`${base}/api/v1/requests/${id}`)).json()) as {
      publicKey: string;
    };
    await checkFingerprint(meta.publicKey, fingerprint);
    const response = await fetch(`${base}/api/v1/requests/${id}/submit`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(await sealAnswer(meta.publicKey, { text: "from the browser" })),
    });
    expect(response.status).toBe(204);
    const opened = await hushlink(["request", "open", out.readingLink!], { env: nobody() });
    expect(opened.stdout.toString()).toBe("from the browser");
  });
});
