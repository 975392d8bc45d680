/** `hushlink request …` against a fake of SPEC §4 /api/v1/requests (the server has none yet). */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { beforeEach, describe, expect, it } from "vitest";

import { request } from "../src/commands/request.js";
import type { ServerConfig } from "../src/lib/api-client.js";
import { EXIT } from "../src/lib/errors.js";
import { checkAnswerFileLimits } from "../src/lib/file-commands.js";
import type { LocalFile } from "../src/lib/files.js";
import { fakeContext, fakeFetch } from "./helpers.js";

const SERVER = "https://hush.example.com";
const ID = "5rYw2Qx3mJ8kL0aB9cD1eF";
const REF = "R".repeat(22);
let env: Record<string, string>;

beforeEach(async () => {
  const home = await mkdtemp(join(tmpdir(), "hushlink-cli-request-"));
  env = { XDG_CONFIG_HOME: home, HUSHLINK_SERVER: SERVER, HUSHLINK_TOKEN: "t0ken" };
});

describe("hushlink request", () => {
  it("create is end-to-end by default: the key fields go up, the reading link to stdout", async () => {
    // Without `ref`, as a server older than it answers: the CLI still takes the answer.
    const server = fakeFetch(() => ({
      status: 201,
      body: { id: ID, url: `${SERVER}/r/${ID}`, expiresAt: "2026-01-01T00:00:00.000Z" },
    }));
    const ctx = fakeContext({ env, fetch: server.fetch });
    expect(await request(ctx, ["create", "--name", "Stripe key"])).toBe(EXIT.ok);
    const body = server.requests[0]?.body as Record<string, unknown>;
    for (const field of ["publicKey", "encryptedPrivateKey", "keyIv", "readToken"]) {
      expect(typeof body[field], field).toBe("string");
    }
    // The reading secret stays in the link's fragment; the read token sent up is its hash.
    const reading = ctx.out().trim();
    expect(reading).toMatch(new RegExp(`^${SERVER}/r/${ID}/open#[A-Za-z0-9_-]{40,}$`));
    expect(JSON.stringify(body)).not.toContain(reading.split("#")[1]);
  });

  it("create --server-encrypted posts the spec's body and prints the url on stdout", async () => {
    const server = fakeFetch(() => ({
      status: 201,
      body: { id: ID, ref: REF, url: `${SERVER}/r/${ID}`, expiresAt: "2026-01-01T00:00:00.000Z" },
    }));
    const ctx = fakeContext({ env, fetch: server.fetch });
    const code = await request(ctx, [
      "create",
      "--name",
      "Stripe key",
      "--expires",
      "1d",
      "--org-only",
      "--server-encrypted",
    ]);
    expect(code).toBe(EXIT.ok);
    expect(ctx.out()).toBe(`${SERVER}/r/${ID}\n`);
    expect(server.requests[0]).toMatchObject({
      method: "POST",
      url: `${SERVER}/api/v1/requests`,
      body: { name: "Stripe key", expiresIn: 86_400, access: "organization" },
      headers: { authorization: "Bearer t0ken" },
    });
  });

  it("list follows nextCursor through every page", async () => {
    const item = (id: string) => ({
      id,
      ref: REF,
      name: null,
      access: "anyone",
      status: "open",
      createdAt: "2026-01-01T00:00:00.000Z",
      expiresAt: "2026-01-02T00:00:00.000Z",
      mine: true,
    });
    const server = fakeFetch((r) =>
      r.url.includes("cursor=")
        ? { status: 200, body: { items: [item(`${ID}b`)], nextCursor: null } }
        : { status: 200, body: { items: [item(`${ID}a`)], nextCursor: "next page" } },
    );
    const ctx = fakeContext({ env, fetch: server.fetch });
    expect(await request(ctx, ["list"])).toBe(EXIT.ok);
    expect(server.requests.map((r) => r.url)).toEqual([
      `${SERVER}/api/v1/requests`,
      `${SERVER}/api/v1/requests?cursor=next%20page`,
    ]);
    expect(ctx.out()).toContain(`${ID}a`);
    expect(ctx.out()).toContain(`${ID}b`);
  });

  it("reveal and delete take an id that begins with '-', as one id in 64 does", async () => {
    const dashed = "-4fZw2Qx3mJ8kL0aB9cD1e";
    const server = fakeFetch((req) =>
      req.method === "DELETE"
        ? { status: 204 }
        : { status: 200, body: { value: "v", submittedAt: "2026-01-01T00:00:00.000Z" } },
    );
    const ctx = fakeContext({ env, fetch: server.fetch });
    expect(await request(ctx, ["reveal", dashed])).toBe(EXIT.ok);
    expect(await request(ctx, ["delete", dashed, "--server", SERVER])).toBe(EXIT.ok);
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      `POST ${SERVER}/api/v1/requests/${dashed}/reveal`,
      `DELETE ${SERVER}/api/v1/requests/${dashed}`,
    ]);
    expect(ctx.out()).toBe("v");
  });

  it("reveal accepts the request link and prints the value exactly", async () => {
    const server = fakeFetch(() => ({
      status: 200,
      body: { value: "sk_live_123  \n", submittedAt: "2026-01-01T00:00:00.000Z" },
    }));
    const ctx = fakeContext({ env, fetch: server.fetch });
    expect(await request(ctx, ["reveal", `${SERVER}/r/${ID}`])).toBe(EXIT.ok);
    expect(server.requests[0]).toMatchObject({
      method: "POST",
      url: `${SERVER}/api/v1/requests/${ID}/reveal`,
    });
    expect(ctx.out()).toBe("sk_live_123  \n");
  });

  it("delete sends DELETE; an unknown request exits 3", async () => {
    const server = fakeFetch(() => ({
      status: 404,
      body: { error: { code: "request_not_found", message: "No such request." } },
    }));
    const ctx = fakeContext({ env, fetch: server.fetch });
    await expect(request(ctx, ["delete", ID])).rejects.toMatchObject({
      exitCode: EXIT.notFound,
      message: "No such request. (request_not_found)",
    });
    expect(server.requests[0]?.method).toBe("DELETE");
  });

  it("without a token the server's 401 says how to sign in (exit 5)", async () => {
    const server = fakeFetch(() => ({
      status: 401,
      body: { error: { code: "login_required", message: "Sign in first." } },
    }));
    const ctx = fakeContext({ env: { ...env, HUSHLINK_TOKEN: "" }, fetch: server.fetch });
    await expect(request(ctx, ["list"])).rejects.toMatchObject({
      exitCode: EXIT.denied,
      message: "Sign in first. Use hushlink login with an API token. (login_required)",
    });
    expect(server.requests[0]?.headers.authorization).toBeUndefined();
  });

  it("refuses a link of the wrong kind without repeating its key on stderr", async () => {
    const key = "Rk3v9QmTq0m0bW1a8J2c_ARk3v9QmTq0m0bW1a8J2c";
    // A reading link (the only key to the answer) or a share link given to the wrong command.
    for (const args of [
      ["reveal", `${SERVER}/r/${ID}/open#${key}`],
      ["delete", `${SERVER}/r/${ID}/open#${key}`],
      ["answer", `${SERVER}/r/${ID}/open#${key}`],
      ["answer", `${SERVER}/s#${key}`],
      ["reveal", `${SERVER}/s#${key}`],
    ]) {
      const ctx = fakeContext({ env, stdin: "x" });
      const error = await request(ctx, args).then(
        () => null,
        (e: unknown) => e as { exitCode: number; message: string },
      );
      expect(error?.exitCode, args.join(" ")).toBe(EXIT.usage);
      expect(error?.message, args.join(" ")).not.toContain(key);
      expect(error?.message, args.join(" ")).toContain("#…");
    }
  });

  it("refuses an id that is not one, and unknown subcommands", async () => {
    const ctx = fakeContext({ env });
    await expect(request(ctx, ["reveal", "../../etc"])).rejects.toMatchObject({
      exitCode: EXIT.usage,
    });
    await expect(request(ctx, ["frob"])).rejects.toMatchObject({ exitCode: EXIT.usage });
  });
});

describe("request answer's file limits", () => {
  const limits = {
    maxSecretBytes: 65_536,
    maxExpiresIn: 86_400,
    maxViews: 10,
    passwordAttempts: 10,
    emailEnabled: false,
    maxFiles: 20,
    maxFileBytes: 1024 ** 3,
    anonymousMaxFileBytes: 0,
  } as ServerConfig;
  const file = { path: "a.bin", meta: { size: 5 } } as LocalFile;

  it("a request made without an account takes no files when anonymous files are off: not 'log in'", () => {
    expect(() => checkAnswerFileLimits([file], limits, false)).toThrow(
      "This request was made without an account: its answer cannot carry files, send text only. Nothing was sent.",
    );
    // An organization's request takes the account limit; no files at all is fine.
    expect(() => checkAnswerFileLimits([file], limits, true)).not.toThrow();
    expect(() => checkAnswerFileLimits([], limits, false)).not.toThrow();
  });
});
