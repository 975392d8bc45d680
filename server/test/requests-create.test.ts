/**
 * Secret requests: creating one, reading its link, the config of retired keys and the OpenAPI
 * entries.
 */
import { randomBytes } from "node:crypto";

import { describe, expect, it } from "vitest";

import { ConfigError, loadConfig } from "../src/config.js";
import { orgIdOf, signup, uniqueEmail } from "./helpers/accounts.js";
import { testDialects } from "./helpers/databases.js";
import { json } from "./helpers/http.js";
import {
  code,
  createRequest,
  getRequest,
  newRequest,
  PUBLIC_URL,
  requestsSuite,
  UNKNOWN_ID,
  type Created,
  type ListItem,
  type Metadata,
} from "./helpers/requests.js";

describe("HUSHLINK_PREVIOUS_ROOT_KEYS", () => {
  it("takes a comma-separated list of 32-byte keys and refuses anything else", () => {
    const a = randomBytes(32);
    const b = randomBytes(32);
    const config = loadConfig({
      HUSHLINK_PREVIOUS_ROOT_KEYS: ` ${a.toString("base64")}, ${b.toString("base64url")} `,
    });
    expect(config.previousRootKeys.map((k) => k.toString("hex"))).toEqual([
      a.toString("hex"),
      b.toString("hex"),
    ]);
    expect(loadConfig({}).previousRootKeys).toEqual([]);
    expect(() =>
      loadConfig({ HUSHLINK_PREVIOUS_ROOT_KEYS: `${a.toString("base64")},c2hvcnQ=` }),
    ).toThrow(ConfigError);
  });
});

describe.each(testDialects)("secret requests: create and read on %s", (dialect) => {
  const suite = requestsSuite(dialect);
  const { app: t } = suite;

  describe("create and read", () => {
    it("creates a request with a 128-bit id and its link, and the link's page reads it", async () => {
      const alice = await signup(t, uniqueEmail("alice"), "Alice");
      const res = await createRequest(alice, { name: "Stripe API key", expiresIn: 86400 });
      expect(res.statusCode).toBe(201);
      const created = json<Created>(res);
      expect(created.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(Buffer.from(created.id, "base64url")).toHaveLength(16);
      expect(created.url).toBe(`${PUBLIC_URL}/r/${created.id}`);
      expect(Date.parse(created.expiresAt)).toBe(t.clock.now() + 86400 * 1000);

      // Anyone with the link, signed in or not; reading twice consumes nothing.
      for (const reader of [t.app, alice, t.app]) {
        const read = await getRequest(reader, created.id);
        expect(read.statusCode).toBe(200);
        expect(read.headers["cache-control"]).toBe("no-store");
        expect(json<Metadata>(read)).toEqual({
          id: created.id,
          name: "Stripe API key",
          orgName: "Alice's organization",
          requesterName: "Alice",
          status: "open",
          expiresAt: created.expiresAt,
        });
      }
    });

    it("leaves the name out when there is none, and ids differ every time", async () => {
      const alice = await signup(t);
      const a = await newRequest(alice);
      const b = await newRequest(alice);
      expect(a.id).not.toBe(b.id);
      expect(json(await getRequest(t.app, a.id))).not.toHaveProperty("name");
    });

    it("needs a signed-in member, in one of their organizations", async () => {
      const anonymous = await createRequest(t.app);
      expect(anonymous.statusCode).toBe(401);
      expect(code(anonymous)).toBe("login_required");
      const alice = await signup(t);
      const bob = await signup(t);
      const foreign = await createRequest(alice, { orgId: await orgIdOf(bob) });
      expect(foreign.statusCode).toBe(404);
      expect(code(foreign)).toBe("org_not_found");
      const own = await createRequest(alice, { orgId: await orgIdOf(alice) });
      expect(own.statusCode).toBe(201);
    });

    it("works with an API token (no CSRF header needed)", async () => {
      const alice = await signup(t);
      const token = json<{ token: string }>(
        await alice.inject({ method: "POST", url: "/api/v1/tokens", payload: { name: "cli" } }),
      ).token;
      const bearer = { authorization: `Bearer ${token}` };
      const res = await t.app.inject({
        method: "POST",
        url: "/api/v1/requests",
        headers: bearer,
        payload: { expiresIn: 600, access: "organization" },
      });
      expect(res.statusCode).toBe(201);
      const list = await t.app.inject({ url: "/api/v1/requests", headers: bearer });
      expect(json<{ items: ListItem[] }>(list).items.map((i) => i.id)).toEqual([
        json<Created>(res).id,
      ]);
    });

    it.each([
      ["a name over 200 characters", { name: "x".repeat(201) }],
      ["expiresIn under 60 s", { expiresIn: 59 }],
      ["expiresIn over the maximum", { expiresIn: 30 * 24 * 3600 + 1 }],
      ["a fractional expiresIn", { expiresIn: 90.5 }],
      ["expiresIn as a string", { expiresIn: "3600" }],
      ["an unknown access", { access: "public" }],
      ["an unknown field", { value: "pre-filled" }],
    ])("refuses %s with 400 invalid_request", async (_label, body) => {
      const alice = await signup(t);
      const res = await createRequest(alice, body);
      expect(res.statusCode).toBe(400);
      expect(code(res)).toBe("invalid_request");
    });

    it("answers 404 request_not_found for an unknown id, and 400 for a malformed one", async () => {
      const unknown = await getRequest(t.app, UNKNOWN_ID);
      expect(unknown.statusCode).toBe(404);
      expect(code(unknown)).toBe("request_not_found");
      const malformed = await getRequest(t.app, "short");
      expect(malformed.statusCode).toBe(400);
      expect(code(malformed)).toBe("invalid_request");
    });
  });

  describe("OpenAPI", () => {
    it("documents every route under the requests tag", async () => {
      const doc = json<{ paths: Record<string, Record<string, { tags?: string[] }>> }>(
        await t.app.inject({ url: "/api/openapi.json" }),
      );
      const routes = [
        ["/api/v1/requests", "post"],
        ["/api/v1/requests", "get"],
        ["/api/v1/requests/{id}", "get"],
        ["/api/v1/requests/{id}", "delete"],
        ["/api/v1/requests/{id}/submit", "post"],
        ["/api/v1/requests/{id}/reveal", "post"],
        ["/api/v1/requests/{id}/events", "get"],
      ] as const;
      for (const [path, method] of routes) {
        expect(doc.paths[path]?.[method]?.tags, `${method} ${path}`).toEqual(["requests"]);
      }
    });
  });
});
