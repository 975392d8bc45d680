import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { brotliCompressSync, brotliDecompressSync, gzipSync } from "node:zlib";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { CONTENT_SECURITY_POLICY } from "../src/plugins/security-headers.js";
import { createTestApp, type TestApp } from "./helpers/app.js";
import { standInDist } from "./helpers/stand-in-dist.js";

const APP_SCRIPT = `console.log(${JSON.stringify("app ".repeat(200))});`;

describe("the web app's pages", () => {
  let t: TestApp;
  let dist: string;
  beforeAll(async () => {
    // A stand-in build, so this suite does not depend on web/dist having been built.
    dist = standInDist(
      '<!doctype html><title>Hushlink</title><script type="module" src="/assets/app-abc123.js"></script>',
      {
        "app-abc123.js": APP_SCRIPT,
        // As web/scripts/precompress.mjs leaves them.
        "app-abc123.js.br": brotliCompressSync(APP_SCRIPT),
        "app-abc123.js.gz": gzipSync(APP_SCRIPT),
        ".hidden": "not served",
      },
    );
    writeFileSync(join(dist, "favicon.svg"), "<svg/>");
    mkdirSync(join(dist, "files-download"));
    writeFileSync(join(dist, "files-download", "sw.js"), "// worker");
    t = await createTestApp("sqlite", { env: { WEB_DIST: dist } });
  });
  afterAll(async () => {
    await t.close();
    rmSync(dist, { recursive: true, force: true });
  });

  it.each([
    "/",
    "/s",
    "/manage/abc",
    "/r/abc",
    "/r/abc/open",
    "/request",
    "/login",
    "/signup",
    "/verify-email",
    "/reset-password",
    "/forgot-password",
    "/invitations/tok",
    "/app",
    "/app/members",
  ])("serves %s with the CSP and no caching", async (url) => {
    const res = await t.app.inject({ url, headers: { accept: "text/html" } });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toContain("text/html");
    expect(res.headers["content-security-policy"]).toBe(CONTENT_SECURITY_POLICY);
    expect(res.headers["cache-control"]).toBe("no-store");
    expect(res.headers["referrer-policy"]).toBe("no-referrer");
    expect(res.body).toContain("<title>Hushlink</title>");
  });

  it.each(["/s/", "/login/", "/manage/abc/", "/r/abc/", "/r/abc/open/", "/invitations/tok/"])(
    "serves %s, a page address with a trailing slash, as the page itself (200, not 404)",
    async (url) => {
      const res = await t.app.inject({ url, headers: { accept: "text/html" } });
      expect(res.statusCode).toBe(200);
      expect(res.headers["content-type"]).toContain("text/html");
      expect(res.headers["cache-control"]).toBe("no-store");
      expect(res.body).toContain("<title>Hushlink</title>");
    },
  );

  it("caches hashed assets for a year", async () => {
    const res = await t.app.inject({ url: "/assets/app-abc123.js" });
    expect(res.statusCode).toBe(200);
    expect(res.headers["cache-control"]).toContain("immutable");
    expect(res.headers["content-security-policy"]).toBe(CONTENT_SECURITY_POLICY);
  });

  it("sends the Brotli or gzip copy of an asset to a browser that accepts it, the plain file otherwise", async () => {
    const br = await t.app.inject({
      url: "/assets/app-abc123.js",
      headers: { "accept-encoding": "gzip, deflate, br, zstd" },
    });
    expect(br.statusCode).toBe(200);
    expect(br.headers["content-encoding"]).toBe("br");
    expect(br.headers["content-type"]).toContain("javascript");
    expect(br.headers["cache-control"]).toContain("immutable");
    expect(br.headers.vary).toContain("accept-encoding");
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(APP_SCRIPT);

    const gz = await t.app.inject({
      url: "/assets/app-abc123.js",
      headers: { "accept-encoding": "gzip" },
    });
    expect(gz.headers["content-encoding"]).toBe("gzip");
    expect(gz.rawPayload.length).toBeLessThan(APP_SCRIPT.length);

    const plain = await t.app.inject({
      url: "/assets/app-abc123.js",
      headers: { "accept-encoding": "identity" },
    });
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.body).toBe(APP_SCRIPT);
  });

  it("serves the assets through one route, not one per file (issue 24: idle memory, start-up)", () => {
    expect(t.app.hasRoute({ method: "GET", url: "/assets/*" })).toBe(true);
    expect(t.app.hasRoute({ method: "GET", url: "/assets/app-abc123.js" })).toBe(false);
  });

  it("answers 404 for an asset that is not there, a dotfile, the folder itself and a way out of it", async () => {
    for (const url of [
      "/assets/app-nope.js",
      "/assets/.hidden",
      "/assets/",
      "/assets/..%2findex.html",
    ]) {
      const res = await t.app.inject({ url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json(), url).toMatchObject({ error: { code: "not_found" } });
      expect(res.body, url).not.toContain("<title>Hushlink</title>");
      expect(res.body, url).not.toContain("not served");
    }
  });

  it("serves the files outside assets/ without the year-long cache", async () => {
    for (const url of ["/favicon.svg", "/files-download/sw.js"]) {
      const res = await t.app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers["cache-control"], url).toBe("no-cache");
    }
  });

  it("answers unknown page addresses with the app shell and 404, unknown API paths with JSON", async () => {
    const page = await t.app.inject({
      url: "/no-such-page",
      headers: { accept: "text/html,application/xhtml+xml" },
    });
    expect(page.statusCode).toBe(404);
    expect(page.headers["content-type"]).toContain("text/html");
    const api = await t.app.inject({
      url: "/api/v1/no-such-thing",
      headers: { accept: "text/html" },
    });
    expect(api.statusCode).toBe(404);
    expect(api.json()).toMatchObject({ error: { code: "not_found" } });
    const script = await t.app.inject({ url: "/no-such-page" });
    expect(script.headers["content-type"]).toContain("application/json");
  });
});
