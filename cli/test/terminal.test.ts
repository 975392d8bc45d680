/**
 * Issue 15 item 6 (client side) and issue 25 defect 8: nothing a server sends reaches the
 * terminal with control characters, except the secret `get` was asked for; --allow-external;
 * "did you mean".
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { seal, shareLink } from "@hushlink/protocol";
import { beforeEach, describe, expect, it } from "vitest";

import { run } from "../src/cli.js";
import { EXIT } from "../src/lib/errors.js";
import { didYouMean } from "../src/lib/suggest.js";
import { jsonLine, printable } from "../src/lib/terminal.js";
import { fakeContext, fakeFetch } from "./helpers.js";

const SERVER = "https://hush.example.com";
const ID = "5rYw2Qx3mJ8kL0aB9cD1eF";
/** OSC 52 (write the clipboard), erase line, carriage return, a C1 CSI, BEL. */
const NASTY = "\u001b]52;c;ZWNobyBwd25lZA==\u0007\u001b[2K\rfake row\u009b31m";
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

let env: Record<string, string>;
beforeEach(async () => {
  const home = await mkdtemp(join(tmpdir(), "hushlink-cli-terminal-"));
  env = { XDG_CONFIG_HOME: home, HUSHLINK_SERVER: SERVER, HUSHLINK_TOKEN: "t0ken" };
});

describe("printable and jsonLine", () => {
  it("remove C0 (but tab and newline), DEL and C1; JSON keeps every character escaped", () => {
    expect(printable(`a${NASTY}\tb\n`)).toBe("a]52;c;ZWNobyBwd25lZA==[2Kfake row31m\tb\n");
    const line = jsonLine({ name: NASTY });
    expect(line).not.toMatch(CONTROL);
    expect(JSON.parse(line)).toEqual({ name: NASTY });
  });
});

describe("what the server sends is printed without control characters", () => {
  const item = {
    id: ID,
    ref: "R".repeat(22),
    name: `Stripe key${NASTY}`,
    access: "anyone",
    status: "fulfilled",
    createdAt: "2026-01-01T00:00:00.000Z",
    expiresAt: "2026-01-02T00:00:00.000Z",
    mine: true,
  };

  it("request list: names, in the table and in --json", async () => {
    const server = fakeFetch(() => ({ status: 200, body: { items: [item], nextCursor: null } }));
    const table = fakeContext({ env, fetch: server.fetch });
    expect(await run(["request", "list"], table)).toBe(EXIT.ok);
    expect(table.out()).not.toMatch(CONTROL);
    expect(table.out()).toContain("Stripe key]52;c;");
    // The web says "Answered"; so does the CLI.
    expect(table.out()).toMatch(new RegExp(`${ID}\\s+answered\\s`));

    const json = fakeContext({ env, fetch: server.fetch });
    expect(await run(["request", "list", "--json"], json)).toBe(EXIT.ok);
    expect(json.out()).not.toMatch(CONTROL);
    expect((JSON.parse(json.out()) as { items: { name: string }[] }).items[0]?.name).toBe(
      item.name,
    );
  });

  it("error messages from the server", async () => {
    const server = fakeFetch(() => ({
      status: 400,
      body: { error: { code: "invalid_request", message: `Bad name ${NASTY}` } },
    }));
    const ctx = fakeContext({ env, fetch: server.fetch });
    expect(await run(["request", "create", "--name", "x"], ctx)).toBe(EXIT.error);
    expect(ctx.err()).toContain("hushlink: Bad name ]52;c;");
    expect(ctx.err()).not.toMatch(CONTROL);
  });

  it("status of a manage link: the name", async () => {
    const server = fakeFetch(() => ({
      status: 200,
      body: {
        id: ID,
        name: `db${NASTY}`,
        status: "active",
        createdAt: "2026-01-01T00:00:00.000Z",
        expiresAt: "2026-01-02T00:00:00.000Z",
        maxViews: 1,
        viewCount: 0,
        goneAt: null,
      },
    }));
    const ctx = fakeContext({ env, fetch: server.fetch });
    expect(await run(["status", `${SERVER}/manage/${ID}#tok`], ctx)).toBe(EXIT.ok);
    expect(ctx.out()).toContain("db]52;c;");
    expect(ctx.out()).not.toMatch(CONTROL);
  });

  it("but get prints the secret byte for byte: the user asked for exactly that", async () => {
    const sealed = await seal(`secret${NASTY}`);
    const server = fakeFetch((r) =>
      r.method === "POST"
        ? {
            status: 200,
            body: { ciphertext: sealed.body.ciphertext, iv: sealed.body.iv, viewsRemaining: 0 },
          }
        : {
            status: 200,
            body: {
              id: sealed.body.id,
              access: "anyone",
              requiresPassword: false,
              expiresAt: "2026-01-02T00:00:00.000Z",
              viewsRemaining: 1,
            },
          },
    );
    const ctx = fakeContext({ env, fetch: server.fetch });
    expect(await run(["get", shareLink(SERVER, sealed.linkSecret)], ctx)).toBe(EXIT.ok);
    expect(ctx.out()).toBe(`secret${NASTY}`);
  });
});

