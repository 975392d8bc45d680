import { createServer, type AddressInfo, type Server } from "node:net";

import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { WebhookDelivery, WebhookListItem, WebhookPayload } from "@hushlink/protocol";

import type { Resolve } from "../src/features/webhooks/webhooks.http.js";
import { RETRY_WINDOW_MS } from "../src/features/webhooks/webhooks.worker.js";
import { createTestApp, type TestApp } from "./helpers/app.js";
import { memberOf, newOrg, uniqueEmail, type Client } from "./helpers/accounts.js";
import { buildShare } from "./helpers/builders.js";
import { testDialects } from "./helpers/databases.js";
import { errorCode, json } from "./helpers/http.js";
import { clockPerTest, webhookSuite } from "./helpers/suite.js";
import { addEndpoint } from "./helpers/webhooks.js";

const ALLOW = { WEBHOOK_ALLOW_PRIVATE: "true" };

function adminOf(t: TestApp, name: string) {
  return newOrg(t, uniqueEmail(name), `${name} Co`);
}

/** Adding an endpoint at `url` is refused as an invalid webhook address. */
async function expectUrlRefused(admin: Client, orgId: string, url: string): Promise<void> {
  const res = await admin.inject({
    method: "POST",
    url: `/api/v1/orgs/${orgId}/webhooks`,
    payload: { url, events: ["share.created"] },
  });
  expect([res.statusCode, errorCode(res)], url).toEqual([400, "invalid_webhook_url"]);
}

async function createShare(c: Client, orgId: string, name?: string) {
  const s = await buildShare(name === undefined ? {} : { name });
  const res = await c.inject({
    method: "POST",
    url: "/api/v1/shares",
    payload: { ...s.body, orgId },
  });
  expect(res.statusCode, res.body).toBe(201);
  return s;
}

async function log(admin: Client, orgId: string, id: string) {
  const res = await admin.inject({ url: `/api/v1/orgs/${orgId}/webhooks/${id}/deliveries` });
  expect(res.statusCode, res.body).toBe(200);
  return json<{ deliveries: WebhookDelivery[] }>(res).deliveries;
}

