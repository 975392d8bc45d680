/**
 * The published errors (issue 15): real requests provoke each error every operation can answer
 * by the way it is built, and the code answered must be in that operation's documented enum.
 * (Every other suite checks its own error answers the same way: helpers/app.ts.)
 */
import type { LightMyRequestResponse } from "fastify";
import { beforeAll, describe, expect, it } from "vitest";

import { ERROR_CODES, ERRORS, type ErrorCode } from "@hushlink/protocol";

import { signup, type Client } from "./helpers/accounts.js";
import { suiteApp } from "./helpers/suite.js";
import { dereference } from "./helpers/openapi.js";
import { errorCode } from "./helpers/http.js";

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
interface ErrorSchema {
  properties: { error: { properties: { code: { enum: string[] } } } };
}
interface Operation {
  requestBody?: { content: Record<string, unknown> };
  responses: Record<string, { content?: { "application/json"?: { schema: unknown } } }>;
}
interface Document {
  components: { schemas: Record<string, unknown> };
  paths: Record<string, Record<string, Operation>>;
}

/** A concrete URL for a documented path: any well-formed value will do before validation. */
const concrete = (path: string) =>
  path.replace(/\{(\w+)\}/g, (_, name: string) =>
    name === "n" ? "0" : name === "file" ? `${"A".repeat(32)}.png` : "AAAAAAAAAAAAAAAAAAAAAA",
  );

