import { createHash } from "node:crypto";
import { rmSync } from "node:fs";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { CONTENT_SECURITY_POLICY } from "../src/plugins/security-headers.js";
import { createTestApp, type TestApp } from "./helpers/app.js";
import { standInDist } from "./helpers/stand-in-dist.js";

/** As web/early-start-plugin.ts writes it: one classic inline script in the head (issue 24). */
const INLINE = `(function(plan){document.head.dataset.early=plan.x})({"x":"1"});\n`;

describe("the CSP of a build whose HTML carries the early script inline", () => {
  let t: TestApp;
  let dist: string;
  beforeAll(async () => {
    dist = standInDist(
      `<!doctype html><head><title>Hushlink</title><script>${INLINE}</script>` +
        '<script type="module" crossorigin src="/assets/app-abc123.js"></script></head>',
      { "app-abc123.js": "console.log(1);" },
    );
    t = await createTestApp("sqlite", { env: { WEB_DIST: dist } });
  });
  afterAll(async () => {
    await t.close();
    rmSync(dist, { recursive: true, force: true });
  });

  const hash = `'sha256-${createHash("sha256").update(INLINE).digest("base64")}'`;

  it.each(["/", "/s", "/s/", "/login", "/no-such-page"])(
    "allows exactly that script by its hash on the page %s, and nothing else inline",
    async (url) => {
      const res = await t.app.inject({ url, headers: { accept: "text/html" } });
      expect(res.body).toContain(INLINE);
      const csp = String(res.headers["content-security-policy"]);
      const scriptSrc = csp.split("; ").find((d) => d.startsWith("script-src "));
      expect(scriptSrc).toBe(`script-src 'self' 'wasm-unsafe-eval' ${hash}`);
      expect(csp).not.toContain("unsafe-inline");
      // Every other directive is the fixed policy's.
      expect(csp.replace(` ${hash}`, "")).toBe(CONTENT_SECURITY_POLICY);
    },
  );

  it.each(["/api/v1/config", "/assets/app-abc123.js", "/api/v1/nothing"])(
    "answers %s, which is no page, with the fixed policy",
    async (url) => {
      const res = await t.app.inject({ url });
      expect(res.headers["content-security-policy"]).toBe(CONTENT_SECURITY_POLICY);
    },
  );
});
