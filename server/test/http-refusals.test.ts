/**
 * Requests Node's HTTP server refuses itself, before Fastify routes them (black-box finding,
 * session 27): an HTTP/1.1 request without `Host` (RFC 9112 §3.2 requires a 400) and an `Expect`
 * other than `100-continue` (RFC 9110 §10.1.1: 417) were answered by Node with an empty body, no
 * error code, none of the headers every answer carries, and no request id. They answer in the
 * API's error shape now, as the 408 and 431 of plugins/limits.ts do. Over a raw socket, since
 * `inject` never passes through Node's server.
 */
import { ERRORS, type ErrorCode } from "@hushlink/protocol";
import { beforeAll, describe, expect, it } from "vitest";

import { CONTENT_SECURITY_POLICY } from "../src/plugins/security-headers.js";
import { buildShare } from "./helpers/builders.js";
import { testDialects } from "./helpers/databases.js";
import { listen } from "./helpers/live.js";
import { rawConnection } from "./helpers/remote.js";
import { suiteApp } from "./helpers/suite.js";

/** Sends `request` on a connection of its own and returns the answer's head and body. */
async function exchange(base: string, request: string) {
  const conn = rawConnection(base);
  await conn.connected;
  conn.write(request);
  await Promise.race([conn.closed, new Promise((resolve) => setTimeout(resolve, 5_000))]);
  conn.socket.destroy();
  const [head = "", ...rest] = conn.received.split("\r\n\r\n");
  const headers = new Map(
    head
      .split("\r\n")
      .slice(1)
      .map((line) => {
        const colon = line.indexOf(":");
        return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()] as const;
      }),
  );
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]), headers, body: rest.join("") };
}

function expectApiRefusal(answer: Awaited<ReturnType<typeof exchange>>, status: number) {
  expect(answer.status).toBe(status);
  expect(answer.headers.get("content-type")).toMatch(/^application\/json/);
  expect(answer.headers.get("content-security-policy")).toBe(CONTENT_SECURITY_POLICY);
  expect(answer.headers.get("x-content-type-options")).toBe("nosniff");
  expect(answer.headers.get("cache-control")).toBe("no-store");
  expect(answer.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  expect(answer.headers.get("connection")).toBe("close");
  // A HEAD gets the head alone; otherwise the code is the catalogue's, under this status.
  if (answer.body === "") return;
  const code = (JSON.parse(answer.body) as { error: { code: ErrorCode } }).error.code;
  expect([ERRORS[code]?.status].flat(), code).toContain(status);
}

describe.each(testDialects)("requests Node refuses before routing, on %s", (dialect) => {
  const t = suiteApp(dialect);
  let base: string;
  beforeAll(async () => {
    base = await listen(t);
  });

  it("an HTTP/1.1 request without Host answers 400 invalid_request in the API's shape", async () => {
    const get = await exchange(base, "GET /api/v1/config HTTP/1.1\r\nConnection: close\r\n\r\n");
    expectApiRefusal(get, 400);
    expect(JSON.parse(get.body)).toMatchObject({ error: { code: "invalid_request" } });
    expect(Number(get.headers.get("content-length"))).toBe(Buffer.byteLength(get.body));

    // HEAD: the same head, no body.
    const head = await exchange(base, "HEAD /api/v1/config HTTP/1.1\r\nConnection: close\r\n\r\n");
    expectApiRefusal(head, 400);
    expect(head.body).toBe("");
    expect(head.headers.get("content-length")).toBe(get.headers.get("content-length"));

    // Nothing is created by a POST that is refused.
    const share = await buildShare();
    const body = JSON.stringify(share.body);
    const post = await exchange(
      base,
      "POST /api/v1/shares HTTP/1.1\r\nContent-Type: application/json\r\n" +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
    expectApiRefusal(post, 400);
    expect((await t.app.inject({ url: `/api/v1/shares/${share.body.id}` })).statusCode).toBe(404);

    // HTTP/1.0 has no Host requirement, and a request with Host is served as before.
    for (const request of [
      "GET /api/v1/config HTTP/1.0\r\n\r\n",
      "GET /api/v1/config HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    ]) {
      expect((await exchange(base, request)).status).toBe(200);
    }
  });

  it("a request with two Host lines, or a Host that lists two, answers 400 invalid_request", async () => {
    const share = await buildShare();
    const body = JSON.stringify(share.body);
    // RFC 9112 §3.2: more than one Host line is a 400 in any HTTP version; Node kept the first.
    for (const hosts of [
      "Host: localhost\r\nHost: evil.example\r\n",
      "Host: localhost\r\nhost: localhost\r\n",
      "Host: localhost, evil.example\r\n",
    ]) {
      for (const version of ["1.1", "1.0"]) {
        const get = await exchange(
          base,
          `GET /api/v1/config HTTP/${version}\r\n${hosts}Connection: close\r\n\r\n`,
        );
        expectApiRefusal(get, 400);
        expect(JSON.parse(get.body)).toMatchObject({ error: { code: "invalid_request" } });
      }
      const post = await exchange(
        base,
        `POST /api/v1/shares HTTP/1.1\r\n${hosts}Content-Type: application/json\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
      expectApiRefusal(post, 400);
    }
    expect((await t.app.inject({ url: `/api/v1/shares/${share.body.id}` })).statusCode).toBe(404);
    // One Host line, with a port, is served as before.
    const one = "GET /api/v1/config HTTP/1.1\r\nHost: localhost:80\r\nConnection: close\r\n\r\n";
    expect((await exchange(base, one)).status).toBe(200);
  });

  it("an Expect other than 100-continue answers 417 expectation_failed, and nothing is stored", async () => {
    const share = await buildShare();
    const body = JSON.stringify(share.body);
    const post = (expectation: string) =>
      exchange(
        base,
        `POST /api/v1/shares HTTP/1.1\r\nHost: localhost\r\nExpect: ${expectation}\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
          `Connection: close\r\n\r\n${body}`,
      );
    const refused = await post("200-ok");
    expectApiRefusal(refused, 417);
    expect(JSON.parse(refused.body)).toMatchObject({ error: { code: "expectation_failed" } });
    expect((await t.app.inject({ url: `/api/v1/shares/${share.body.id}` })).statusCode).toBe(404);

    // 100-continue is still taken: the interim answer, then the share is created.
    const taken = await post("100-continue");
    expect(taken.status).toBe(100);
    expect(taken.body).toMatch(/^HTTP\/1\.1 201 /);
  });
});
