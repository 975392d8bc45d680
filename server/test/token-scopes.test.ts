/**
 * API tokens with a scope and an expiry (issue 25, extension of SPEC F8): every scope against
 * routes it may and may not call, the expiry on the injected clock, and the migration that makes
 * older tokens `full` for ever; on SQLite and (with TEST_DATABASE_URL) PostgreSQL.
 */
import type { LightMyRequestResponse } from "fastify";
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";

import { GOOD_PASSWORD, newOrg, type Client } from "./helpers/accounts.js";
import { clockPerTest, suiteApp } from "./helpers/suite.js";
import { buildShare } from "./helpers/builders.js";
import { testDialects } from "./helpers/databases.js";
import { insertOldUser, migrateOver } from "./helpers/migrations.js";
import { json } from "./helpers/http.js";
import { SoftAuthenticator } from "./helpers/passkeys.js";

const HOUR = 3600 * 1000;

interface Listed {
  id: string;
  name: string;
  scope: string;
  expiresAt: string | null;
  expired: boolean;
}

describe.each(testDialects)("API token scopes and expiry on %s", (dialect) => {
  const clock = clockPerTest();
  const t = suiteApp(dialect, { clock });
  let alice: Client;
  let orgId: string;

  beforeAll(async () => {
    ({ admin: alice, orgId } = await newOrg(t));
  });

  async function create(body: Record<string, unknown>) {
    const res = await alice.inject({ method: "POST", url: "/api/v1/tokens", payload: body });
    expect(res.statusCode, res.body).toBe(201);
    return json<{ id: string; token: string; scope: string; expiresAt: string | null }>(res);
  }

  const as = (token: string) => ({
    call: (method: string, url: string, payload?: unknown) =>
      t.app.inject({
        method: method as "GET",
        url,
        headers: { authorization: `Bearer ${token}` },
        ...(payload === undefined ? {} : { payload: payload as object }),
      }),
  });

  /** The calls of the matrix below; each builds a fresh body so none collides with another. */
  async function calls(token: string) {
    const c = as(token);
    const share = await buildShare();
    return {
      me: () => c.call("GET", "/api/v1/auth/me"),
      config: () => c.call("GET", "/api/v1/config"),
      listShares: () => c.call("GET", "/api/v1/shares"),
      createShare: () => c.call("POST", "/api/v1/shares", share.body),
      deleteShare: () => c.call("DELETE", `/api/v1/shares/${share.body.id}`),
      listRequests: () => c.call("GET", "/api/v1/requests"),
      createRequest: () => c.call("POST", "/api/v1/requests", { expiresIn: 3600 }),
      listTokens: () => c.call("GET", "/api/v1/tokens"),
      createToken: () => c.call("POST", "/api/v1/tokens", { name: "minted" }),
      members: () => c.call("GET", `/api/v1/orgs/${orgId}/members`),
      renameOrg: () => c.call("PATCH", `/api/v1/orgs/${orgId}`, { name: "Renamed by token" }),
    };
  }

  type Call = keyof Awaited<ReturnType<typeof calls>>;

  async function expectMatrix(token: string, allowed: Call[], refused: Call[]) {
    const c = await calls(token);
    for (const name of allowed) {
      const res = await c[name]();
      expect(res.statusCode, `${name}: ${res.body}`).toBeLessThan(300);
    }
    for (const name of refused) {
      const res = await c[name]();
      expect(res.statusCode, `${name}: ${res.body}`).toBe(403);
      expect(json(res), name).toMatchObject({ error: { code: "token_scope" } });
    }
  }

  it("creates `full` tokens without an expiry by default, and lists scope and expiry", async () => {
    const created = await create({ name: "old style" });
    expect(created).toMatchObject({ scope: "full", expiresAt: null });
    const list = json<{ items: Listed[] }>(await alice.inject({ url: "/api/v1/tokens" }));
    expect(list.items.find((i) => i.id === created.id)).toMatchObject({
      name: "old style",
      scope: "full",
      expiresAt: null,
      expired: false,
    });
  });

  it("refuses an unknown scope and an expiry out of range", async () => {
    for (const body of [
      { name: "x", scope: "admin" },
      { name: "x", expiresIn: 60 },
      { name: "x", expiresIn: 366 * 24 * 3600 },
    ]) {
      const res = await alice.inject({ method: "POST", url: "/api/v1/tokens", payload: body });
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(json(res)).toMatchObject({ error: { code: "invalid_request" } });
    }
  });

  it("read: only GET and HEAD", async () => {
    const { token } = await create({ name: "reader", scope: "read" });
    await expectMatrix(
      token,
      ["me", "config", "listShares", "listRequests", "listTokens", "members"],
      ["createShare", "deleteShare", "createRequest", "createToken", "renameOrg"],
    );
    const head = await as(token).call("HEAD", "/api/v1/shares");
    expect(head.statusCode).toBe(200);
    // Nothing was created through it.
    const shares = json<{ items: unknown[] }>(await alice.inject({ url: "/api/v1/shares" }));
    expect(shares.items).toEqual([]);
  });

  it("shares: the share routes, who am I and the public limits, nothing else", async () => {
    const { token } = await create({ name: "sharer", scope: "shares" });
    await expectMatrix(
      token,
      ["me", "config", "listShares", "createShare", "deleteShare"],
      ["listRequests", "createRequest", "listTokens", "createToken", "members", "renameOrg"],
    );
    // The revoke route is not a share route either.
    const list = json<{ items: Listed[] }>(await alice.inject({ url: "/api/v1/tokens" }));
    const self = list.items.find((i) => i.name === "sharer")!;
    const revoke = await as(token).call("DELETE", `/api/v1/tokens/${self.id}`);
    expect(revoke.statusCode).toBe(403);
  });

  it("full: everything the owner may do but create tokens", async () => {
    const { token } = await create({ name: "everything", scope: "full" });
    await expectMatrix(
      token,
      [
        "me",
        "config",
        "listShares",
        "createShare",
        "deleteShare",
        "listRequests",
        "createRequest",
        "listTokens",
        "members",
        "renameOrg",
      ],
      ["createToken"],
    );
    const refused = await as(token).call("POST", "/api/v1/tokens", { name: "minted" });
    expect(json<{ error: { message: string } }>(refused).error.message).toMatch(
      /cannot create API tokens/,
    );
  });

  it("no token changes how its account signs in: a passkey added through a leaked one would sign in after its revocation", async () => {
    const leaked = await create({ name: "leaked", scope: "full" });
    const c = as(leaked.token);
    const expectRefused = (res: LightMyRequestResponse, what: string) => {
      expect(res.statusCode, `${what}: ${res.body}`).toBe(403);
      expect(json(res), what).toMatchObject({ error: { code: "token_scope" } });
    };
    const passkeys = "/api/v1/auth/second-factor/passkeys";
    expectRefused(await c.call("POST", `${passkeys}/options`), "passkey options");
    // Even with options a session asked for, the token cannot hand in the authenticator's answer.
    const key = new SoftAuthenticator();
    const options = json<{ challenge: string; user: { id: string } }>(
      await alice.inject({ method: "POST", url: `${passkeys}/options` }),
    );
    const added = await c.call("POST", passkeys, {
      name: "Leaked",
      credential: key.register(options),
    });
    expectRefused(added, "passkey added");
    const unknownKey = "00000000-0000-4000-8000-000000000000";
    const password = { password: GOOD_PASSWORD };
    const refused: [string, string, unknown?][] = [
      ["POST", "/api/v1/auth/second-factor/totp"],
      ["POST", "/api/v1/auth/second-factor/totp/confirm", { code: "123456" }],
      ["DELETE", "/api/v1/auth/second-factor/totp", password],
      ["POST", "/api/v1/auth/second-factor/recovery-codes", password],
      ["PATCH", `${passkeys}/${unknownKey}`, { name: "Renamed" }],
      ["DELETE", `${passkeys}/${unknownKey}`, password],
      [
        "POST",
        "/api/v1/auth/password",
        { currentPassword: GOOD_PASSWORD, newPassword: "a-new-long-password-7" },
      ],
    ];
    for (const [method, url, payload] of refused) {
      expectRefused(await c.call(method, url, payload), `${method} ${url}`);
    }
    // Reading the account's factors is no change; the account and the token are still there.
    expect((await c.call("GET", "/api/v1/auth/second-factor")).statusCode).toBe(200);
    expect((await c.call("GET", passkeys)).statusCode).toBe(200);
    expect((await c.call("GET", "/api/v1/auth/me")).statusCode).toBe(200);
    // Nothing the token tried left a way in: no passkey signs in alone.
    const loginOptions = json<{ challenge: string }>(
      await t.app.inject({ method: "POST", url: "/api/v1/auth/login/passkey/options" }),
    );
    const signIn = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/login/passkey",
      payload: { credential: key.assert(loginOptions) },
    });
    expect(signIn.statusCode, signIn.body).toBe(401);
  });

  it("expires on the clock: before, it works; from expiresAt, it answers like an unknown token", async () => {
    const created = await create({ name: "short", scope: "read", expiresIn: 3600 });
    expect(created.expiresAt).toBe(new Date(t.clock.now() + HOUR).toISOString());
    const me = () => as(created.token).call("GET", "/api/v1/auth/me");
    t.clock.advance(HOUR - 1000);
    expect((await me()).statusCode).toBe(200);
    t.clock.advance(1000);
    const expired = await me();
    const unknown = await as(`hl_${"x".repeat(43)}`).call("GET", "/api/v1/auth/me");
    expect(expired.statusCode).toBe(401);
    expect(json(expired)).toMatchObject({ error: { code: "invalid_token" } });
    expect(json(expired).error).toEqual(json(unknown).error);
    expect(expired.headers["www-authenticate"]).toBe(unknown.headers["www-authenticate"]);
    // On a public route too: an expired token is no token at all, not an anonymous caller.
    expect((await as(created.token).call("GET", "/api/v1/config")).statusCode).toBe(401);

    const list = json<{ items: Listed[] }>(await alice.inject({ url: "/api/v1/tokens" }));
    expect(list.items.find((i) => i.id === created.id)).toMatchObject({
      scope: "read",
      expiresAt: created.expiresAt,
      expired: true,
    });
  });
});

describe.each(testDialects)("the migration that adds token scopes on %s", (dialect) => {
  it("makes the tokens made before it `full`, with no expiry", async () => {
    await migrateOver(
      dialect,
      "20261202010000_signup_browser",
      async (db) => {
        await insertOldUser(db, { id: "u1", email: "old@example.test" });
        await sql`insert into api_tokens (id, user_id, name, token_hash, created_at)
          values ('t1', 'u1', 'ci', 'hash', 1000)`.execute(db);
      },
      async (db) => {
        const rows = await sql<{ scope: string; expires_at: number | null }>`
          select scope, expires_at from api_tokens`.execute(db);
        expect(rows.rows).toEqual([{ scope: "full", expires_at: null }]);
      },
    );
  });
});
