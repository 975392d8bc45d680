/**
 * `hushlink share --to` with a link per recipient, and `hushlink get` of a link that asks for an
 * e-mailed code (issue 19): the built CLI as a child process without a terminal, against the real
 * app listening on 127.0.0.1, with a real SMTP server whose mail the test reads.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestApp, type TestApp } from "../../server/test/helpers/app.js";
import {
  memberOf,
  orgIdOf,
  signup,
  uniqueEmail,
  type Client,
} from "../../server/test/helpers/accounts.js";
import { json } from "../../server/test/helpers/http.js";
import { PUBLIC_URL } from "../../server/test/helpers/requests.js";
import { startSmtpServer, type TestSmtpServer } from "../../server/test/helpers/smtp.js";
import { hushlink as runCli } from "./live-server.js";

const PASSWORD = "orchid-meadow-5521";

describe("hushlink share --to and get with an e-mailed code", () => {
  let smtp: TestSmtpServer;
  let t: TestApp;
  let base: string;
  let alice: Client;
  let bob: Client;
  const work = mkdtempSync(join(tmpdir(), "hushlink-recipients-"));
  let pumping = true;
  let pump: Promise<void>;

  // The share password the CLI reads instead of prompting (no terminal here).
  const env = { HUSHLINK_PASSWORD: PASSWORD };
  const hushlink = (
    args: string[],
    options: { input?: string; env?: Record<string, string> } = {},
  ) => runCli(base, work, args, { timeoutMs: 60_000, ...options });

  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await createTestApp("sqlite", {
      env: { SMTP_URL: smtp.url, MAIL_FROM: "Hushlink <no-reply@hushlink.test>" },
    });
    base = await t.app.listen({ host: "127.0.0.1", port: 0 });
    alice = await signup(t, uniqueEmail("alice"), "Alice");
    bob = await memberOf(t, await orgIdOf(alice), uniqueEmail("bob"), "Bob");
    const { token } = json<{ token: string }>(
      await alice.inject({ method: "POST", url: "/api/v1/tokens", payload: { name: "cli" } }),
    );
    expect((await hushlink(["login", "--token", token])).code).toBe(0);
    // The outbox is sent as a server process would, while the CLI waits for delivery states.
    pump = (async () => {
      while (pumping) {
        await t.services.mail.runOnce();
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
  });
  afterAll(async () => {
    pumping = false;
    await pump;
    await t.close();
    await smtp.stop();
  });

  /** The link secret mailed to `email` in the newest share mail to that address. */
  function mailedSecret(email: string): string {
    const mails = smtp.messages.filter(
      (m) => m.envelopeTo.includes(email) && /\/s#/.test(m.parsed.text ?? ""),
    );
    const text = mails.at(-1)?.parsed.text ?? "";
    return /\/s#([A-Za-z0-9_-]+)/.exec(text)![1]!;
  }

  /** `hushlink share` with a password to addresses outside the organization (`to`: a, b). */
  async function shareOutside(to: string, views: number, input: string, more: string[] = []) {
    const created = await hushlink(
      ["share", "--to", to, "--allow-external", "--password", "--views", String(views), ...more],
      { input, env },
    );
    expect(created.code, created.stderr).toBe(0);
    return created;
  }
  const linkMailedTo = (email: string) => `${base}/s#${mailedSecret(email)}`;

  function mailedCode(email: string): string {
    const mails = smtp.messages.filter((m) => m.envelopeTo.includes(email));
    return /Your code: (\d{6})/.exec(mails.at(-1)?.parsed.text ?? "")![1]!;
  }

  it("prints one line per recipient with its delivery state and no link; each gets their own", async () => {
    const ext = uniqueEmail("contractor");
    const res = await hushlink(
      ["share", "--to", bob.email, "--to", ext, "--allow-external", "--password", "--views", "2"],
      { input: "the deploy key", env },
    );
    expect(res.stderr).toContain("Views:    2 views per recipient");
    expect(res.code, res.stderr).toBe(0);
    const out = res.stdout.toString("utf8");
    expect(out).toBe(`${bob.email}\tsent\n${ext}\tsent\n`);
    expect(out + res.stderr).not.toMatch(/\/s#/);
    // Two links, one per address.
    expect(mailedSecret(bob.email)).not.toBe(mailedSecret(ext));
  });

  it("adds the links with --print-links: the same links the recipients were mailed", async () => {
    const [x, y] = [uniqueEmail("xena"), uniqueEmail("yuri")];
    const res = await hushlink(
      ["share", "--to", `${x},${y}`, "--allow-external", "--password", "--print-links"],
      { input: "printed", env },
    );
    expect(res.code, res.stderr).toBe(0);
    const lines = res.stdout.toString("utf8").trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    for (const [line, email] of [
      [lines[0]!, x],
      [lines[1]!, y],
    ] as const) {
      const [address, state, link] = line.split("\t");
      expect(address).toBe(email);
      expect(state).toBe("sent");
      // The very link mailed, on PUBLIC_URL, not on the address the CLI called (SPEC §3).
      expect(link).toBe(`${PUBLIC_URL}/s#${mailedSecret(email)}`);
    }
  });

  it("opens a link that asks for a code: sends the code, exits 4 without a terminal, then opens with --email-code", async () => {
    const ext = uniqueEmail("jane");
    await shareOutside(ext, 2, "the vault key");
    const link = linkMailedTo(ext);

    const first = await hushlink(["get", link], { env });
    expect(first.code).toBe(4);
    expect(first.stderr).toContain("A code was e-mailed to j•••@example.test");
    expect(first.stderr).toContain("--email-code");
    expect(first.stdout.toString()).toBe("");
    await t.services.mail.runOnce();
    const code = mailedCode(ext);

    const wrong = await hushlink(
      ["get", link, "--email-code", code === "000000" ? "111111" : "000000"],
      {
        env,
      },
    );
    expect(wrong.code).toBe(4);
    expect(wrong.stderr).toContain("Wrong code: 4 tries left for this code");
    const malformed = await hushlink(["get", link, "--email-code", "12ab"], { env });
    expect(malformed.code).toBe(64);

    const opened = await hushlink(["get", link, "--email-code", code], { env });
    expect(opened.stderr).toContain("1 more view left.");
    expect(opened.code, opened.stderr).toBe(0);
    expect(opened.stdout.toString("utf8")).toBe("the vault key");
    // The code opened one view; the next needs a new one.
    const reused = await hushlink(["get", link, "--email-code", code], { env });
    expect(reused.code).toBe(4);
    expect(reused.stderr).toContain("email_code_expired");
    // Asking again within the minute says so, and still asks for the code sent before.
    const again = await hushlink(["get", link], { env });
    expect(again.code).toBe(4);
    expect(again.stderr).toMatch(/A code was e-mailed to j•••@example.test/);
  }, 180_000);

  it("uploads an attached file once; each recipient's link downloads the same file", async () => {
    const [p, q] = [uniqueEmail("pat"), uniqueEmail("quin")];
    const file = join(work, "build.tar");
    const bytes = Buffer.alloc(1024 * 1024 + 77);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31) % 256;
    writeFileSync(file, bytes);
    const created = await shareOutside(`${p},${q}`, 1, "", ["--no-email-code", "--attach", file]);
    expect(created.stderr).toContain("Files:    1 (");
    for (const email of [p, q]) {
      const out = join(work, `out-${email}`);
      mkdirSync(out);
      const got = await hushlink(["get", linkMailedTo(email), "--output", out, "--json"], { env });
      expect(got.code, got.stderr).toBe(0);
      const answer = JSON.parse(got.stdout.toString("utf8")) as { files: { path: string }[] };
      expect(answer.files).toHaveLength(1);
      expect(readFileSync(answer.files[0]!.path).equals(bytes)).toBe(true);
    }
  });

  it("status and delete of one recipient's link: whom it was for, the code asked for, then gone", async () => {
    const ext = uniqueEmail("kim");
    await shareOutside(ext, 3, "for kim");
    const link = linkMailedTo(ext);

    const shown = await hushlink(["status", link]);
    expect(shown.code, shown.stderr).toBe(0);
    const text = shown.stdout.toString("utf8");
    expect(text).toContain("Sent to:    k•••@example.test");
    expect(text).toContain("Email code: required");
    expect(text).not.toContain(ext);

    // Without a terminal: the code is mailed, and delete stops for it (exit 4), nothing deleted.
    const asked = await hushlink(["delete", link], { env });
    expect(asked.code).toBe(4);
    expect(asked.stderr).toContain("A code was e-mailed to k•••@example.test");
    await t.services.mail.runOnce();
    const code = mailedCode(ext);
    const wrong = await hushlink(
      ["delete", link, "--email-code", code === "000000" ? "111111" : "000000"],
      { env },
    );
    expect(wrong.code).toBe(4);
    expect((await hushlink(["status", link])).code).toBe(0);
    const deleted = await hushlink(["delete", link, "--email-code", code], { env });
    expect(deleted.code, deleted.stderr).toBe(0);
    expect((await hushlink(["status", link])).code).toBe(2);
  }, 180_000);

  it("status ID shows a line per recipient; delete ID ends every recipient's link", async () => {
    const [m, n] = [uniqueEmail("mona"), uniqueEmail("nils")];
    const created = await shareOutside(`${m},${n}`, 2, "for both", [
      "--no-email-code",
      "--name",
      "two links",
    ]);
    const id = /Share: +([A-Za-z0-9_-]{22}) /.exec(created.stderr)?.[1];
    expect(id).toBeDefined();
    const [linkM, linkN] = [linkMailedTo(m), linkMailedTo(n)];
    const got = await hushlink(["get", linkM], { env });
    expect(got.code, got.stderr).toBe(0);

    const shown = await hushlink(["status", id!]);
    expect(shown.code, shown.stderr).toBe(0);
    const lines = shown.stdout.toString("utf8").split("\n");
    expect(lines).toContain("Name:       two links");
    const lineOf = (email: string) => lines.find((l) => l.includes(email)) ?? "";
    expect(lineOf(m)).toMatch(
      /\tactive\tviews 1 of 2\te-mail sent\tlast viewed .* from 127\.0\.0\.1/,
    );
    expect(lineOf(n)).toContain("\tactive\tviews 0 of 2\te-mail sent\tnot viewed yet");
    const asJson = await hushlink(["status", id!, "--json"]);
    expect(JSON.parse(asJson.stdout.toString("utf8"))).toMatchObject({
      id,
      linkPerRecipient: true,
    });

    const deleted = await hushlink(["delete", id!]);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stderr).toContain("every recipient's link");
    for (const link of [linkM, linkN]) expect((await hushlink(["status", link])).code).toBe(2);
    const after = await hushlink(["status", id!]);
    expect(after.stdout.toString("utf8")).toContain("Status:     deleted");
    // A share id opens nothing, and is unknown to someone else's account.
    expect((await hushlink(["get", id!])).code).toBe(64);
    expect((await hushlink(["delete", "A".repeat(22)])).code).toBe(3);
  }, 180_000);

  it("sends a member their own link; --print-links and --no-email-code alone are usage errors", async () => {
    const res = await hushlink(["share", "--to", bob.email], { input: "for bob" });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout.toString("utf8")).toBe(`${bob.email}\tsent\n`);
    expect((await hushlink(["share", "--print-links"], { input: "x" })).code).toBe(64);
    const noCode = await hushlink(["share", "--to", bob.email, "--no-email-code"], { input: "x" });
    expect(noCode.code).toBe(64);
  });
});
