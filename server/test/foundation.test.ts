import { readFileSync, statSync } from "node:fs";

import { describe, expect, it } from "vitest";

import { ConfigError, loadConfig } from "../src/config.js";
import { EnvSchema } from "../src/config/env.js";
import { CONTENT_SECURITY_POLICY } from "../src/plugins/security-headers.js";
import { createTestApp } from "./helpers/app.js";
import { testDialects } from "./helpers/databases.js";
import { suiteApp } from "./helpers/suite.js";

function expectSecurityHeaders(headers: Record<string, unknown>) {
  expect(headers["content-security-policy"]).toBe(CONTENT_SECURITY_POLICY);
  const csp = String(headers["content-security-policy"]);
  expect(csp).not.toMatch(/'unsafe-inline'|'unsafe-eval'/);
  expect(csp).toContain("object-src 'none'");
  expect(csp).toContain("base-uri 'none'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(headers["referrer-policy"]).toBe("no-referrer");
  expect(headers["x-content-type-options"]).toBe("nosniff");
}

describe.each(testDialects)("foundation on %s", (dialect) => {
  const t = suiteApp(dialect, {
    env: { METRICS_TOKEN: "foundation-metrics-token" },
    extend: (app) => {
      app.get("/test/explode", () => {
        throw new Error("database password is hunter2");
      });
    },
  });

  it("answers /healthz and /readyz", async () => {
    const health = await t.app.inject({ url: "/healthz" });
    expect(health.statusCode).toBe(200);
    expectSecurityHeaders(health.headers);
    const ready = await t.app.inject({ url: "/readyz" });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: "ready" });
  });

  it("serves Prometheus metrics labelled by route pattern", async () => {
    await t.app.inject({ url: "/api/v1/shares/AAAAAAAAAAAAAAAAAAAAAA" });
    const res = await t.app.inject({
      url: "/metrics",
      headers: { authorization: "Bearer foundation-metrics-token" },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toContain("text/plain");
    expect(res.body).toContain("hushlink_http_request_duration_seconds_bucket");
    expect(res.body).toContain('route="/api/v1/shares/:id"');
    expect(res.body).not.toContain("AAAAAAAAAAAAAAAAAAAAAA");
    expect(res.body).toContain("hushlink_shares_created_total");
  });

  it("publishes an OpenAPI document generated from the routes, and a docs page", async () => {
    const res = await t.app.inject({ url: "/api/openapi.json" });
    expect(res.statusCode).toBe(200);
    const doc = res.json<{ openapi: string; paths: Record<string, Record<string, unknown>> }>();
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/api/v1/shares",
        "/api/v1/shares/{id}",
        "/api/v1/shares/{id}/reveal",
      ]),
    );
    expect(doc.paths["/api/v1/shares"]).toHaveProperty("post");
    const docs = await t.app.inject({ url: "/api/docs/" });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers["content-type"]).toContain("text/html");
  });

  it("answers unknown routes with a JSON 404 and the headers", async () => {
    const res = await t.app.inject({ url: "/api/v1/nothing-here" });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: "not_found" } });
    expectSecurityHeaders(res.headers);
  });

  it("answers malformed URLs, refused before routing, with the headers too", async () => {
    for (const url of ["/%zz", "/api/v1/shares/%zz", `/api/v1/shares/${"a".repeat(300)}`]) {
      const res = await t.app.inject({ url });
      expect(res.statusCode, url).toBe(400);
      expect(res.json(), url).toMatchObject({ error: { code: "invalid_request" } });
      expectSecurityHeaders(res.headers);
      expect(res.headers["cache-control"], url).toBe("no-store");
      expect(res.headers["x-request-id"], url).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it("answers 415 to bodies that are not JSON", async () => {
    for (const type of [
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
    ]) {
      const res = await t.app.inject({
        method: "POST",
        url: "/api/v1/shares",
        headers: { "content-type": type },
        payload: "a=1",
      });
      expect(res.statusCode, type).toBe(415);
      expect(res.json()).toMatchObject({ error: { code: "unsupported_media_type" } });
      expectSecurityHeaders(res.headers);
    }
  });

  it("answers 413 to bodies over the limit", async () => {
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/shares",
      headers: { "content-type": "application/json" },
      payload: JSON.stringify({ ciphertext: "A".repeat(2 * 1024 * 1024) }),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ error: { code: "payload_too_large" } });
    expectSecurityHeaders(res.headers);
  });

  it("hides unexpected errors behind a 500 with a request id", async () => {
    const res = await t.app.inject({ url: "/test/explode" });
    expect(res.statusCode).toBe(500);
    const body = res.json<{ error: { code: string; message: string; requestId: string } }>();
    expect(body.error.code).toBe("internal_error");
    expect(body.error.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body).not.toContain("hunter2");
    expectSecurityHeaders(res.headers);
    expect(t.logs.join("")).not.toContain("hunter2");
  });
});

describe("the embedded database", () => {
  it("is readable by its owner only", async () => {
    const t = await createTestApp("sqlite");
    try {
      expect(statSync(t.database.file!).mode & 0o777).toBe(0o600);
    } finally {
      await t.close();
    }
  });
});