describe("the documented error answers", () => {
  const t = suiteApp("sqlite");
  let doc: Document;
  let operations: { method: Method; path: string; op: Operation }[];
  let member: Client;
  beforeAll(async () => {
    doc = (await t.app.inject({ url: "/api/openapi.json" })).json<Document>();
    operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({
        method: method.toUpperCase() as Method,
        path,
        op,
      })),
    );
    member = await signup(t);
  });

  function documented(op: Operation, status: number): string[] {
    const schema = dereference(
      doc,
      op.responses[String(status)]?.content?.["application/json"]?.schema,
    );
    return (schema as ErrorSchema | undefined)?.properties.error.properties.code.enum ?? [];
  }

  function expectDocumented(
    where: { method: Method; path: string; op: Operation },
    res: LightMyRequestResponse,
    code: ErrorCode,
  ) {
    const key = `${where.method} ${where.path}`;
    expect(errorCode(res), key).toBe(code);
    expect(documented(where.op, res.statusCode), `${key} ${res.statusCode}`).toContain(code);
  }

  const unsafe = () => operations.filter((o) => o.method !== "GET");
  const jsonBodies = () =>
    operations.filter((o) => o.op.requestBody?.content["application/json"] !== undefined);

  it("has operations to check", () => {
    expect(operations.length).toBeGreaterThanOrEqual(40);
    expect(jsonBodies().length).toBeGreaterThanOrEqual(15);
  });

  it("401 invalid_token: every operation, with a bad bearer token", async () => {
    for (const o of operations) {
      const res = await t.app.inject({
        method: o.method,
        url: concrete(o.path),
        headers: { authorization: "Bearer hl_not-a-token" },
      });
      expect(res.statusCode, `${o.method} ${o.path}`).toBe(401);
      expectDocumented(o, res, "invalid_token");
    }
  });

  it("403 csrf_failed: every state change from another site, and with the session but no CSRF header", async () => {
    for (const o of unsafe()) {
      const res = await t.app.inject({
        method: o.method,
        url: concrete(o.path),
        headers: { origin: "https://evil.test", host: "hushlink.test" },
      });
      expect(res.statusCode, `${o.method} ${o.path}`).toBe(403);
      expectDocumented(o, res, "csrf_failed");
      const { "x-csrf-token": _csrf, ...cookieOnly } = member.headers;
      const session = await t.app.inject({
        method: o.method,
        url: concrete(o.path),
        headers: cookieOnly,
      });
      expect(session.statusCode, `${o.method} ${o.path} with the session cookie`).toBe(403);
      expectDocumented(o, session, "csrf_failed");
    }
  });

  it("415, 413 and 400 invalid_json: every JSON-body operation", async () => {
    const bodies = [
      { type: "text/plain", payload: "hello", status: 415, code: "unsupported_media_type" },
      {
        type: "application/json",
        payload: JSON.stringify({ pad: "x".repeat(4 * 1024 * 1024) }),
        status: 413,
        code: "payload_too_large",
      },
      { type: "application/json", payload: "{not json", status: 400, code: "invalid_json" },
    ] as const;
    for (const o of jsonBodies()) {
      const url = concrete(o.path);
      for (const { type, payload, status, code } of bodies) {
        const res = await t.app.inject({
          method: o.method,
          url,
          headers: { "content-type": type },
          payload,
        });
        expect(res.statusCode, `${o.method} ${o.path}`).toBe(status);
        expectDocumented(o, res, code);
      }
    }
  });

  it("a body that is not an object is named 'body', not 'body.'", async () => {
    for (const payload of ["[]", "null", "42"]) {
      const res = await t.app.inject({
        method: "POST",
        url: "/api/v1/shares",
        headers: { "content-type": "application/json" },
        payload,
      });
      expect(res.statusCode, payload).toBe(400);
      const { error } = res.json<{ error: { message: string; issues: { path: string }[] } }>();
      expect(error.issues[0]?.path, payload).toBe("body");
      expect(error.message, payload).toMatch(/^body: /);
    }
  });

  it("404 logo_not_found on the logo route", async () => {
    const o = operations.find((x) => x.path === "/api/v1/branding/logos/{file}")!;
    const res = await t.app.inject({ url: concrete(o.path) });
    expect(res.statusCode).toBe(404);
    expectDocumented(o, res, "logo_not_found");
  });

  it("documents 429 only where a rate limit or a back-off applies, and 409 only where a conflict can arise", () => {
    for (const o of operations) {
      const key = `${o.method} ${o.path}`;
      for (const [status, codes] of [
        [429, documented(o.op, 429)],
        [409, documented(o.op, 409)],
      ] as const) {
        for (const code of codes)
          expect(ERRORS[code as ErrorCode].status, `${key} ${code}`).toBe(status);
      }
      // Rate limits are off in this app, so only the back-off and the mail limits remain (a
      // link's e-mailed codes are a mail limit of their own).
      const limits = ["sign_in_paused", "mail_limit", "email_code_limit"];
      expect(
        documented(o.op, 429).every((code) => limits.includes(code)),
        key,
      ).toBe(true);
    }
    expect(documented(doc.paths["/api/v1/shares"]!.get!, 409)).toEqual([]);
    expect(documented(doc.paths["/api/v1/shares"]!.post!, 409)).toEqual(["share_exists"]);
  });

  it("enumerates only codes of the catalogue, each under a status the catalogue gives it", () => {
    for (const o of operations) {
      for (const status of Object.keys(o.op.responses).map(Number)) {
        if (status < 400) continue;
        for (const code of documented(o.op, status)) {
          expect(ERROR_CODES, code).toContain(code);
          const statuses: number | readonly number[] = ERRORS[code as ErrorCode].status;
          expect([statuses].flat(), `${o.method} ${o.path} ${code}`).toContain(status);
        }
      }
    }
  });
});

describe("the documented error answers with rate limits on", () => {
  const t = suiteApp("sqlite", { env: { RATE_LIMIT: "on" } });

  it("include 429 rate_limited on the rate-limited operations only", async () => {
    const doc = (await t.app.inject({ url: "/api/openapi.json" })).json<Document>();
    const codes = (op: Operation | undefined) =>
      (
        dereference(doc, op?.responses["429"]?.content?.["application/json"]?.schema) as
          ErrorSchema | undefined
      )?.properties.error.properties.code.enum ?? [];
    expect(codes(doc.paths["/api/v1/shares/{id}/reveal"]?.post)).toContain("rate_limited");
    expect(codes(doc.paths["/api/v1/auth/login"]?.post)).toEqual([
      "rate_limited",
      "sign_in_paused",
    ]);
    expect(codes(doc.paths["/api/v1/orgs/{orgId}/sso/domains/{domain}/verify"]?.post)).toEqual([
      "rate_limited",
    ]);
    expect(doc.paths["/api/v1/auth/me"]?.get?.responses["429"]).toBeUndefined();
  });
});
