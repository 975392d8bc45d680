/**
 * Links are `{PUBLIC_URL}/s#{S}` (SPEC §3), also when the CLI reaches the server at another
 * address (an internal name, a port on 127.0.0.1): `hushlink share` prints the link and the manage
 * link on the address people use, which `GET /api/v1/config` names, as `request create` already
 * did from the request's `url`. The real app on 127.0.0.1 with another PUBLIC_URL.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestApp, type TestApp } from "../../server/test/helpers/app.js";
import { run } from "../src/cli.js";
import { fakeContext } from "./helpers.js";

const PUBLIC_URL = "https://hush.example.com";

describe("hushlink share behind another public address", () => {
  let t: TestApp;
  let base: string;
  const work = mkdtempSync(join(tmpdir(), "hushlink-public-url-"));

  const hushlink = async (args: string[], stdin = "") => {
    const ctx = fakeContext({
      env: { HOME: work, HUSHLINK_SERVER: base },
      stdin,
      fetch: globalThis.fetch,
    });
    const code = await run(args, ctx);
    return { code, stdout: ctx.out(), stderr: ctx.err() };
  };

  beforeAll(async () => {
    t = await createTestApp("sqlite", { env: { PUBLIC_URL } });
    base = await t.app.listen({ host: "127.0.0.1", port: 0 });
  });
  afterAll(() => t.close());

  it("GET /api/v1/config names the public address", async () => {
    const res = await fetch(`${base}/api/v1/config`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { publicUrl?: string }).publicUrl).toBe(PUBLIC_URL);
  });

  it("prints the link and the manage link on PUBLIC_URL; the link's key opens the secret", async () => {
    const shared = await hushlink(["share", "--expires", "1h"], "db password");
    expect(shared.code, shared.stderr).toBe(0);
    const link = shared.stdout.trim();
    expect(link).toMatch(new RegExp(`^${PUBLIC_URL}/s#[A-Za-z0-9_-]{43}$`));
    expect(shared.stderr).toMatch(new RegExp(`Manage: +${PUBLIC_URL}/manage/[A-Za-z0-9_-]{22}#`));
    expect(shared.stdout + shared.stderr).not.toContain(base);

    // The key alone, with the server from HUSHLINK_SERVER: this test cannot resolve PUBLIC_URL.
    const got = await hushlink(["get", link.slice(link.indexOf("#"))]);
    expect(got.code, got.stderr).toBe(0);
    expect(got.stdout).toBe("db password");
  });
});

describe("hushlink share when PUBLIC_URL is not set", () => {
  let t: TestApp;
  let base: string;
  const work = mkdtempSync(join(tmpdir(), "hushlink-no-public-url-"));

  beforeAll(async () => {
    t = await createTestApp("sqlite", { env: { PUBLIC_URL: undefined } });
    base = await t.app.listen({ host: "127.0.0.1", port: 0 });
  });
  afterAll(() => t.close());

  it("the server names no public address (its default, localhost, is a guess); the link is on the one called", async () => {
    const config = (await (await fetch(`${base}/api/v1/config`)).json()) as object;
    expect(config).not.toHaveProperty("publicUrl");
    const ctx = fakeContext({
      env: { HOME: work, HUSHLINK_SERVER: base },
      stdin: "db password",
      fetch: globalThis.fetch,
    });
    expect(await run(["share"], ctx), ctx.err()).toBe(0);
    expect(ctx.out()).toMatch(new RegExp(`^${base}/s#[A-Za-z0-9_-]{43}\\n$`));
  });
});