describe("configuration", () => {
  it("has working defaults", () => {
    const config = loadConfig({});
    expect(config.port).toBe(8080);
    expect(config.dataDir).toBe("./data");
    expect(config.databaseUrl).toBeNull();
    expect(config.publicUrl).toBe("http://localhost:8080");
    expect(config.limits).toEqual({
      maxSecretBytes: 65536,
      maxExpiresIn: 2592000,
      maxViews: 1000,
      passwordAttempts: 10,
    });
  });

  it("names every bad key at once", () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: "eighty",
        DATABASE_URL: "mysql://x",
        HUSHLINK_ROOT_KEY: "short",
        RATE_LIMIT: "maybe",
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join("\n");
    for (const key of ["PORT", "DATABASE_URL", "HUSHLINK_ROOT_KEY", "RATE_LIMIT"])
      expect(problems).toContain(key);
  });

  it("takes every documented TRUST_PROXY form and refuses anything else", () => {
    for (const value of [
      "true",
      "false",
      "1",
      "127.0.0.1",
      "10.0.0.0/8, ::1",
      "loopback",
      "10.0.0.0/255.0.0.0",
    ])
      expect(() => loadConfig({ TRUST_PROXY: value })).not.toThrow();
    for (const value of ["maybe", "10.0.0.0/33", "10.0.0.1,", "nginx", "::1/129"])
      expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(/TRUST_PROXY/);
  });

  it("takes SSO_DNS_SERVERS as IP addresses with optional ports, and stops naming it otherwise", () => {
    expect(loadConfig({}).ssoDnsServers).toBeNull();
    expect(
      loadConfig({ SSO_DNS_SERVERS: "10.0.0.53, 127.0.0.1:5353,[::1]:53" }).ssoDnsServers,
    ).toEqual(["10.0.0.53", "127.0.0.1:5353", "[::1]:53"]);
    for (const value of [
      "dns.example.com",
      "10.0.0.53:0",
      "10.0.0.53:99999",
      "[::1]",
      "10.0.0.1:53:1",
    ])
      expect(() => loadConfig({ SSO_DNS_SERVERS: value }), value).toThrow(/SSO_DNS_SERVERS/);
  });

  it("takes MAIL_FROM as an address or Name <address>, and nothing a mail server would refuse", () => {
    for (const value of ["no-reply@example.com", "Hushlink <no-reply@example.com>", "<a@b.io>"])
      expect(loadConfig({ MAIL_FROM: value }).mailFrom).toBe(value);
    for (const value of ["notanemail", "Hushlink", "Hushlink <no-reply>", "a@b", "a b@example.com"])
      expect(() => loadConfig({ MAIL_FROM: value })).toThrow(/MAIL_FROM/);
  });

  it("refuses a DATABASE_URL PostgreSQL's client cannot read, naming the variable, not the password", () => {
    const key = Buffer.alloc(32, 1).toString("base64");
    for (const url of [
      "postgres://postgres@127.0.0.1:5432/test",
      "postgresql://db.internal/hushlink",
      "postgres://u:p@/db?host=/var/run/postgresql",
      "postgres://u:with space@h/db",
    ])
      expect(() => loadConfig({ DATABASE_URL: url, HUSHLINK_ROOT_KEY: key })).not.toThrow();
    for (const url of ["postgres://u:Secret99@h:notaport/db", "postgres://u:Secret#99@h/db"]) {
      let error: unknown;
      try {
        loadConfig({ DATABASE_URL: url, HUSHLINK_ROOT_KEY: key });
      } catch (e) {
        error = e;
      }
      expect((error as Error).message).toMatch(/DATABASE_URL: is not a URL/);
      expect((error as Error).message).not.toContain("Secret");
    }
  });

  it("refuses SIGNUP_DOMAINS entries that are no domain instead of dropping them", () => {
    expect(
      loadConfig({ SIGNUP: "domains", SIGNUP_DOMAINS: "Example.com, @acme.org," }).signup.domains,
    ).toEqual(["example.com", "acme.org"]);
    expect(() =>
      loadConfig({ SIGNUP: "domains", SIGNUP_DOMAINS: "example.com, exa mple.org, *.x.com" }),
    ).toThrow(/SIGNUP_DOMAINS: these entries are not a domain: "exa mple.org", "\*\.x\.com"/);
  });

  it("refuses METRICS_PORT on PORT's own address, which would fail to listen after the app did", () => {
    expect(() => loadConfig({ METRICS_PORT: "8080" })).toThrow(
      /METRICS_PORT: must differ from PORT/,
    );
    expect(() =>
      loadConfig({ METRICS_PORT: "8080", HOST: "0.0.0.0", METRICS_HOST: "127.0.0.1" }),
    ).toThrow(/METRICS_PORT/);
    expect(loadConfig({ METRICS_PORT: "9090" }).metrics.port).toBe(9090);
    expect(loadConfig({ METRICS_PORT: "8080", METRICS_HOST: "10.1.1.1" }).metrics.port).toBe(8080);
  });

  it("every variable the server reads is in the README's or docs/deploy.md's tables", () => {
    const docs = ["README.md", "docs/deploy.md"]
      .map((f) => readFileSync(new URL(`../../${f}`, import.meta.url), "utf8"))
      .join("\n");
    const missing = Object.keys(EnvSchema.shape).filter((name) => !docs.includes(`\`${name}\``));
    expect(missing).toEqual([]);
  });

  it("refuses PostgreSQL without a shared root key", () => {
    expect(() => loadConfig({ DATABASE_URL: "postgres://localhost/x" })).toThrow(
      /HUSHLINK_ROOT_KEY/,
    );
    expect(() =>
      loadConfig({
        DATABASE_URL: "postgres://localhost/x",
        HUSHLINK_ROOT_KEY: Buffer.alloc(32, 1).toString("base64"),
      }),
    ).not.toThrow();
  });
});
