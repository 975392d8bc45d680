/** Commands in-process, against a fake fetch: what goes over the wire and what the user sees. */
import { mkdtemp, readFile, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { seal } from "@hushlink/protocol";
import { beforeEach, describe, expect, it } from "vitest";

import { get } from "../src/commands/get.js";
import { login, logout } from "../src/commands/login.js";
import { share } from "../src/commands/share.js";
import { createApiClient } from "../src/lib/api-client.js";
import { configPath, writeConfig } from "../src/lib/config.js";
import { ApiError, EXIT } from "../src/lib/errors.js";
import { decodeUtf8 } from "../src/lib/input.js";
import { fakeContext, fakeFetch, type RecordedRequest } from "./helpers.js";

const SERVER = "https://hush.example.com";
const CONFIG = {
  maxSecretBytes: 16,
  maxExpiresIn: 7 * 86_400,
  maxViews: 100,
  emailEnabled: false,
  passwordAttempts: 10,
};

let home: string;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), "hushlink-cli-unit-"));
});

function shareServer() {
  return fakeFetch((request: RecordedRequest) => {
    if (request.url.endsWith("/api/v1/config")) return { status: 200, body: CONFIG };
    if (request.method === "POST" && request.url.endsWith("/api/v1/shares")) {
      const body = request.body as { id: string; maxViews: number | null };
      return {
        status: 201,
        body: {
          id: body.id,
          expiresAt: "2026-01-01T00:00:00.000Z",
          maxViews: body.maxViews,
          manageToken: "m",
        },
      };
    }
    return { status: 404, body: { error: { code: "not_found", message: "No such route." } } };
  });
}

/** The share command's fake server, and a context that points at it with `stdin` as input. */
function sharing(stdin: string | Buffer) {
  const server = shareServer();
  const ctx = fakeContext({
    env: { HUSHLINK_SERVER: SERVER, XDG_CONFIG_HOME: home },
    stdin,
    fetch: server.fetch,
  });
  return { server, ctx };
}