describe.each(testDialects)("webhooks on %s", (dialect) => {
  // Signatures are checked by the library against the real time: the clock starts at it.
  // Each test moves it (retries, back-off) for itself alone.
  const clock = clockPerTest(Date.now());
  const { t, receiver } = webhookSuite(dialect, { clock });
  let admin: Client;
  let orgId: string;
  let path = 0;
  /** A path of its own for each endpoint, so each test reads its own deliveries. */
  const nextPath = () => `/hook/${(path += 1)}`;
  const at = (p: string) => receiver.received.filter((r) => r.path === p);

  beforeAll(async () => {
    ({ admin, orgId } = await adminOf(t, "hooks"));
  });

  it("admins add, list and remove endpoints; the secret is shown once; the log records it", async () => {
    const p = nextPath();
    const created = await addEndpoint(admin, orgId, {
      url: receiver.url(p),
      events: ["share.created", "share.revealed"],
    });
    expect(created).toMatchObject({
      url: receiver.url(p),
      events: ["share.created", "share.revealed"],
      format: "standard",
      includeShareNames: false,
    });
    expect(created.secret).toMatch(/^whsec_/);
    const list = await admin.inject({ url: `/api/v1/orgs/${orgId}/webhooks` });
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(created.id);
    expect(list.body).not.toContain(created.secret);
    // The secret is sealed at rest.
    const stored = await t.database.db
      .selectFrom("webhook_endpoints")
      .select("secret")
      .where("id", "=", created.id)
      .executeTakeFirstOrThrow();
    expect(stored.secret).not.toContain(created.secret.slice(6));

    const member = await memberOf(t, orgId);
    const refused = await member.inject({ url: `/api/v1/orgs/${orgId}/webhooks` });
    expect(refused.statusCode).toBe(403);

    for (const url of ["ftp://127.0.0.1/x", "not a url", `http://user:pw@127.0.0.1:1/x`]) {
      await expectUrlRefused(admin, orgId, url);
    }

    const removed = await admin.inject({
      method: "DELETE",
      url: `/api/v1/orgs/${orgId}/webhooks/${created.id}`,
    });
    expect(removed.statusCode).toBe(204);
    const again = await admin.inject({
      method: "DELETE",
      url: `/api/v1/orgs/${orgId}/webhooks/${created.id}`,
    });
    expect(errorCode(again)).toBe("webhook_not_found");

    const audit = await admin.inject({ url: `/api/v1/orgs/${orgId}/audit` });
    expect(audit.body).toContain('"type":"webhook.created"');
    expect(audit.body).toContain('"type":"webhook.deleted"');
  });

  it("delivers events signed per Standard Webhooks, names only when ticked", async () => {
    const plain = nextPath();
    const named = nextPath();
    const a = await addEndpoint(admin, orgId, { url: receiver.url(plain) });
    const b = await addEndpoint(admin, orgId, {
      url: receiver.url(named),
      includeShareNames: true,
    });
    const s = await createShare(admin, orgId, "Prod database password");
    expect(await t.services.webhookWorker.runOnce()).toMatchObject({ delivered: 2 });

    const [got] = at(plain);
    expect(at(plain)).toHaveLength(1);
    const payload = new Webhook(a.secret).verify(got!.body, {
      "webhook-id": String(got!.headers["webhook-id"]),
      "webhook-timestamp": String(got!.headers["webhook-timestamp"]),
      "webhook-signature": String(got!.headers["webhook-signature"]),
    }) as WebhookPayload;
    expect(payload).toMatchObject({
      type: "share.created",
      data: { org: orgId, target: { kind: "share", id: s.body.id }, outcome: "success" },
    });
    expect(got!.body).not.toContain("Prod database password");
    // Another endpoint's secret does not verify it.
    expect(() =>
      new Webhook(b.secret).verify(got!.body, got!.headers as Record<string, string>),
    ).toThrow();

    expect(at(named)).toHaveLength(1);
    expect(JSON.parse(at(named)[0]!.body)).toMatchObject({
      data: { name: "Prod database password" },
    });
    expect(await log(admin, orgId, a.id)).toMatchObject([
      { type: "share.created", status: "delivered", attempts: 1, responseStatus: 204 },
    ]);
    for (const e of [a, b])
      await admin.inject({ method: "DELETE", url: `/api/v1/orgs/${orgId}/webhooks/${e.id}` });
  });

  it("Test sends a webhook.test delivery that shows in the log; slack format reads as a message", async () => {
    const p = nextPath();
    const hook = await addEndpoint(admin, orgId, { url: receiver.url(p), format: "slack" });
    const res = await admin.inject({
      method: "POST",
      url: `/api/v1/orgs/${orgId}/webhooks/${hook.id}/test`,
    });
    expect(res.statusCode, res.body).toBe(202);
    const { deliveryId } = json<{ deliveryId: string }>(res);
    await t.services.webhookWorker.runOnce();
    expect(at(p)).toHaveLength(1);
    expect(at(p)[0]!.headers["webhook-id"]).toBe(deliveryId);
    expect(JSON.parse(at(p)[0]!.body)).toEqual({
      text: expect.stringMatching(
        /^Hushlink: \*Test delivery from Hushlink\* · by user `/,
      ) as string,
    });
    const delivered = await log(admin, orgId, hook.id);
    expect(delivered).toMatchObject([
      { id: deliveryId, type: "webhook.test", status: "delivered", responseStatus: 204 },
    ]);
    // The list carries each endpoint's newest delivery, as its log has it.
    const listed = json<{ webhooks: WebhookListItem[] }>(
      await admin.inject({ url: `/api/v1/orgs/${orgId}/webhooks` }),
    ).webhooks.find((w) => w.id === hook.id);
    expect(listed?.lastDelivery).toEqual(delivered[0]);
    await createShare(admin, orgId);
    await t.services.webhookWorker.runOnce();
    expect(JSON.parse(at(p)[1]!.body)).toEqual({
      text: expect.stringMatching(
        /^Hushlink: \*Share created\* · share `[^`]+` · by user `/,
      ) as string,
    });
    await admin.inject({ method: "DELETE", url: `/api/v1/orgs/${orgId}/webhooks/${hook.id}` });
  });

  it("a receiver down for a while gets the event once when it is back", async () => {
    const p = nextPath();
    const hook = await addEndpoint(admin, orgId, { url: receiver.url(p) });
    await receiver.down();
    try {
      await createShare(admin, orgId);
      expect(await t.services.webhookWorker.runOnce()).toMatchObject({ retrying: 1 });
      clock.advance(5_000);
      expect(await t.services.webhookWorker.runOnce()).toMatchObject({ retrying: 1 });
      const [pending] = await log(admin, orgId, hook.id);
      expect(pending).toMatchObject({
        status: "pending",
        attempts: 2,
        errorCode: "connect_failed",
      });
      // The next attempt waits five minutes (back-off); not sooner.
      expect(Date.parse(pending!.nextAttemptAt!) - clock.now()).toBe(5 * 60_000);
    } finally {
      await receiver.up();
    }
    expect(await t.services.webhookWorker.runOnce()).toMatchObject({ delivered: 0 });
    expect(at(p)).toHaveLength(0);
    clock.advance(5 * 60_000);
    expect(await t.services.webhookWorker.runOnce()).toMatchObject({ delivered: 1 });
    clock.advance(24 * 3600_000);
    expect(await t.services.webhookWorker.runOnce()).toMatchObject({ delivered: 0, retrying: 0 });
    expect(at(p)).toHaveLength(1);
    expect(await log(admin, orgId, hook.id)).toMatchObject([{ status: "delivered", attempts: 3 }]);
    await admin.inject({ method: "DELETE", url: `/api/v1/orgs/${orgId}/webhooks/${hook.id}` });
  });

  it("retries for 24 hours, then the delivery is failed", async () => {
    const hook = await addEndpoint(admin, orgId, { url: receiver.url(nextPath()) });
    await receiver.down();
    try {
      const start = clock.now();
      await createShare(admin, orgId);
      for (let i = 0; i < 20; i += 1) {
        await t.services.webhookWorker.runOnce();
        const [d] = await log(admin, orgId, hook.id);
        if (d!.status !== "pending") break;
        clock.set(Date.parse(d!.nextAttemptAt!));
      }
      expect(await log(admin, orgId, hook.id)).toMatchObject([
        { status: "failed", attempts: 8, nextAttemptAt: null, errorCode: "connect_failed" },
      ]);
      expect(clock.now() - start).toBe(RETRY_WINDOW_MS);
    } finally {
      await receiver.up();
    }
    await admin.inject({ method: "DELETE", url: `/api/v1/orgs/${orgId}/webhooks/${hook.id}` });
  });

  it("does not follow redirects", async () => {
    const hook = await addEndpoint(admin, orgId, { url: receiver.url("/redirect") });
    const before = receiver.received.length;
    await createShare(admin, orgId);
    await t.services.webhookWorker.runOnce();
    expect(receiver.received.slice(before).map((r) => r.path)).toEqual(["/redirect"]);
    expect(await log(admin, orgId, hook.id)).toMatchObject([
      { status: "pending", responseStatus: 302, errorCode: "redirect_refused" },
    ]);
    await admin.inject({ method: "DELETE", url: `/api/v1/orgs/${orgId}/webhooks/${hook.id}` });
  });

  it("two instances on one database deliver each event once", async () => {
    const second = await createTestApp(dialect, {
      env: ALLOW,
      clock,
      database: {
        testDb: t.testDb,
        handle: dialect === "postgres" ? t.testDb.openAnother() : t.testDb.handle,
      },
    });
    try {
      const p = nextPath();
      await addEndpoint(admin, orgId, { url: receiver.url(p) });
      const viaSecond = await (await import("./helpers/accounts.js")).login(second, admin.email);
      const shares = await Promise.all(
        Array.from({ length: 30 }, (_, i) => createShare(i % 2 ? admin : viaSecond, orgId)),
      );
      // Both workers at once, as both instances' timers would run them.
      for (let i = 0; i < 5; i += 1)
        await Promise.all([
          t.services.webhookWorker.runOnce(),
          second.services.webhookWorker.runOnce(),
        ]);
      const ids = at(p).map((r) => String(r.headers["webhook-id"]));
      expect(ids).toHaveLength(30);
      expect(new Set(ids).size).toBe(30);
      const targets = at(p).map((r) => (JSON.parse(r.body) as WebhookPayload).data.target?.id);
      expect(new Set(targets)).toEqual(new Set(shares.map((s) => s.body.id)));
    } finally {
      await second.close();
    }
  });
});

/** What the strict suite's resolver answers for these names, whenever it is asked. */
const PRIVATE_NAMES: Record<string, { address: string; family: 4 | 6 }> = {
  "ten.example.com": { address: "10.0.0.5", family: 4 },
  "metadata.example.com": { address: "169.254.169.254", family: 4 },
  "ula.example.com": { address: "fd00::1", family: 6 },
  "mapped.example.com": { address: "::ffff:127.0.0.1", family: 6 },
  "link-local.example.com": { address: "fe80::1", family: 6 },
};

describe("webhooks without WEBHOOK_ALLOW_PRIVATE", () => {
  let t: TestApp;
  let admin: Client;
  let orgId: string;
  let server: Server;
  let connections = 0;
  let port = 0;
  // Public at the first look (when the endpoint is added), 127.0.0.1 at every later one.
  let lookups = 0;
  const resolve: Resolve = (name) => {
    lookups += 1;
    if (name === "localhost") return Promise.resolve([{ address: "127.0.0.1", family: 4 }]);
    // Names whose every answer is private, each in its own form.
    const fixed = PRIVATE_NAMES[name];
    if (fixed) return Promise.resolve([fixed]);
    return Promise.resolve([{ address: lookups === 1 ? "93.184.216.34" : "127.0.0.1", family: 4 }]);
  };

  beforeAll(async () => {
    server = createServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    port = (server.address() as AddressInfo).port;
    t = await createTestApp("sqlite", { webhookResolve: resolve });
    ({ admin, orgId } = await adminOf(t, "strict"));
  });
  afterAll(async () => {
    await t.close();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it("refuses http:// and private addresses when the endpoint is added", async () => {
    for (const url of [
      // Names under localhost, first: the resolver answers the first look-up with a public
      // address, as one that knows nothing of them might.
      `https://hooks.localhost./x`,
      `https://localhost.:${port}/x`,
      `http://hooks.example.com:${port}/x`,
      `https://127.0.0.1:${port}/x`,
      `https://[::1]:${port}/x`,
      `https://169.254.169.254/latest`,
      `https://localhost:${port}/x`,
    ]) {
      await expectUrlRefused(admin, orgId, url);
    }
  });

  it("refuses every spelling of a private address, and names that resolve to one (session 28)", async () => {
    for (const url of [
      // IPv4 in decimal, octal, hex and short forms: URL parsing turns each into 127.0.0.1.
      "https://2130706433/x",
      "https://0177.0.0.1/x",
      "https://0x7f.0.0.1/x",
      "https://0x7f000001/x",
      "https://127.1/x",
      "https://0/x",
      "https://10.1/x",
      "https://0251.0376.0251.0376/x", // 169.254.169.254
      // IPv6: loopback, unspecified, link-local, unique local, site-local, multicast.
      "https://[0:0:0:0:0:0:0:1]/x",
      "https://[::]/x",
      "https://[fe80::1]/x",
      "https://[fd12:3456::1]/x",
      "https://[fec0::1]/x",
      "https://[ff02::1]/x",
      // IPv4 inside IPv6: mapped (dotted and hex), compatible, translated, NAT64, 6to4.
      "https://[::ffff:127.0.0.1]/x",
      "https://[::ffff:a9fe:a9fe]/x",
      "https://[0:0:0:0:0:ffff:10.0.0.1]/x",
      "https://[::127.0.0.1]/x",
      "https://[::ffff:0:7f00:1]/x",
      "https://[64:ff9b::7f00:1]/x",
      "https://[2002:7f00:1::]/x",
      // Names whose resolver answer is private.
      ...Object.keys(PRIVATE_NAMES).map((name) => `https://${name}/x`),
    ]) {
      await expectUrlRefused(admin, orgId, url);
    }
  });

  it("a hostname that resolves to 127.0.0.1 at delivery is refused, nothing connects", async () => {
    lookups = 0;
    const hook = await addEndpoint(admin, orgId, { url: `https://rebind.example.com:${port}/x` });
    await createShare(admin, orgId);
    await t.services.webhookWorker.runOnce();
    expect(await log(admin, orgId, hook.id)).toMatchObject([
      { status: "pending", attempts: 1, errorCode: "address_refused", responseStatus: null },
    ]);
    expect(connections).toBe(0);
  });
});
