import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";

import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { buildApp } from "../src/app.js";
import { ConfigError, loadConfig } from "../src/config.js";
import { rootKeyId } from "../src/lib/sealing.js";
import { rewrapRequests } from "../src/features/requests/requests.rewrap.js";
import { sweepRequests } from "../src/features/requests/requests.sweeper.js";
import { openValue } from "../src/lib/data-keys.js";
import {
  captureLogger,
  createTestApp,
  TEST_ROOT_KEY,
  testConfig,
  type TestApp,
} from "./helpers/app.js";
import { linkIn, mailsTo, signup, uniqueEmail, type Client } from "./helpers/accounts.js";
import { testDialects } from "./helpers/databases.js";
import { json } from "./helpers/http.js";
import { png } from "./helpers/images.js";
import { listen, LiveClient, signupLive } from "./helpers/live.js";
import { startSmtpServer, type TestSmtpServer } from "./helpers/smtp.js";

const MINUTE = 60 * 1000;
const PUBLIC_URL = "http://hushlink.test";
const UNKNOWN_ID = "A".repeat(22);

interface Created {
  id: string;
  url: string;
  expiresAt: string;
}

interface Metadata {
  id: string;
  name?: string;
  orgName: string;
  status: "open" | "fulfilled";
  expiresAt: string;
}

interface ListItem {
  id: string;
  name: string | null;
  access: string;
  status: "open" | "fulfilled";
  createdAt: string;
  expiresAt: string;
  submittedAt?: string;
}

type Anyone = Pick<TestApp["app"], "inject">;

async function orgIdOf(c: Client): Promise<string> {
  const me = json<{ orgs: { id: string }[] }>(await c.inject({ url: "/api/v1/auth/me" }));
  return me.orgs[0]!.id;
}

/** Signs someone up and adds them to `orgId` through the real invitation flow. */
async function addMember(t: TestApp, admin: Client, orgId: string, role: "member" | "admin") {
  const email = uniqueEmail(role);
  const invite = await admin.inject({
    method: "POST",
    url: `/api/v1/orgs/${orgId}/invitations`,
    payload: { email, role },
  });
  expect(invite.statusCode).toBe(201);
  const [mail] = await mailsTo(t, email);
  const token = linkIn(mail!, `${PUBLIC_URL}/invitations/`).split("/invitations/")[1]!;
  const member = await signup(t, email);
  const accepted = await member.inject({
    method: "POST",
    url: `/api/v1/invitations/${token}/accept`,
  });
  expect(accepted.statusCode).toBe(200);
  return member;
}

function createRequest(c: Anyone, body: Record<string, unknown> = {}) {
  return c.inject({
    method: "POST",
    url: "/api/v1/requests",
    payload: { expiresIn: 3600, ...body },
  });
}

async function newRequest(c: Anyone, body: Record<string, unknown> = {}): Promise<Created> {
  const res = await createRequest(c, body);
  expect(res.statusCode, res.body).toBe(201);
  return json<Created>(res);
}

const getRequest = (c: Anyone, id: string) => c.inject({ url: `/api/v1/requests/${id}` });

const submit = (c: Anyone, id: string, value: unknown) =>
  c.inject({ method: "POST", url: `/api/v1/requests/${id}/submit`, payload: { value } });

const revealRequest = (c: Anyone, id: string) =>
  c.inject({ method: "POST", url: `/api/v1/requests/${id}/reveal`, payload: {} });

const deleteRequest = (c: Anyone, id: string) =>
  c.inject({ method: "DELETE", url: `/api/v1/requests/${id}` });

const listRequests = (c: Anyone, query = "") => c.inject({ url: `/api/v1/requests${query}` });

const code = (res: { json(): unknown }) =>
  (res.json() as { error?: { code?: string } }).error?.code;

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

