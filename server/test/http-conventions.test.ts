/**
 * HTTP conventions (issue 15): Location on every 201, WWW-Authenticate on 401, X-Request-Id on
 * every answer and in the log line, 405 with Allow, and an empty JSON body where none is needed.
 */
import { beforeAll, describe, expect, it } from "vitest";

import { type TestApp } from "./helpers/app.js";
import { linkIn, mailsTo, orgIdOf, signup, type Client } from "./helpers/accounts.js";
import { buildShare } from "./helpers/builders.js";
import { testDialects } from "./helpers/databases.js";
import { addPasskey } from "./helpers/passkeys.js";
import { suiteApp } from "./helpers/suite.js";
import { createShare } from "./helpers/http.js";

/** Confirms the client's address the way its owner would, from the verification mail. */
async function verify(t: TestApp, client: Client): Promise<void> {
  const link = linkIn(await mailsTo(t, client.email), "http://hushlink.test/verify-email#");
  const token = new URL(link).hash.slice(1);
  const res = await t.app.inject({
    method: "POST",
    url: "/api/v1/auth/verify-email",
    payload: { token },
  });
  expect(res.statusCode).toBe(204);
}

function logLines(t: TestApp): Record<string, unknown>[] {
  return t.logs.map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe.each(testDialects)("HTTP conventions on %s", (dialect) => {
  const t = suiteApp(dialect);
  let alice: Client;
  beforeAll(async () => {
    alice = await signup(t);
    await verify(t, alice);
  });

  describe("Location on every 201", () => {
    const created = new Map<string, string>();

    it("a share points at its metadata", async () => {
      const share = await buildShare();
      const res = await createShare(t.app, share.body);
      expect(res.statusCode).toBe(201);
      expect(res.headers.location).toBe(`/api/v1/shares/${share.body.id}`);
      const location = String(res.headers.location);
      expect((await t.app.inject({ url: location })).statusCode).toBe(200);
      created.set("POST /api/v1/shares", location);
    });

    it("a request, a token, an invitation and an account point at themselves", async () => {
      const request = await alice.inject({
        method: "POST",
        url: "/api/v1/requests",
        payload: { expiresIn: 3600 },
      });
      expect(request.statusCode).toBe(201);
      const requestId = request.json<{ id: string }>().id;
      expect(request.headers.location).toBe(`/api/v1/requests/${requestId}`);
      expect((await t.app.inject({ url: `/api/v1/requests/${requestId}` })).statusCode).toBe(200);
      created.set("POST /api/v1/requests", requestId);

      const token = await alice.inject({
        method: "POST",
        url: "/api/v1/tokens",
        payload: { name: "ci" },
      });
      expect(token.statusCode).toBe(201);
      expect(token.headers.location).toBe(`/api/v1/tokens/${token.json<{ id: string }>().id}`);
      created.set("POST /api/v1/tokens", String(token.headers.location));

      const orgId = await orgIdOf(alice);
      const invitation = await alice.inject({
        method: "POST",
        url: `/api/v1/orgs/${orgId}/invitations`,
        payload: { email: "bob.location@example.test" },
      });
      expect(invitation.statusCode).toBe(201);
      const invitationId = invitation.json<{ id: string }>().id;
      expect(invitation.headers.location).toBe(`/api/v1/orgs/${orgId}/invitations/${invitationId}`);
      created.set("POST /api/v1/orgs/{orgId}/invitations", invitationId);

      // Sign-up creates an account at once (201) only with an invitation; without one it
      // answers 202 whether or not the address has an account (issue 15).
      const invitationToken = linkIn(
        await mailsTo(t, "bob.location@example.test"),
        "http://hushlink.test/invitations/",
      ).split("/invitations/")[1];
      const account = await t.app.inject({
        method: "POST",
        url: "/api/v1/auth/signup",
        payload: {
          email: "bob.location@example.test",
          password: "plum-river-lantern-42",
          invitation: invitationToken,
        },
      });
      expect(account.statusCode).toBe(201);
      expect(account.headers.location).toBe("/api/v1/auth/me");
      created.set("POST /api/v1/auth/signup", "/api/v1/auth/me");
    });

    it("a webhook points at itself", async () => {
      const orgId = await orgIdOf(alice);
      const res = await alice.inject({
        method: "POST",
        url: `/api/v1/orgs/${orgId}/webhooks`,
        payload: { url: "https://hooks.example.test/hushlink", events: ["share.created"] },
      });
      expect(res.statusCode, res.body).toBe(201);
      const id = res.json<{ id: string }>().id;
      expect(res.headers.location).toBe(`/api/v1/orgs/${orgId}/webhooks/${id}`);
      created.set("POST /api/v1/orgs/{orgId}/webhooks", id);
    });

    it("a passkey points at itself", async () => {
      const { res, added } = await addPasskey(alice);
      const id = added.passkey.id;
      expect(res.headers.location).toBe(`/api/v1/auth/second-factor/passkeys/${id}`);
      const read = await alice.inject({ url: res.headers.location as string });
      expect(read.json<{ name: string }>().name).toBe("Laptop");
      created.set("POST /api/v1/auth/second-factor/passkeys", id);
    });

    it("covers every operation the contract says answers 201", async () => {
      const doc = (await t.app.inject({ url: "/api/openapi.json" })).json<{
        paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
      }>();
      const declared = Object.entries(doc.paths).flatMap(([path, ops]) =>
        Object.entries(ops)
          .filter(([, op]) => "201" in (op.responses ?? {}))
          .map(([method]) => `${method.toUpperCase()} ${path}`),
      );
      expect(declared.sort()).toEqual([...created.keys()].sort());
    });
  });

  describe("WWW-Authenticate on 401", () => {
    it("names the bearer scheme when sign-in is needed", async () => {
      const res = await t.app.inject({ url: "/api/v1/auth/me" });
      expect(res.statusCode).toBe(401);
      expect(res.headers["www-authenticate"]).toBe('Bearer realm="hushlink"');
    });

    it("says invalid_token for a bad token", async () => {
      const res = await t.app.inject({
        url: "/api/v1/shares",
        headers: { authorization: "Bearer hl_not-a-real-token" },
      });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ error: { code: "invalid_token" } });
      expect(res.headers["www-authenticate"]).toBe(
        'Bearer realm="hushlink", error="invalid_token"',
      );
    });
  });

  describe("X-Request-Id", () => {
    it("is on every answer, one per request, and in the request's log line", async () => {
      const answers = [
        await t.app.inject({ url: "/healthz" }),
        await t.app.inject({ url: "/api/v1/nothing-here" }),
        await createShare(t.app, { id: "x" }),
        await t.app.inject({ url: "/api/v1/auth/me" }),
      ];
      const ids = answers.map((a) => a.headers["x-request-id"]);
      for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{16,}$/);
      expect(new Set(ids).size).toBe(ids.length);
      const lines = logLines(t).filter((l) => l.msg === "request");
      for (const id of ids) expect(lines.some((l) => l.reqId === id)).toBe(true);
    });

    it("logs health probes below info, everything else at info", async () => {
      const probes = [
        await t.app.inject({ url: "/healthz" }),
        await t.app.inject({ url: "/readyz" }),
      ].map((a) => a.headers["x-request-id"]);
      const other = (await t.app.inject({ url: "/api/v1/config" })).headers["x-request-id"];
      const lines = logLines(t).filter((l) => l.msg === "request");
      for (const id of probes) expect(lines.find((l) => l.reqId === id)?.level).toBe(20);
      expect(lines.find((l) => l.reqId === other)?.level).toBe(30);
    });

    it("ignores the header from a peer that is not a trusted proxy", async () => {
      const res = await t.app.inject({
        url: "/api/v1/config",
        headers: { "x-request-id": "proxy-chosen-id-1" },
      });
      expect(res.headers["x-request-id"]).not.toBe("proxy-chosen-id-1");
    });
  });

  describe("405 with Allow", () => {
    it("answers a known path asked with the wrong method", async () => {
      // DELETE is served too since accounts can be deleted (issue 25), and PATCH since they
      // pick a language (issue 22); PUT is not.
      const me = await t.app.inject({ method: "PUT", url: "/api/v1/auth/me" });
      expect(me.statusCode).toBe(405);
      expect(me.headers.allow).toBe("GET, HEAD, PATCH, DELETE");
      expect(me.json()).toMatchObject({ error: { code: "method_not_allowed" } });

      const share = await t.app.inject({
        method: "PATCH",
        url: "/api/v1/shares/AAAAAAAAAAAAAAAAAAAAAA?x=1",
      });
      expect(share.statusCode).toBe(405);
      expect(share.headers.allow).toBe("GET, HEAD, DELETE");
    });

    it("still answers 404 for a path nothing serves", async () => {
      const res = await t.app.inject({ method: "POST", url: "/api/v1/nothing-here" });
      expect(res.statusCode).toBe(404);
      expect(res.headers.allow).toBeUndefined();
    });
  });

  describe("an empty JSON body", () => {
    const emptyJson = { "content-type": "application/json" };

    it("is accepted where the route takes no body", async () => {
      const bob = await signup(t);
      // In this order: the resend needs the session that the logout ends.
      for (const url of ["/api/v1/auth/verify-email/resend", "/api/v1/auth/logout"]) {
        const res = await bob.inject({ method: "POST", url, headers: emptyJson, payload: "" });
        expect(res.statusCode, url).toBe(204);
      }
    });

    it("is refused with invalid_json where the route needs one", async () => {
      const res = await t.app.inject({
        method: "POST",
        url: "/api/v1/shares",
        headers: emptyJson,
        payload: "",
      });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ error: { code: "invalid_json" } });
    });

    it("is refused the same way when the request has no body and no Content-Type at all", async () => {
      // curl -X POST without -d: no "body: expected object, received null" from the validator.
      for (const [method, url] of [
        ["POST", "/api/v1/shares"],
        ["POST", "/api/v1/shares/AAAAAAAAAAAAAAAAAAAAAA/reveal"],
      ] as const) {
        const res = await t.app.inject({ method, url });
        expect(res.statusCode, url).toBe(400);
        expect(res.json(), url).toEqual({
          error: { code: "invalid_json", message: "The body is empty; send a JSON object." },
        });
      }
    });
  });
});

describe("X-Request-Id behind a trusted proxy", () => {
  const t = suiteApp("sqlite", { env: { TRUST_PROXY: "127.0.0.1" } });

  it("keeps the proxy's id, answers with it and logs it", async () => {
    const res = await t.app.inject({
      url: "/api/v1/config",
      headers: { "x-request-id": "edge-7f3a9c" },
    });
    expect(res.headers["x-request-id"]).toBe("edge-7f3a9c");
    expect(logLines(t).some((l) => l.msg === "request" && l.reqId === "edge-7f3a9c")).toBe(true);
  });

  it("replaces an id that could fool a log reader", async () => {
    const res = await t.app.inject({
      url: "/api/v1/config",
      headers: { "x-request-id": "fake\u001b[2Kline" },
    });
    expect(res.headers["x-request-id"]).toMatch(/^[A-Za-z0-9_-]{16,}$/);
  });

  it("does not take it from a peer outside the trusted list", async () => {
    const res = await t.app.inject({
      url: "/api/v1/config",
      remoteAddress: "203.0.113.9",
      headers: { "x-request-id": "edge-from-outside" },
    });
    expect(res.headers["x-request-id"]).not.toBe("edge-from-outside");
  });
});