describe("share", () => {
  it("sends the sealed body with the options and prints only the link on stdout", async () => {
    const { server, ctx } = sharing("  spaced \n");
    const code = await share(ctx, ["--expires", "1h", "--views", "unlimited", "--name", "db"]);
    expect(code).toBe(EXIT.ok);
    expect(ctx.out()).toMatch(/^https:\/\/hush\.example\.com\/s#[A-Za-z0-9_-]{43}\n$/);
    expect(ctx.err()).toContain("Manage:   https://hush.example.com/manage/");
    const post = server.requests.find((r) => r.method === "POST");
    expect(post?.body).toMatchObject({ expiresIn: 3600, maxViews: null, name: "db" });
    const body = post?.body as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(
      ["ciphertext", "expiresIn", "id", "iv", "maxViews", "name", "viewToken"].sort(),
    );
    // No link secret and no plaintext leave the machine.
    const sent = JSON.stringify(post?.body);
    expect(sent).not.toContain("spaced");
    expect(sent).not.toContain(ctx.out().trim().split("#")[1]);
  });

  it("refuses input over the server's limit before sending anything", async () => {
    const { server, ctx } = sharing("x".repeat(17));
    await expect(share(ctx, [])).rejects.toThrow(/larger than this server's limit of 16 bytes/);
    expect(server.requests.map((r) => r.method)).toEqual(["GET"]);
  });

  it("refuses input that is not UTF-8", async () => {
    const { server, ctx } = sharing(Buffer.from([0x61, 0xff, 0x62]));
    await expect(share(ctx, [])).rejects.toThrow(/not UTF-8 text/);
    expect(server.requests.some((r) => r.method === "POST")).toBe(false);
  });

  it("refuses an expiry over the server's maximum", async () => {
    const { ctx } = sharing("x");
    await expect(share(ctx, ["--expires", "30d"])).rejects.toThrow(
      /longer than this server allows \(7 days\)/,
    );
  });

  it("asks for a server when none is configured", async () => {
    const ctx = fakeContext({ env: { XDG_CONFIG_HOME: home }, stdin: "x" });
    await expect(share(ctx, [])).rejects.toThrow(/Which server\?/);
  });

  it("needs an account for --org-only", async () => {
    const { ctx } = sharing("x");
    await expect(share(ctx, ["--org-only"])).rejects.toMatchObject({ exitCode: EXIT.denied });
  });

  it("refuses an option of one value given twice, --file first, before sending anything", async () => {
    // Taking the last --file shared one of the two files and said nothing of the other.
    for (const args of [
      ["--file", "a.txt", "--file", "b.txt"],
      ["-f", "a.txt", "--file=b.txt"],
      ["--expires", "1h", "--expires", "30d"],
      ["--views", "1", "-v", "5"],
      ["--name", "a", "--name", "b"],
    ]) {
      const { server, ctx } = sharing("x");
      const error = await share(ctx, args).catch((e: unknown) => e);
      expect(error, args.join(" ")).toMatchObject({ exitCode: EXIT.usage });
      expect((error as Error).message).toMatch(/given twice/);
      expect(server.requests).toEqual([]);
    }
  });

  it("refuses the secret as an argument, without repeating it", async () => {
    const ctx = fakeContext({ env: { XDG_CONFIG_HOME: home } });
    const error = await share(ctx, ["hunter2"]).catch((e: unknown) => e);
    expect(error).toMatchObject({ exitCode: EXIT.usage });
    expect((error as Error).message).not.toContain("hunter2");
  });
});

describe("bearer tokens", () => {
  async function revealRequests(env: Record<string, string>, link: string) {
    const server = fakeFetch(() => ({
      status: 404,
      body: { error: { code: "share_not_found", message: "Not found." } },
    }));
    const ctx = fakeContext({ env: { XDG_CONFIG_HOME: home, ...env }, fetch: server.fetch });
    await expect(get(ctx, [link])).rejects.toMatchObject({ exitCode: EXIT.notFound });
    return server.requests;
  }
  const S = "B".repeat(42) + "A";

  it("sends the stored token to the server it was stored for", async () => {
    await writeConfig({ XDG_CONFIG_HOME: home }, { server: SERVER, token: "t0ken" });
    const [request] = await revealRequests({}, `${SERVER}/s#${S}`);
    expect(request?.headers.authorization).toBe("Bearer t0ken");
  });

  it("never sends it to the server of someone else's link", async () => {
    await writeConfig({ XDG_CONFIG_HOME: home }, { server: SERVER, token: "t0ken" });
    const [request] = await revealRequests(
      { HUSHLINK_TOKEN: "env-token", HUSHLINK_SERVER: SERVER },
      `https://evil.example/s#${S}`,
    );
    expect(request?.url.startsWith("https://evil.example/")).toBe(true);
    expect(request?.headers.authorization).toBeUndefined();
  });

  it("sends HUSHLINK_TOKEN to the configured server", async () => {
    const [request] = await revealRequests(
      { HUSHLINK_TOKEN: "env-token", HUSHLINK_SERVER: SERVER },
      `#${S}`,
    );
    expect(request?.url.startsWith(SERVER)).toBe(true);
    expect(request?.headers.authorization).toBe("Bearer env-token");
  });
});

describe("api client errors", () => {
  const client = (status: number, body?: unknown) =>
    createApiClient({ base: SERVER, fetch: fakeFetch(() => ({ status, body })).fetch });

  it("says when and why a share is gone, exit 2", async () => {
    const error = await client(410, {
      error: {
        code: "share_gone",
        message: "gone",
        reason: "viewed",
        at: "2026-03-04T05:06:07.000Z",
      },
    })
      .shareMetadata("x")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ exitCode: EXIT.gone, code: "share_gone" });
    expect((error as Error).message).toBe(
      "This secret was already viewed on 2026-03-04 05:06 UTC. If that was not you, tell the sender. (share_gone)",
    );
  });

  it("words every reason a share is gone, and one it does not know yet", async () => {
    const messageFor = async (reason: string) => {
      const body = { error: { code: "share_gone", message: "gone", reason } };
      const error = await client(410, body)
        .shareMetadata("x")
        .catch((e: unknown) => e);
      return (error as Error).message;
    };
    expect(await messageFor("revoked")).toBe("The sender took this link back. (share_gone)");
    expect(await messageFor("locked")).toBe(
      "This secret was locked and destroyed after too many wrong passwords. (share_gone)",
    );
    expect(await messageFor("purged")).toBe("This secret is gone. (share_gone)");
  });

  it("counts the password attempts left, exit 4", async () => {
    const error = await client(403, {
      error: { code: "wrong_password", message: "Wrong password.", attemptsRemaining: 1 },
    })
      .revealShare("x", { viewToken: "v" })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ exitCode: EXIT.password });
    expect((error as Error).message).toBe(
      "Wrong password: 1 attempt left before the secret is destroyed. (wrong_password)",
    );
  });

  it("passes other API messages through with their code", async () => {
    const error = await client(400, {
      error: { code: "invalid_request", message: "expiresIn is too large" },
    })
      .config()
      .catch((e: unknown) => e);
    expect((error as Error).message).toBe("expiresIn is too large. (invalid_request)");
    expect(error).toMatchObject({ exitCode: EXIT.error });
  });

  it("copes with an answer that is not JSON", async () => {
    const fetchImpl = (() =>
      Promise.resolve(new Response("<html>bad gateway</html>", { status: 502 }))) as typeof fetch;
    const error = await createApiClient({ base: SERVER, fetch: fetchImpl })
      .config()
      .catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/^The server answered HTTP 502/);
  });

  it("explains an unreachable server in one line", async () => {
    const fetchImpl = (() =>
      Promise.reject(
        new TypeError("fetch failed", {
          cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }),
        }),
      )) as typeof fetch;
    const error = await createApiClient({ base: SERVER, fetch: fetchImpl })
      .config()
      .catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      `Cannot reach the server at ${SERVER}: connection refused. Check --server or HUSHLINK_SERVER, and that it is running.`,
    );
  });

  it("does not follow redirects, and says where to go", async () => {
    const fetchImpl = (() =>
      Promise.resolve(
        new Response(null, {
          status: 308,
          headers: { location: "https://hush.example.com/api/v1/config" },
        }),
      )) as typeof fetch;
    const error = await createApiClient({ base: "http://hush.example.com", fetch: fetchImpl })
      .config()
      .catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      "The server at http://hush.example.com redirects to https://hush.example.com: use that address (--server https://hush.example.com).",
    );
  });

  it("refuses an answer that does not match the protocol", async () => {
    const error = await client(200, { nope: true })
      .shareMetadata("x")
      .catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/Unexpected answer/);
  });
});