describe.each(testDialects)("secret requests on %s", (dialect) => {
  let t: TestApp;
  /** Values submitted in this suite: none may appear in a log. */
  const submitted: string[] = [];
  const secret = (label = "secret") => {
    const value = `${label}-${randomBytes(12).toString("hex")}`;
    submitted.push(value);
    return value;
  };

  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => {
    const logs = t.logs.join("");
    expect(logs.length).toBeGreaterThan(0);
    for (const value of submitted) expect(logs).not.toContain(value);
    await t.close();
  });

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

  describe("submit", () => {
    it("fulfils the request once: 204, then 409 request_fulfilled for every later submission", async () => {
      const alice = await signup(t);
      const { id } = await newRequest(alice, { name: "db password" });
      const value = secret();
      const first = await submit(t.app, id, value);
      expect(first.statusCode).toBe(204);
      expect(first.body).toBe("");

      const second = await submit(t.app, id, secret("late"));
      expect(second.statusCode).toBe(409);
      expect(code(second)).toBe("request_fulfilled");
      expect(json<Metadata>(await getRequest(t.app, id)).status).toBe("fulfilled");

      const revealed = await revealRequest(alice, id);
      expect(revealed.statusCode).toBe(200);
      expect(json(revealed)).toEqual({ value, submittedAt: new Date(t.clock.now()).toISOString() });
    });

    it("20 concurrent submissions: exactly one 204, nineteen 409, and the winner's value is kept", async () => {
      const alice = await signup(t);
      const { id } = await newRequest(alice);
      const values = Array.from({ length: 20 }, (_, i) => secret(`racer${i}`));
      const answers = await Promise.all(values.map((v) => submit(t.app, id, v)));
      const statuses = answers.map((a) => a.statusCode);
      expect(statuses.filter((s) => s === 204)).toHaveLength(1);
      expect(statuses.filter((s) => s === 409)).toHaveLength(19);
      const winner = values[statuses.indexOf(204)];
      expect(json<{ value: string }>(await revealRequest(alice, id)).value).toBe(winner);
      const events = json<{ items: { type: string }[] }>(
        await alice.inject({ url: `/api/v1/requests/${id}/events` }),
      );
      expect(events.items.filter((e) => e.type === "submitted")).toHaveLength(1);
    });

    it("keeps the value exactly: whitespace, newlines, non-ASCII", async () => {
      const alice = await signup(t);
      const { id } = await newRequest(alice);
      const value = `  ${secret()}\r\n\tünïcødé 🔑  \n`;
      expect((await submit(t.app, id, value)).statusCode).toBe(204);
      expect(json<{ value: string }>(await revealRequest(alice, id)).value).toBe(value);
    });

    it("accepts exactly the byte limit and refuses one byte more, counted in UTF-8", async () => {
      const max = t.config.limits.maxSecretBytes;
      const alice = await signup(t);
      const atLimit = await newRequest(alice);
      expect((await submit(t.app, atLimit.id, "é".repeat(max / 2))).statusCode).toBe(204);

      const over = await newRequest(alice);
      // Fewer characters than the limit, more bytes: "é" is two bytes in UTF-8.
      const multibyte = await submit(t.app, over.id, "é".repeat(max / 2) + "x");
      expect(multibyte.statusCode).toBe(400);
      expect(multibyte.json()).toMatchObject({
        error: {
          code: "invalid_request",
          issues: [{ path: "body.value", message: `must be at most ${max} bytes of UTF-8` }],
        },
      });
      const ascii = await submit(t.app, over.id, "x".repeat(max + 1));
      expect(ascii.statusCode).toBe(400);
      expect(code(ascii)).toBe("invalid_request");
      // Nothing was taken: the request is still open.
      expect(json<Metadata>(await getRequest(t.app, over.id)).status).toBe("open");
    });

    it.each([
      ["an empty value", { value: "" }, 400, "invalid_request"],
      ["a number", { value: 123 }, 400, "invalid_request"],
      ["null", { value: null }, 400, "invalid_request"],
      ["an array", { value: ["a"] }, 400, "invalid_request"],
      ["no value", {}, 400, "invalid_request"],
      ["an unknown field", { value: "x", name: "y" }, 400, "invalid_request"],
    ])("refuses %s", async (_label, payload, status, errorCode) => {
      const alice = await signup(t);
      const { id } = await newRequest(alice);
      const res = await t.app.inject({
        method: "POST",
        url: `/api/v1/requests/${id}/submit`,
        payload,
      });
      expect(res.statusCode).toBe(status);
      expect(code(res)).toBe(errorCode);
      expect(json<Metadata>(await getRequest(t.app, id)).status).toBe("open");
    });

    it("refuses other content types (415) and bad JSON (400)", async () => {
      const alice = await signup(t);
      const { id } = await newRequest(alice);
      const text = await t.app.inject({
        method: "POST",
        url: `/api/v1/requests/${id}/submit`,
        headers: { "content-type": "text/plain" },
        payload: "just the secret",
      });
      expect(text.statusCode).toBe(415);
      expect(code(text)).toBe("unsupported_media_type");
      const broken = await t.app.inject({
        method: "POST",
        url: `/api/v1/requests/${id}/submit`,
        headers: { "content-type": "application/json" },
        payload: '{"value": ',
      });
      expect(broken.statusCode).toBe(400);
      expect(code(broken)).toBe("invalid_json");
    });

    it("answers 404 request_not_found for an unknown request", async () => {
      const res = await submit(t.app, UNKNOWN_ID, secret());
      expect(res.statusCode).toBe(404);
      expect(code(res)).toBe("request_not_found");
    });
  });

  describe("organization-only requests", () => {
    it("401 without sign-in, 403 for other organizations, open to members (session or token)", async () => {
      const alice = await signup(t);
      const orgId = await orgIdOf(alice);
      const bob = await addMember(t, alice, orgId, "member");
      const mallory = await signup(t);
      const { id } = await newRequest(alice, { access: "organization", name: "VPN" });

      const anonymousRead = await getRequest(t.app, id);
      expect(anonymousRead.statusCode).toBe(401);
      expect(code(anonymousRead)).toBe("login_required");
      const outsiderRead = await getRequest(mallory, id);
      expect(outsiderRead.statusCode).toBe(403);
      expect(code(outsiderRead)).toBe("not_allowed");
      expect(json<Metadata>(await getRequest(bob, id))).toMatchObject({ name: "VPN" });

      const anonymousSubmit = await submit(t.app, id, secret());
      expect(anonymousSubmit.statusCode).toBe(401);
      expect(code(anonymousSubmit)).toBe("login_required");
      const outsiderSubmit = await submit(mallory, id, secret());
      expect(outsiderSubmit.statusCode).toBe(403);
      expect(code(outsiderSubmit)).toBe("not_allowed");
      expect(json<Metadata>(await getRequest(bob, id)).status).toBe("open");

      const token = json<{ token: string }>(
        await bob.inject({ method: "POST", url: "/api/v1/tokens", payload: { name: "ci" } }),
      ).token;
      const value = secret();
      const byToken = await t.app.inject({
        method: "POST",
        url: `/api/v1/requests/${id}/submit`,
        headers: { authorization: `Bearer ${token}` },
        payload: { value },
      });
      expect(byToken.statusCode).toBe(204);
      expect(json<{ value: string }>(await revealRequest(alice, id)).value).toBe(value);
    });

    it("a cookie-authenticated submission needs the CSRF header", async () => {
      const alice = await signup(t);
      const { id } = await newRequest(alice, { access: "organization" });
      const res = await t.app.inject({
        method: "POST",
        url: `/api/v1/requests/${id}/submit`,
        headers: { cookie: alice.headers.cookie! },
        payload: { value: secret() },
      });
      expect(res.statusCode).toBe(403);
      expect(code(res)).toBe("csrf_failed");
    });
  });

  describe("the requester's side", () => {
    it("reveal is for the requester only; others in the organization and outside get 404", async () => {
      const alice = await signup(t);
      const orgId = await orgIdOf(alice);
      const bob = await addMember(t, alice, orgId, "member");
      const carol = await addMember(t, alice, orgId, "admin");
      const mallory = await signup(t);
      // Bob's request, in Alice's organization: Alice is an admin there, but not the requester.
      const { id } = await newRequest(bob, { orgId, name: "bob's" });
      const value = secret();
      // The clock moves between steps so the audit trail has a defined order.
      t.clock.advance(1);
      expect((await submit(t.app, id, value)).statusCode).toBe(204);
      t.clock.advance(1);

      for (const other of [alice, carol, mallory]) {
        const res = await revealRequest(other, id);
        expect(res.statusCode).toBe(404);
        expect(code(res)).toBe("request_not_found");
      }
      const anonymous = await revealRequest(t.app, id);
      expect(anonymous.statusCode).toBe(401);

      const mine = await revealRequest(bob, id);
      t.clock.advance(1);
      expect(mine.statusCode).toBe(200);
      expect(mine.headers["cache-control"]).toBe("no-store");
      expect(json<{ value: string }>(mine).value).toBe(value);
      // Revealing again works (also without a body), and each time is recorded.
      const bare = await bob.inject({ method: "POST", url: `/api/v1/requests/${id}/reveal` });
      expect(bare.statusCode).toBe(200);

      const events = json<{ items: { type: string; userEmail?: string; ip: string | null }[] }>(
        await bob.inject({ url: `/api/v1/requests/${id}/events` }),
      );
      expect(events.items.map((e) => e.type)).toEqual([
        "created",
        "submitted",
        "revealed",
        "revealed",
      ]);
      expect(events.items[2]).toMatchObject({ userEmail: bob.email, ip: "127.0.0.1" });
      // The audit trail: requester or org admin; a plain member or an outsider gets 404.
      expect((await alice.inject({ url: `/api/v1/requests/${id}/events` })).statusCode).toBe(200);
      const bobsRequestForMallory = await mallory.inject({ url: `/api/v1/requests/${id}/events` });
      expect(bobsRequestForMallory.statusCode).toBe(404);
    });

    it("a requester who left the organization can no longer reveal", async () => {
      const alice = await signup(t);
      const orgId = await orgIdOf(alice);
      const bob = await addMember(t, alice, orgId, "member");
      const { id } = await newRequest(bob, { orgId });
      expect((await submit(t.app, id, secret())).statusCode).toBe(204);
      const members = json<{ items: { userId: string; email: string }[] }>(
        await alice.inject({ url: `/api/v1/orgs/${orgId}/members` }),
      );
      const bobId = members.items.find((m) => m.email === bob.email)!.userId;
      const removed = await alice.inject({
        method: "DELETE",
        url: `/api/v1/orgs/${orgId}/members/${bobId}`,
      });
      expect(removed.statusCode).toBe(204);
      expect((await revealRequest(bob, id)).statusCode).toBe(404);
    });

    it("reveal before anything was submitted answers 409 request_not_fulfilled", async () => {
      const alice = await signup(t);
      const { id } = await newRequest(alice);
      const res = await revealRequest(alice, id);
      expect(res.statusCode).toBe(409);
      expect(code(res)).toBe("request_not_fulfilled");
    });

    it("lists the organization's requests newest first with cursor paging; other organizations see none", async () => {
      const alice = await signup(t);
      const orgId = await orgIdOf(alice);
      const bob = await addMember(t, alice, orgId, "member");
      const ids: string[] = [];
      for (const [i, access] of (["anyone", "organization", "anyone"] as const).entries()) {
        ids.push((await newRequest(i === 1 ? bob : alice, { orgId, access, name: `r${i}` })).id);
        t.clock.advance(1000);
      }
      expect((await submit(t.app, ids[0]!, secret())).statusCode).toBe(204);

      const first = json<{ items: ListItem[]; nextCursor: string | null }>(
        await listRequests(alice, "?limit=2"),
      );
      expect(first.items.map((i) => i.id)).toEqual([ids[2], ids[1]]);
      expect(first.items[1]).toMatchObject({ name: "r1", access: "organization", status: "open" });
      expect(first.items[1]).not.toHaveProperty("submittedAt");
      // Bob made r1: Alice sees it, but it is not hers to reveal.
      expect(first.items.map((i) => (i as ListItem & { mine: boolean }).mine)).toEqual([
        true,
        false,
      ]);
      expect(first.nextCursor).toEqual(expect.any(String));
      const second = json<{ items: ListItem[]; nextCursor: string | null }>(
        await listRequests(alice, `?limit=2&cursor=${first.nextCursor}`),
      );
      expect(second.items.map((i) => i.id)).toEqual([ids[0]]);
      expect(second.items[0]).toMatchObject({
        status: "fulfilled",
        submittedAt: expect.any(String) as unknown,
      });
      expect(second.nextCursor).toBeNull();

      // A member sees the same list (the organization's requests).
      const bobs = json<{ items: ListItem[] }>(await listRequests(bob, `?orgId=${orgId}`));
      expect(bobs.items.map((i) => i.id)).toEqual([ids[2], ids[1], ids[0]]);

      const mallory = await signup(t);
      expect(json<{ items: ListItem[] }>(await listRequests(mallory)).items).toEqual([]);
      expect((await listRequests(mallory, `?orgId=${orgId}`)).statusCode).toBe(404);
      expect((await listRequests(t.app)).statusCode).toBe(401);
      const badCursor = await listRequests(alice, "?cursor=nonsense");
      expect(badCursor.statusCode).toBe(400);
      expect(code(badCursor)).toBe("invalid_cursor");
    });

    it("delete: the requester or an org admin; destroys the value; others get 404", async () => {
      const alice = await signup(t);
      const orgId = await orgIdOf(alice);
      const bob = await addMember(t, alice, orgId, "member");
      const carol = await addMember(t, alice, orgId, "member");
      const mallory = await signup(t);

      const bobs = await newRequest(bob, { orgId });
      expect((await submit(t.app, bobs.id, secret())).statusCode).toBe(204);
      for (const other of [carol, mallory]) {
        const res = await deleteRequest(other, bobs.id);
        expect(res.statusCode).toBe(404);
        expect(code(res)).toBe("request_not_found");
      }
      expect((await deleteRequest(t.app, bobs.id)).statusCode).toBe(401);
      // Alice is the organization's admin.
      expect((await deleteRequest(alice, bobs.id)).statusCode).toBe(204);
      expect((await getRequest(t.app, bobs.id)).statusCode).toBe(404);
      expect((await revealRequest(bob, bobs.id)).statusCode).toBe(404);
      expect((await submit(t.app, bobs.id, secret())).statusCode).toBe(404);
      expect((await deleteRequest(bob, bobs.id)).statusCode).toBe(404);
      const row = await t.database.db
        .selectFrom("requests")
        .select("id")
        .where("id", "=", bobs.id)
        .executeTakeFirst();
      expect(row).toBeUndefined();
      // The audit trail outlives the request (for operators), without content.
      const trail = await t.database.db
        .selectFrom("request_events")
        .select(["type", "user_id"])
        .where("request_id", "=", bobs.id)
        .orderBy("at")
        .execute();
      expect(trail.map((e) => e.type)).toEqual(["created", "submitted", "deleted"]);

      const own = await newRequest(bob, { orgId });
      expect((await deleteRequest(bob, own.id)).statusCode).toBe(204);
    });
  });

  describe("expiry", () => {
    it("by time, before the sweeper: 404 everywhere, left out of the list, and destroyed on read", async () => {
      const alice = await signup(t);
      const open = await newRequest(alice, { expiresIn: 60 });
      const fulfilled = await newRequest(alice, { expiresIn: 120 });
      expect((await submit(t.app, fulfilled.id, secret())).statusCode).toBe(204);

      t.clock.advance(60 * 1000 - 1);
      expect((await getRequest(t.app, open.id)).statusCode).toBe(200);
      t.clock.advance(1);
      for (const res of [
        await getRequest(t.app, open.id),
        await submit(t.app, open.id, secret()),
        await revealRequest(alice, open.id),
        await deleteRequest(alice, open.id),
      ]) {
        expect(res.statusCode).toBe(404);
        expect(code(res)).toBe("request_not_found");
      }
      const listed = json<{ items: ListItem[] }>(await listRequests(alice)).items.map((i) => i.id);
      expect(listed).toEqual([fulfilled.id]);

      t.clock.advance(MINUTE);
      expect((await revealRequest(alice, fulfilled.id)).statusCode).toBe(404);
      expect(json<{ items: ListItem[] }>(await listRequests(alice)).items).toEqual([]);
      const rows = await t.database.db
        .selectFrom("requests")
        .select("id")
        .where("id", "in", [open.id, fulfilled.id])
        .execute();
      expect(rows).toEqual([]);
    });

    it("the sweeper destroys expired requests and their values, and prunes old audit trails", async () => {
      const alice = await signup(t);
      const a = await newRequest(alice, { expiresIn: 60 });
      const b = await newRequest(alice, { expiresIn: 60 });
      const kept = await newRequest(alice, { expiresIn: 3600 });
      expect((await submit(t.app, b.id, secret())).statusCode).toBe(204);
      t.clock.advance(MINUTE);
      await t.services.sweeper.runOnce();
      const left = await t.database.db
        .selectFrom("requests")
        .select("id")
        .where("id", "in", [a.id, b.id, kept.id])
        .execute();
      expect(left.map((r) => r.id)).toEqual([kept.id]);
      const expired = await t.database.db
        .selectFrom("request_events")
        .select(["request_id", "at"])
        .where("type", "=", "expired")
        .where("request_id", "in", [a.id, b.id])
        .execute();
      expect(expired).toHaveLength(2);

      // The trail of a gone request is pruned once 30 days old; a live request keeps all of its.
      const old = t.clock.now() - 31 * 24 * 3600 * 1000;
      await t.database.db
        .insertInto("request_events")
        .values(
          [a.id, kept.id].map((requestId) => ({
            id: randomUUID(),
            request_id: requestId,
            type: "revealed" as const,
            at: old,
            ip: null,
            user_id: null,
          })),
        )
        .execute();
      expect(await sweepRequests(t.database, t.clock.now())).toBe(0);
      const trail = async (id: string) =>
        (
          await t.database.db
            .selectFrom("request_events")
            .select("type")
            .where("request_id", "=", id)
            .orderBy("at")
            .execute()
        ).map((e) => e.type);
      expect(await trail(a.id)).toEqual(["created", "expired"]);
      expect(await trail(kept.id)).toEqual(["revealed", "created"]);
    });

    it("sweeps in batches, and two sweepers at once destroy each request once", async () => {
      const alice = await signup(t);
      const orgId = await orgIdOf(alice);
      const requesterId = json<{ user: { id: string } }>(
        await alice.inject({ url: "/api/v1/auth/me" }),
      ).user.id;
      const now = t.clock.now();
      const ids = Array.from({ length: 25 }, () => randomBytes(16).toString("base64url"));
      await t.database.db
        .insertInto("requests")
        .values(
          ids.map((id) => ({
            id,
            org_id: orgId,
            requester_id: requesterId,
            name: null,
            access: "anyone" as const,
            created_at: now - 2 * MINUTE,
            expires_at: now - MINUTE,
            submitted_at: null,
            value_sealed: null,
            wrapped_key: null,
            key_id: null,
          })),
        )
        .execute();
      // Two handles on one SQLite file in one process would block each other's event loop (and
      // SQLite has one writer at a time anyway): the two-instance case is PostgreSQL's.
      const other = dialect === "postgres" ? t.testDb.openAnother() : t.database;
      const [x, y] = await Promise.all([
        sweepRequests(t.database, now, 4),
        sweepRequests(other, now, 4),
      ]);
      expect(x + y).toBe(25);
      const events = await t.database.db
        .selectFrom("request_events")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("type", "=", "expired")
        .where("request_id", "in", ids)
        .executeTakeFirstOrThrow();
      expect(Number(events.n)).toBe(25);
    });
  });

  describe("encryption at rest", () => {
    it("stores the value sealed under a per-value data key wrapped by the root key", async () => {
      const alice = await signup(t);
      const { id } = await newRequest(alice);
      const value = secret("needle");
      expect((await submit(t.app, id, value)).statusCode).toBe(204);
      const row = await t.database.db
        .selectFrom("requests")
        .selectAll()
        .where("id", "=", id)
        .executeTakeFirstOrThrow();
      expect(row.key_id).toBe(rootKeyId(TEST_ROOT_KEY));
      expect(row.wrapped_key).toMatch(new RegExp(`^v1\\.${row.key_id}\\.`));
      expect(row.value_sealed).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
      expect(JSON.stringify(row)).not.toContain(value);
      expect(JSON.stringify(row)).not.toContain(Buffer.from(value).toString("base64url"));
      expect(JSON.stringify(row)).not.toContain(Buffer.from(value).toString("base64"));

      // A sealed value moved to another request's row does not open there.
      const other = await newRequest(alice);
      expect((await submit(t.app, other.id, secret())).statusCode).toBe(204);
      await t.database.db
        .updateTable("requests")
        .set({ value_sealed: row.value_sealed, wrapped_key: row.wrapped_key })
        .where("id", "=", other.id)
        .execute();
      const moved = await revealRequest(alice, other.id);
      expect(moved.statusCode).toBe(500);
      expect(code(moved)).toBe("value_unreadable");
    });

    // Files on disk are SQLite's alone; on PostgreSQL the row check above is what applies.
    if (dialect === "sqlite") {
      it("the value is not in the SQLite files, and its sealed form leaves them on delete", async () => {
        const alice = await signup(t);
        const { id } = await newRequest(alice);
        const value = secret("plaintext-needle");
        expect((await submit(t.app, id, value)).statusCode).toBe(204);
        expect(json<{ value: string }>(await revealRequest(alice, id)).value).toBe(value);
        await sql`pragma wal_checkpoint(TRUNCATE)`.execute(t.database.db);
        const file = t.database.file!;
        const files = [file, `${file}-wal`, `${file}-shm`].filter((f) => existsSync(f));
        const disk = () => Buffer.concat(files.map((f) => readFileSync(f)));
        expect(disk().includes(Buffer.from(value))).toBe(false);

        const { value_sealed: sealed } = await t.database.db
          .selectFrom("requests")
          .select("value_sealed")
          .where("id", "=", id)
          .executeTakeFirstOrThrow();
        expect(disk().includes(Buffer.from(sealed!))).toBe(true);
        expect((await deleteRequest(alice, id)).statusCode).toBe(204);
        // The sweeper checkpoints after a destruction; secure_delete zeroed the freed bytes.
        await t.services.sweeper.runOnce();
        expect(disk().includes(Buffer.from(sealed!))).toBe(false);
      });
    }

    it("rotation: a retired root key still opens (and the reveal re-wraps); without it, 500 root_key_missing", async () => {
      const alice = await signup(t);
      const { id } = await newRequest(alice);
      const value = secret();
      expect((await submit(t.app, id, value)).statusCode).toBe(204);

      const newKey = randomBytes(32);
      const build = async (env: Record<string, string>) => {
        const built = await buildApp({
          config: testConfig(env, t.testDb.dataDir),
          database: t.database,
          logger: captureLogger([]),
          rootKey: newKey,
          clock: t.clock,
        });
        await built.app.ready();
        return built.app;
      };

      // Alice's session works on every instance: it lives in the shared database.
      const withoutOld = await build({});
      try {
        const asAlice = await withoutOld.inject({
          method: "POST",
          url: `/api/v1/requests/${id}/reveal`,
          headers: alice.headers,
          payload: {},
        });
        expect(asAlice.statusCode).toBe(500);
        expect(asAlice.json()).toMatchObject({
          error: {
            code: "root_key_missing",
            message: expect.stringContaining(rootKeyId(TEST_ROOT_KEY)) as unknown,
          },
        });
      } finally {
        await withoutOld.close();
      }

      const rotated = await build({
        HUSHLINK_PREVIOUS_ROOT_KEYS: TEST_ROOT_KEY.toString("base64"),
      });
      try {
        const res = await rotated.inject({
          method: "POST",
          url: `/api/v1/requests/${id}/reveal`,
          headers: alice.headers,
          payload: {},
        });
        expect(res.statusCode).toBe(200);
        expect(json<{ value: string }>(res).value).toBe(value);
        const row = await t.database.db
          .selectFrom("requests")
          .select("key_id")
          .where("id", "=", id)
          .executeTakeFirstOrThrow();
        expect(row.key_id).toBe(rootKeyId(newKey));
        // New submissions are sealed under the new key.
        const fresh = await newRequest(alice);
        const submitted = await rotated.inject({
          method: "POST",
          url: `/api/v1/requests/${fresh.id}/submit`,
          payload: { value: secret() },
        });
        expect(submitted.statusCode).toBe(204);
        const freshRow = await t.database.db
          .selectFrom("requests")
          .select("key_id")
          .where("id", "=", fresh.id)
          .executeTakeFirstOrThrow();
        expect(freshRow.key_id).toBe(rootKeyId(newKey));
      } finally {
        await rotated.close();
      }
      // The old key alone no longer opens the re-wrapped value.
      expect((await revealRequest(alice, id)).statusCode).toBe(500);
    });
  });

  describe("root key rotation", () => {
    it("rewrapRequests moves every data key to the new root key; values stay untouched", async () => {
      // A database of its own: other tests leave values under other keys.
      const own = await createTestApp(dialect);
      try {
        const alice = await signup(own);
        const values = new Map<string, string>();
        for (let i = 0; i < 3; i++) {
          const { id } = await newRequest(alice);
          const value = secret(`rewrap${i}`);
          expect((await submit(own.app, id, value)).statusCode).toBe(204);
          values.set(id, value);
        }
        const ids = [...values.keys()];
        const before = await own.database.db
          .selectFrom("requests")
          .select(["id", "value_sealed"])
          .where("id", "in", ids)
          .execute();
        const newKey = randomBytes(32);

        // Without the old key nothing can be re-wrapped, and nothing changes.
        const blind = await rewrapRequests(own.database, [newKey], 2);
        expect(blind.rewrapped).toBe(0);
        expect(blind.unreadable[rootKeyId(TEST_ROOT_KEY)]).toBeGreaterThanOrEqual(3);

        const done = await rewrapRequests(own.database, [newKey, TEST_ROOT_KEY], 2);
        expect(done.currentKeyId).toBe(rootKeyId(newKey));
        expect(done.rewrapped).toBeGreaterThanOrEqual(3);
        expect(done.unreadable).toEqual({});
        const after = await own.database.db
          .selectFrom("requests")
          .select(["id", "value_sealed", "key_id", "wrapped_key", "submitted_at"])
          .where("key_id", "is not", null)
          .execute();
        expect(after.every((r) => r.key_id === rootKeyId(newKey))).toBe(true);
        for (const row of before) {
          const now = after.find((r) => r.id === row.id)!;
          expect(now.value_sealed).toBe(row.value_sealed);
          expect(
            openValue(
              newKey,
              { value: now.value_sealed!, wrappedKey: now.wrapped_key! },
              `hushlink/requests/${row.id}`,
            ),
          ).toBe(values.get(row.id));
        }
        // A second run has nothing left to do.
        expect((await rewrapRequests(own.database, [newKey, TEST_ROOT_KEY])).rewrapped).toBe(0);
      } finally {
        await own.close();
      }
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

describe.each(testDialects)("secret requests with SMTP and rate limits on %s", (dialect) => {
  let smtp: TestSmtpServer;
  let t: TestApp;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await createTestApp(dialect, {
      env: { SMTP_URL: smtp.url, RATE_LIMIT: "on", RATE_LIMIT_SUBMIT: "3" },
    });
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  it("mails the requester over SMTP when the request is fulfilled, without the value", async () => {
    const alice = await signup(t, uniqueEmail("requester"), "Alice");
    // A name that tries header injection is refused before anything is stored or mailed.
    const injected = await createRequest(alice, { name: "Prod DB\r\nBcc: evil@example.org" });
    expect(injected.statusCode).toBe(400);
    expect(code(injected)).toBe("invalid_request");
    const { id } = await newRequest(alice, { name: "Prod DB" });
    const value = `mailed-${randomBytes(12).toString("hex")}`;
    expect((await submit(t.app, id, value)).statusCode).toBe(204);

    await t.services.mail.runOnce();
    const received = smtp.messages.filter((m) => m.envelopeTo.includes(alice.email));
    const message = received.find((m) => /request/i.test(m.parsed.subject ?? ""));
    expect(message, received.map((m) => m.parsed.subject).join(", ")).toBeDefined();
    expect(message!.parsed.subject).toContain("Prod DB");
    expect(smtp.messages.some((m) => m.raw.includes("evil@example.org"))).toBe(false);
    expect(message!.envelopeTo).toEqual([alice.email]);
    expect(message!.parsed.text).toContain(`${PUBLIC_URL}/app/requests`);
    expect(message!.raw).not.toContain(value);
    expect(message!.raw).not.toContain(id);
    expect(smtp.messages.every((m) => !m.raw.includes(value))).toBe(true);
    // The outbox entry is gone once sent.
    expect(await t.database.db.selectFrom("mail_outbox").selectAll().execute()).toEqual([]);
  });

  it("limits submissions per IP (RATE_LIMIT_SUBMIT), with 429 rate_limited", async () => {
    const alice = await signup(t);
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push((await newRequest(alice)).id);
    const answers = [];
    for (const id of ids) {
      answers.push(
        await t.app.inject({
          method: "POST",
          url: `/api/v1/requests/${id}/submit`,
          remoteAddress: "192.0.2.7",
          payload: { value: "x" },
        }),
      );
    }
    expect(answers.map((a) => a.statusCode)).toEqual([204, 204, 204, 429, 429]);
    expect(code(answers[3]!)).toBe("rate_limited");
    // Another address has its own budget.
    expect((await submit(t.app, ids[4]!, "y")).statusCode).toBe(204);
  });
});

describe.each(testDialects)("branded organization-only requests over HTTP on %s", (dialect) => {
  let t: TestApp;
  let base: string;
  let admin: LiveClient;
  let orgId: string;
  /** What the organization's public pages get: the branding of an "anyone" request's metadata. */
  let publicBranding: Record<string, unknown>;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    base = await listen(t);
    admin = await signupLive(base, uniqueEmail("acme-admin"), { name: "Acme" });
    orgId = (await admin.get<{ orgs: { id: string }[] }>("/api/v1/auth/me")).body.orgs[0]!.id;
    const colors = await admin.call("PUT", `/api/v1/orgs/${orgId}/branding`, {
      body: { primaryColor: "#0f766e", backgroundColor: "#ffffff", textColor: "#111111" },
    });
    expect(colors.status, colors.text).toBe(200);
    // The logo is a raw image body, which LiveClient (JSON only) does not send.
    const logo = await fetch(`${base}/api/v1/orgs/${orgId}/branding/logo`, {
      method: "PUT",
      headers: {
        cookie: [...admin.cookies].map(([name, value]) => `${name}=${value}`).join("; "),
        "x-csrf-token": admin.cookies.get("hl_csrf")!,
        "content-type": "image/png",
      },
      body: png(24, 24),
    });
    expect(logo.status, await logo.text()).toBe(200);
    const open = await admin.post<Created>("/api/v1/requests", {
      expiresIn: 3600,
      access: "anyone",
    });
    const meta = await new LiveClient(base).get<{ branding: Record<string, unknown> }>(
      `/api/v1/requests/${open.body.id}`,
    );
    publicBranding = meta.body.branding;
    expect(publicBranding).toMatchObject({
      orgName: "Acme's organization",
      primaryColor: "#0f766e",
      backgroundColor: "#ffffff",
      textColor: "#111111",
    });
    expect(publicBranding.logoUrl).toMatch(/^\/api\/v1\/branding\/logos\/[A-Za-z0-9_-]+\.png$/);
  });
  afterAll(() => t.close());

  const orgOnly = async (owner: LiveClient, name = "VPN certificate") => {
    const created = await owner.post<Created>("/api/v1/requests", {
      expiresIn: 3600,
      access: "organization",
      name,
    });
    expect(created.status, created.text).toBe(201);
    return created.body.id;
  };

  type ErrorAnswer = { error: Record<string, unknown> };

  it("401 login_required and 403 not_allowed carry the organization's public branding, and nothing of the request", async () => {
    const id = await orgOnly(admin);
    const anonymous = new LiveClient(base);
    const outsider = await signupLive(base, uniqueEmail("outsider"));

    const signIn = await anonymous.get<ErrorAnswer>(`/api/v1/requests/${id}`);
    expect(signIn.status).toBe(401);
    expect(signIn.body.error).toEqual({
      code: "login_required",
      message: "Sign in with your organization account to answer this request.",
      branding: publicBranding,
    });
    const refused = await outsider.get<ErrorAnswer>(`/api/v1/requests/${id}`);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toEqual({
      code: "not_allowed",
      message: "Only members of the requester's organization can answer this request.",
      branding: publicBranding,
    });
    // Neither says the request's name, status or expiry.
    for (const answer of [signIn, refused]) {
      expect(answer.text).not.toContain("VPN certificate");
      expect(answer.text).not.toMatch(/expiresAt|status|"name"/);
    }

    // Submitting answers the same, and the request stays open for its organization.
    const anonymousSubmit = await anonymous.post<ErrorAnswer>(`/api/v1/requests/${id}/submit`, {
      value: "not for you",
    });
    expect(anonymousSubmit.status).toBe(401);
    expect(anonymousSubmit.body.error).toMatchObject({
      code: "login_required",
      branding: publicBranding,
    });
    const outsiderSubmit = await outsider.post<ErrorAnswer>(`/api/v1/requests/${id}/submit`, {
      value: "not for you",
    });
    expect(outsiderSubmit.status).toBe(403);
    expect(outsiderSubmit.body.error).toMatchObject({
      code: "not_allowed",
      branding: publicBranding,
    });
    const own = await admin.get<{ status: string; branding: unknown }>(`/api/v1/requests/${id}`);
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ status: "open", branding: publicBranding });
  });

  it("an unbranded organization's 401 and 403 stay bare, and 404s never carry branding", async () => {
    const plainAdmin = await signupLive(base, uniqueEmail("plain-admin"), { name: "Plain" });
    const plain = await orgOnly(plainAdmin);
    const signIn = await new LiveClient(base).get<ErrorAnswer>(`/api/v1/requests/${plain}`);
    expect(signIn.status).toBe(401);
    expect(Object.keys(signIn.body.error).sort()).toEqual(["code", "message"]);
    const refused = await admin.get<ErrorAnswer>(`/api/v1/requests/${plain}`);
    expect(refused.status).toBe(403);
    expect(Object.keys(refused.body.error).sort()).toEqual(["code", "message"]);
    expect(refused.text).not.toContain("Plain");

    // Unknown, and expired: 404 like any unknown id, so no branding says whose it was.
    const unknown = await new LiveClient(base).get<ErrorAnswer>(`/api/v1/requests/${UNKNOWN_ID}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).not.toHaveProperty("branding");
    const expiring = await orgOnly(admin, "expiring");
    t.clock.advance(3600 * 1000);
    for (const reader of [new LiveClient(base), admin]) {
      const gone = await reader.get<ErrorAnswer>(`/api/v1/requests/${expiring}`);
      expect(gone.status).toBe(404);
      expect(gone.body.error).toEqual({
        code: "request_not_found",
        message: "This request does not exist or has expired. Ask the requester for a new link.",
      });
    }
  });
});
