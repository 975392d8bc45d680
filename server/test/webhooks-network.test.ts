import { createServer, type Server } from "node:net";
import type { AddressInfo } from "node:net";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  isPublicAddress,
  postWebhook,
  systemResolve,
  type Resolve,
} from "../src/features/webhooks/webhooks.http.js";
import { startWebhookReceiver, type WebhookReceiver } from "./helpers/webhook-receiver.js";

/*
 * The network rules of a delivery (SPEC F18), with real sockets on 127.0.0.1: which addresses
 * are refused, that the connection goes to the address that was checked, no redirects, timeout.
 */
describe("webhook POST", () => {
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    receiver = await startWebhookReceiver();
  });
  afterAll(() => receiver.close());

  /** A resolver for made-up names, counting its calls. */
  const resolver = (answers: string[][]) => {
    let calls = 0;
    const resolve: Resolve = (name) => {
      const answer = answers[Math.min(calls, answers.length - 1)] ?? [];
      calls += 1;
      return Promise.resolve(
        name.endsWith(".test")
          ? answer.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }) as const)
          : systemResolve(name),
      );
    };
    return { resolve, calls: () => calls };
  };

  it("knows the private, loopback, link-local and special addresses", () => {
    for (const ip of [
      "127.0.0.1",
      "10.1.2.3",
      "172.16.0.1",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "::1",
      "::",
      "fe80::1",
      "fd00::1",
      "::ffff:127.0.0.1",
      "::ffff:7f00:1",
      "64:ff9b::a00:1",
      // IPv4-compatible (deprecated, ::/96) and IPv4-translated (::ffff:0:0:0/96) forms.
      "::7f00:1",
      "::127.0.0.1",
      "::a9fe:a9fe",
      "::ffff:0:7f00:1",
      "::ffff:0:a9fe:a9fe",
      // Documentation (3fff::/20) and SRv6 segment ids (5f00::/16), IANA's newer entries.
      "3fff::1",
      "5f00::1",
      "224.0.0.1",
      "not an address",
    ])
      expect(isPublicAddress(ip), ip).toBe(false);
    for (const ip of ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111"])
      expect(isPublicAddress(ip), ip).toBe(true);
  });

  it("refuses a name that resolves to 127.0.0.1 without connecting, unless allowed", async () => {
    let connections = 0;
    const server: Server = createServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      const { resolve } = resolver([["127.0.0.1"]]);
      for (const url of [
        `https://hooks.example.test:${port}/x`,
        `http://hooks.example.test:${port}/x`,
        `http://localhost:${port}/x`,
        `http://127.0.0.1:${port}/x`,
        `http://[::ffff:127.0.0.1]:${port}/x`,
      ]) {
        const result = await postWebhook({
          url,
          body: "{}",
          headers: {},
          allowPrivate: false,
          resolve,
        });
        expect(result, url).toEqual({ ok: false, status: null, errorCode: "address_refused" });
      }
      // Names under localhost are loopback whatever the resolver says (RFC 6761), unasked.
      const publicAnswer = resolver([["93.184.216.34"]]);
      for (const url of ["https://localhost./x", "https://hooks.LOCALHOST/x"]) {
        const result = await postWebhook({
          url,
          body: "{}",
          headers: {},
          allowPrivate: false,
          resolve: publicAnswer.resolve,
        });
        expect(result, url).toEqual({ ok: false, status: null, errorCode: "address_refused" });
      }
      expect(publicAnswer.calls()).toBe(0);
      // One private answer among public ones is enough to refuse.
      const mixed = resolver([["93.184.216.34", "127.0.0.1"]]);
      expect(
        await postWebhook({
          url: `https://mixed.test:${port}/`,
          body: "{}",
          headers: {},
          allowPrivate: false,
          resolve: mixed.resolve,
        }),
      ).toMatchObject({ errorCode: "address_refused" });
      expect(connections).toBe(0);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("connects to the address it checked: a second DNS answer is never asked for", async () => {
    // First answer: the receiver. Any later one: an address nothing listens on.
    const { resolve, calls } = resolver([["127.0.0.1"], ["10.255.255.1"]]);
    const before = receiver.received.length;
    const result = await postWebhook({
      url: `http://pinned.test:${receiver.port}/hook`,
      body: '{"a":1}',
      headers: { "webhook-id": "msg_pin" },
      allowPrivate: true,
      resolve,
    });
    expect(result).toEqual({ ok: true, status: 204 });
    expect(calls()).toBe(1);
    expect(receiver.received.slice(before)).toMatchObject([
      { path: "/hook", body: '{"a":1}', headers: { host: `pinned.test:${receiver.port}` } },
    ]);
  });

  it("does not follow a redirect", async () => {
    const before = receiver.received.length;
    const result = await postWebhook({
      url: receiver.url("/redirect"),
      body: "{}",
      headers: {},
      allowPrivate: true,
      resolve: systemResolve,
    });
    expect(result).toEqual({ ok: false, status: 302, errorCode: "redirect_refused" });
    expect(receiver.received.slice(before).map((r) => r.path)).toEqual(["/redirect"]);
  });

  it("gives up on a receiver that does not answer in time", async () => {
    const server: Server = createServer(() => undefined); // accepts, never answers
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      const started = Date.now();
      const result = await postWebhook({
        url: `http://127.0.0.1:${port}/`,
        body: "{}",
        headers: {},
        allowPrivate: true,
        resolve: systemResolve,
        timeoutMs: 300,
      });
      expect(result).toEqual({ ok: false, status: null, errorCode: "timeout" });
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      server.close();
    }
  });
});