describe("login and logout", () => {
  it("stores the token with mode 0600 in a 0700 directory", async () => {
    const server = fakeFetch(() => ({
      status: 200,
      body: {
        user: { id: "u", email: "ana@example.com", name: null, emailVerified: true },
        orgs: [],
      },
    }));
    const ctx = fakeContext({ env: { XDG_CONFIG_HOME: home }, fetch: server.fetch });
    expect(await login(ctx, ["--server", `${SERVER}/`, "--token", "t0ken"])).toBe(EXIT.ok);
    expect(server.requests[0]?.headers.authorization).toBe("Bearer t0ken");
    expect(ctx.err()).toContain("as ana@example.com");
    const path = configPath({ XDG_CONFIG_HOME: home });
    expect(JSON.parse(await readFile(path, "utf8"))).toEqual({ server: SERVER, token: "t0ken" });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(home, "hushlink"))).mode & 0o777).toBe(0o700);

    const out = fakeContext({ env: { XDG_CONFIG_HOME: home } });
    expect(await logout(out, [])).toBe(EXIT.ok);
    expect(JSON.parse(await readFile(path, "utf8"))).toEqual({ server: SERVER });
  });

  it("reads the token from a pipe", async () => {
    const server = fakeFetch(() => ({
      status: 404,
      body: { error: { code: "not_found", message: "x" } },
    }));
    const ctx = fakeContext({
      env: { XDG_CONFIG_HOME: home },
      stdin: "piped\n",
      fetch: server.fetch,
    });
    expect(await login(ctx, ["--server", SERVER])).toBe(EXIT.ok);
    expect(server.requests[0]?.headers.authorization).toBe("Bearer piped");
    expect(ctx.err()).toContain("could not confirm it yet");
  });

  it("does not store a token the server refuses", async () => {
    const server = fakeFetch(() => ({
      status: 401,
      body: { error: { code: "unauthorized", message: "Invalid token." } },
    }));
    const ctx = fakeContext({ env: { XDG_CONFIG_HOME: home }, fetch: server.fetch });
    await expect(login(ctx, ["--server", SERVER, "--token", "bad"])).rejects.toMatchObject({
      exitCode: EXIT.denied,
    });
    await expect(stat(configPath({ XDG_CONFIG_HOME: home }))).rejects.toThrow();
  });

  it("ignores a relative XDG_CONFIG_HOME, as the XDG spec says", () => {
    expect(configPath({ XDG_CONFIG_HOME: "rel", HOME: "/home/ana" })).toBe(
      "/home/ana/.config/hushlink/config.json",
    );
  });
});

describe("decodeUtf8", () => {
  it("keeps the text exactly, byte order mark included", () => {
    const text = "\uFEFFa\r\n\tb  ";
    expect(decodeUtf8(new TextEncoder().encode(text))).toBe(text);
  });
  it("returns null for bytes that are not UTF-8", () => {
    expect(decodeUtf8(new Uint8Array([0xc3, 0x28]))).toBeNull();
  });
});

describe("get", () => {
  it("prints the secret exactly and nothing else on stdout", async () => {
    const sealed = await seal("no newline at the end");
    const server = fakeFetch((request) => {
      if (request.method === "GET") {
        return {
          status: 200,
          body: {
            id: sealed.body.id,
            access: "anyone",
            requiresPassword: false,
            expiresAt: "2026-01-01T00:00:00.000Z",
            viewsRemaining: 1,
          },
        };
      }
      expect(request.body).toEqual({ viewToken: sealed.body.viewToken });
      return {
        status: 200,
        body: { ciphertext: sealed.body.ciphertext, iv: sealed.body.iv, viewsRemaining: 0 },
      };
    });
    const ctx = fakeContext({ env: { XDG_CONFIG_HOME: home }, fetch: server.fetch });
    expect(await get(ctx, [`${SERVER}/s#${sealed.linkSecret}`])).toBe(EXIT.ok);
    expect(ctx.out()).toBe("no newline at the end");
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      `GET ${SERVER}/api/v1/shares/${sealed.body.id}`,
      `POST ${SERVER}/api/v1/shares/${sealed.body.id}/reveal`,
    ]);
  });
});