describe("share --allow-external", () => {
  const config = {
    maxSecretBytes: 1024,
    maxExpiresIn: 7 * 86_400,
    maxViews: 100,
    emailEnabled: true,
    passwordAttempts: 10,
  };
  const server = () => {
    let created: string | undefined;
    return fakeFetch((r) => {
      if (r.url.endsWith("/api/v1/config")) return { status: 200, body: config };
      // share --to reads each recipient's delivery state back from the list (issue 19).
      if (r.method === "GET" && r.url.includes("/api/v1/shares?")) {
        const item = {
          id: created,
          name: null,
          access: "anyone",
          createdAt: "2026-01-01T00:00:00.000Z",
          expiresAt: "2026-01-02T00:00:00.000Z",
          maxViews: 1,
          viewCount: 0,
          status: "active",
          recipients: [{ email: "ext@partner.example", delivery: "sent" }],
        };
        return { status: 200, body: { items: [item], nextCursor: null } };
      }
      created = (r.body as { id: string }).id;
      return {
        status: 201,
        body: { id: created, expiresAt: "2026-01-02T00:00:00.000Z", maxViews: 1 },
      };
    });
  };

  it("requires --password, and --to, and refuses --org-only beside it", async () => {
    const cases: [string[], RegExp][] = [
      [["--to", "ext@partner.example", "--allow-external"], /needs --password/],
      [["--allow-external", "--password"], /is for --to/],
      [
        ["--to", "ext@partner.example", "--allow-external", "--password", "--org-only"],
        /contradict/,
      ],
    ];
    for (const [args, message] of cases) {
      const s = server();
      const ctx = fakeContext({ env, stdin: "s3cret", fetch: s.fetch });
      expect(await run(["share", ...args], ctx), args.join(" ")).toBe(EXIT.usage);
      expect(ctx.err()).toMatch(message);
      expect(s.requests, "nothing is sent").toEqual([]);
    }
  });

  it("sends allowExternalRecipients with a password-protected share", async () => {
    const s = server();
    const ctx = fakeContext({
      env: { ...env, HUSHLINK_PASSWORD: "tulip-anchor-77" },
      stdin: "for the contractor",
      fetch: s.fetch,
    });
    const code = await run(
      ["share", "--to", "ext@partner.example", "--allow-external", "--password"],
      ctx,
    );
    expect(code, ctx.err()).toBe(EXIT.ok);
    const post = s.requests.find((r) => r.method === "POST");
    // A link of the recipient's own (F14), with the password's verifier of that link.
    expect(post?.body).toMatchObject({
      recipientLinks: [
        {
          email: "ext@partner.example",
          password: { verifier: expect.any(String) as unknown },
        },
      ],
      allowExternalRecipients: true,
    });
    expect(ctx.out()).toBe("ext@partner.example\tsent\n");
  });

  it("an outsider without it: the message names the CLI's option, not the web's checkbox", async () => {
    const s = fakeFetch((r) =>
      r.url.endsWith("/api/v1/config")
        ? { status: 200, body: config }
        : {
            status: 400,
            body: {
              error: {
                code: "recipient_not_member",
                message: "x is not a member. Allow external recipients to send it there.",
                email: "ext@partner.example",
              },
            },
          },
    );
    const ctx = fakeContext({ env, stdin: "s", fetch: s.fetch });
    expect(await run(["share", "--to", "ext@partner.example"], ctx)).toBe(EXIT.error);
    expect(ctx.err()).toContain(
      "ext@partner.example is not a member of your organization. To send it there, add --allow-external (with --password).",
    );
  });
});

describe("did you mean", () => {
  it("finds near names and prefixes, and nothing far off", () => {
    const commands = ["share", "get", "status", "delete", "request", "login", "logout"];
    expect(didYouMean("shrae", commands)).toBe("share");
    expect(didYouMean("reqest", commands)).toBe("request");
    expect(didYouMean("stat", commands)).toBe("status");
    expect(didYouMean("gte", commands)).toBe("get");
    expect(didYouMean("frobnicate", commands)).toBeNull();
    expect(didYouMean("x", commands)).toBeNull();
  });
});
