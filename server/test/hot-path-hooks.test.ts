/**
 * Issue 24: the hooks every request runs. Each hook in Fastify's chains is a step on every
 * request, so the fixed headers and the request id are set by one onSend hook, the log line and
 * the duration metric by one onResponse hook, and the empty-JSON check runs as a preValidation
 * hook only on routes with a body schema. What they do is unchanged: every answer, whatever
 * its status, carries the headers and its request id, and is counted under its route pattern.
 */
import { describe, expect, it } from "vitest";

import { fixedHeaders } from "../src/plugins/security-headers.js";
import type { TestApp } from "./helpers/app.js";
import { buildShare } from "./helpers/builders.js";
import { createShare, getShare } from "./helpers/http.js";
import { suiteApp } from "./helpers/suite.js";

/**
 * The hooks of one route, from `printRoutes`' tree: each route line is a path segment indented
 * four characters per level (`├── /:id (GET, DELETE)`), followed by one `• (hook) [names]` line
 * per kind of hook. Returns hook kind -> function names.
 */
function hooksOf(t: TestApp, method: string, path: string): Record<string, string[]> {
  const tree = t.app.printRoutes({ includeHooks: true, commonPrefix: false });
  const stack: string[] = [];
  let current: Record<string, string[]> | null = null;
  for (const line of tree.split("\n")) {
    const hook = /• \((\w+)\) (\[.*\])$/.exec(line);
    if (hook) {
      if (current) current[hook[1]!] = JSON.parse(hook[2]!) as string[];
      continue;
    }
    if (current) return current;
    const route = /^([│├└─\s]*)(\S.*) \(([A-Z, ]+)\)$/.exec(line);
    if (!route) continue;
    const depth = route[1]!.length / 4;
    stack.length = depth;
    stack[depth] = route[2]!;
    const methods = route[3]!.split(", ");
    if (stack.join("").replace(/\/\//g, "/") === path && methods.includes(method)) current = {};
  }
  if (!current) throw new Error(`no route ${method} ${path}`);
  return current;
}

describe("the hot paths' hooks", () => {
  const t = suiteApp("sqlite");

  it("a read runs one onSend and one onResponse hook of ours, and no preValidation", () => {
    const read = hooksOf(t, "GET", "/api/v1/shares/:id");
    // Ours, @fastify/cookie's, and the contract check that test apps add (plugins/contract.ts).
    expect(read.onSend).toHaveLength(3);
    // Ours alone: the audit context's, which kept the caller, is gone (audit.tap.ts, issue 24).
    expect(read.onResponse).toHaveLength(1);
    expect(read.preValidation).toBeUndefined();
    // One onRequest step before the handler: the auth context parses the cookies itself, so
    // @fastify/cookie's own onRequest hook (a Map and a step per request) is not registered.
    expect(read.onRequest).toEqual(["authContext()"]);
    expect(hooksOf(t, "POST", "/api/v1/shares").preValidation).toEqual(["refuseEmptyJson()"]);
  });

  it("every answer carries the fixed headers, its request id, and is counted by route", async () => {
    const share = await buildShare();
    const answers = [
      await createShare(t.app, share.body),
      await getShare(t.app, share.body.id),
      await getShare(t.app, "AAAAAAAAAAAAAAAAAAAAAA"),
      await t.app.inject({ method: "GET", url: "/api/v1/nowhere" }),
      await t.app.inject({ method: "PUT", url: "/api/v1/shares" }),
      await t.app.inject({
        method: "POST",
        url: "/api/v1/shares",
        headers: { "content-type": "application/json" },
        payload: "",
      }),
    ];
    expect(answers.map((res) => res.statusCode)).toEqual([201, 200, 404, 404, 405, 400]);
    expect(answers[5]!.json()).toMatchObject({ error: { code: "invalid_json" } });
    const ids = new Set<string>();
    for (const res of answers) {
      for (const [name, value] of fixedHeaders({ hsts: false })) {
        expect(res.headers[name], name).toBe(value);
      }
      expect(res.headers["cache-control"]).toBe("no-store");
      expect(res.headers["x-request-id"]).toMatch(/^\S+$/);
      ids.add(String(res.headers["x-request-id"]));
    }
    expect(ids.size).toBe(answers.length);
    const metrics = await t.metrics.registry.metrics();
    const count = (method: string, route: string, code: number) =>
      new RegExp(
        `^hushlink_http_request_duration_seconds_count\\{method="${method}",route="${route}",code="${code}"\\} 1$`,
        "m",
      );
    expect(metrics).toMatch(count("POST", "/api/v1/shares", 201));
    expect(metrics).toMatch(count("GET", "/api/v1/shares/:id", 200));
    expect(metrics).toMatch(count("GET", "/api/v1/shares/:id", 404));
    expect(metrics).toMatch(count("POST", "/api/v1/shares", 400));
  });
});
