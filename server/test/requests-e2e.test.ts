/**
 * End-to-end secret requests (SPEC F13, §3.2) through HTTP on real databases: made with or
 * without an account, answered once with an answer only the reading secret opens, opened with
 * the read token, deleted with the manage token; every bad input a 4xx with a code; and nothing
 * the server keeps (database file, logs, mail) holding the answer or the reading secret.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

import {
  checkFingerprint,
  createRequestKeys,
  deriveReadingKeys,
  openAnswer,
  sealAnswer,
  toBase64Url,
  type OpenRequestResponse,
  type RequestKeys,
} from "@hushlink/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { signup, uniqueEmail } from "./helpers/accounts.js";
import { createTestApp, type TestApp } from "./helpers/app.js";
import { testDialects } from "./helpers/databases.js";
import { json } from "./helpers/http.js";
import {
  code,
  createRequest,
  getRequest,
  MINUTE,
  newRequest,
  requestsSuite,
  submit,
  UNKNOWN_ID,
  type Anyone,
  type Created,
} from "./helpers/requests.js";
import { startSmtpServer, type TestSmtpServer } from "./helpers/smtp.js";

type Opened = OpenRequestResponse;

async function e2eRequest(c: Anyone, body: Record<string, unknown> = {}) {
  const keys = await createRequestKeys();
  const res = await createRequest(c, { ...keys.body, ...body });
  expect(res.statusCode, res.body).toBe(201);
  return { keys, created: json<Created & { manageToken?: string }>(res) };
}

const submitAnswer = (c: Anyone, id: string, payload: object) =>
  c.inject({ method: "POST", url: `/api/v1/requests/${id}/submit`, payload });

const openRequest = (c: Anyone, id: string, readToken: unknown) =>
  c.inject({ method: "POST", url: `/api/v1/requests/${id}/open`, payload: { readToken } });

async function readTokenOf(keys: RequestKeys) {
  return (await deriveReadingKeys(keys.readingSecret)).readToken;
}

describe.each(testDialects)("end-to-end secret requests on %s", (dialect) => {
  const suite = requestsSuite(dialect);
  let t: TestApp;
  beforeAll(() => {
    t = suite.app;
  });

  it("without an account: made, answered after the fingerprint check, opened with the reading secret", async () => {
    const { keys, created } = await e2eRequest(t.app, { name: "Stripe key" });
    expect(created.manageToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(created.url).toBe(`http://hushlink.test/r/${created.id}`);

    const meta = json<{ publicKey?: string; status: string; orgName?: string }>(
      await getRequest(t.app, created.id),
    );
    expect(meta).toMatchObject({ status: "open", publicKey: keys.body.publicKey });
    expect(meta).not.toHaveProperty("orgName");
    await checkFingerprint(meta.publicKey!, keys.fingerprint);

    const text = suite.secret("answer");
    const sealed = await sealAnswer(meta.publicKey!, { text });
    expect((await submitAnswer(t.app, created.id, { ...sealed })).statusCode).toBe(204);
    expect(json<{ status: string }>(await getRequest(t.app, created.id)).status).toBe("fulfilled");

    const opened = await openRequest(t.app, created.id, await readTokenOf(keys));
    expect(opened.statusCode, opened.body).toBe(200);
    expect(opened.headers["cache-control"]).toContain("no-store");
    const body = json<Opened>(opened);
    expect(body).toMatchObject({
      publicKey: keys.body.publicKey,
      encryptedPrivateKey: keys.body.encryptedPrivateKey,
      keyIv: keys.body.keyIv,
      status: "fulfilled",
      answer: sealed,
      submittedAt: new Date(t.clock.now()).toISOString(),
    });
    expect(await openAnswer(keys.readingSecret, body, body.answer!)).toEqual({ text });
  });

  it("open before an answer says so, with the key but no answer", async () => {
    const { keys, created } = await e2eRequest(t.app);
    const body = json<Opened>(await openRequest(t.app, created.id, await readTokenOf(keys)));
    expect(body.status).toBe("open");
    expect(body).not.toHaveProperty("answer");
    expect(body.publicKey).toBe(keys.body.publicKey);
  });

  it("signed in: listed as end-to-end, every open that hands out the answer recorded", async () => {
    const alice = await signup(t);
    const { keys, created } = await e2eRequest(alice, { name: "vpn" });
    expect(created).not.toHaveProperty("manageToken");
    const listed = json<{ items: { id: string; endToEnd?: boolean }[] }>(
      await alice.inject({ url: "/api/v1/requests" }),
    );
    expect(listed.items.find((i) => i.id === created.id)?.endToEnd).toBe(true);
    const sealed = await sealAnswer(keys.body.publicKey, { text: suite.secret("signed-in") });
    expect((await submitAnswer(t.app, created.id, sealed)).statusCode).toBe(204);
    const readToken = await readTokenOf(keys);
    for (let i = 0; i < 2; i++) {
      expect((await openRequest(t.app, created.id, readToken)).statusCode).toBe(200);
    }
    const events = json<{ items: { type: string }[] }>(
      await alice.inject({ url: `/api/v1/requests/${created.id}/events` }),
    );
    // Same clock reading for all four: their order among themselves is not defined.
    expect(events.items.map((e) => e.type).sort()).toEqual([
      "created",
      "revealed",
      "revealed",
      "submitted",
    ]);
    // The old reveal cannot open an end-to-end answer; it says so, and not "nothing submitted"
    // (409 request_not_fulfilled), which is false for an answered request.
    const reveal = await alice.inject({
      method: "POST",
      url: `/api/v1/requests/${created.id}/reveal`,
      payload: {},
    });
    expect(reveal.statusCode).toBe(400);
    expect(code(reveal)).toBe("answer_kind_mismatch");
    expect(json<{ error: { message: string } }>(reveal).error.message).toContain("reading link");
  });

  it("the old reveal of an unanswered end-to-end request points at the reading link too", async () => {
    const alice = await signup(t);
    const { created } = await e2eRequest(alice);
    const reveal = await alice.inject({
      method: "POST",
      url: `/api/v1/requests/${created.id}/reveal`,
    });
    expect([reveal.statusCode, code(reveal)]).toEqual([400, "answer_kind_mismatch"]);
  });

  it("a wrong read token answers exactly like an unknown id", async () => {
    const { created } = await e2eRequest(t.app);
    const other = await createRequestKeys();
    const wrong = await openRequest(t.app, created.id, await readTokenOf(other));
    const unknown = await openRequest(t.app, UNKNOWN_ID, await readTokenOf(other));
    expect(wrong.statusCode).toBe(404);
    expect(code(wrong)).toBe("request_not_found");
    expect(json<{ error: { message: string } }>(wrong).error.message).toBe(
      json<{ error: { message: string } }>(unknown).error.message,
    );
    // An old-style request has no read token at all.
    const alice = await signup(t);
    const old = await newRequest(alice);
    expect((await openRequest(t.app, old.id, await readTokenOf(other))).statusCode).toBe(404);
  });

  it("20 concurrent answers: exactly one wins; 20 concurrent opens all get that one", async () => {
    const { keys, created } = await e2eRequest(t.app);
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        sealAnswer(keys.body.publicKey, { text: suite.secret(`racer${i}`) }),
      ),
    );
    const results = await Promise.all(answers.map((a) => submitAnswer(t.app, created.id, a)));
    const statuses = results.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 204)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    const winner = answers[statuses.indexOf(204)];

    const readToken = await readTokenOf(keys);
    const opens = await Promise.all(
      Array.from({ length: 20 }, () => openRequest(t.app, created.id, readToken)),
    );
    expect(opens.map((o) => o.statusCode)).toEqual(Array(20).fill(200));
    for (const o of opens) expect(json<Opened>(o).answer).toEqual(winner);
  });

  it("the manage token deletes a request made without an account; a wrong one is 404", async () => {
    const { keys, created } = await e2eRequest(t.app);
    const del = (token: string) =>
      t.app.inject({
        method: "DELETE",
        url: `/api/v1/requests/${created.id}`,
        headers: { "x-manage-token": token },
      });
    const wrong = await del(toBase64Url(new Uint8Array(32)));
    expect(wrong.statusCode).toBe(404);
    expect(code(wrong)).toBe("request_not_found");
    expect((await del(created.manageToken!)).statusCode).toBe(204);
    expect((await getRequest(t.app, created.id)).statusCode).toBe(404);
    expect((await openRequest(t.app, created.id, await readTokenOf(keys))).statusCode).toBe(404);
  });

  it("expires: nothing opens or answers after expiresIn", async () => {
    const own = await suite.ownApp();
    const { keys, created } = await e2eRequest(own.app, { expiresIn: 60 });
    own.clock.advance(MINUTE + 1);
    expect((await openRequest(own.app, created.id, await readTokenOf(keys))).statusCode).toBe(404);
    const sealed = await sealAnswer(keys.body.publicKey, { text: "late" });
    expect((await submitAnswer(own.app, created.id, sealed)).statusCode).toBe(404);
  });

  describe("refuses bad input with a 4xx and a code", () => {
    let keys: RequestKeys;
    beforeAll(async () => {
      keys = await createRequestKeys();
    });
    const offCurve = () => {
      const bytes = Buffer.from(keys.body.publicKey, "base64url");
      bytes[64]! ^= 1;
      return bytes.toString("base64url");
    };

    it.each([
      ["missing parts", () => ({ publicKey: keys.body.publicKey }), "invalid_request"],
      ["no read token", () => ({ ...keys.body, readToken: undefined }), "invalid_request"],
      ["a short public key", () => ({ ...keys.body, publicKey: "BAAA" }), "invalid_request"],
      [
        "a long wrapped key",
        () => ({ ...keys.body, encryptedPrivateKey: keys.body.encryptedPrivateKey + "AAAA" }),
        "invalid_request",
      ],
      ["a bad key iv", () => ({ ...keys.body, keyIv: "!!!!!!!!!!!!!!!!" }), "invalid_request"],
      [
        "a point off the curve",
        () => ({ ...keys.body, publicKey: offCurve() }),
        "invalid_public_key",
      ],
      [
        "a compressed-point tag",
        () => ({ ...keys.body, publicKey: "Ag" + keys.body.publicKey.slice(2) }),
        "invalid_public_key",
      ],
    ])("create with %s", async (_label, body, errorCode) => {
      const res = await createRequest(t.app, body());
      expect(res.statusCode).toBe(400);
      expect(code(res)).toBe(errorCode);
    });

    it("an anonymous request without a key is 401 login_required (nobody could read it)", async () => {
      const res = await createRequest(t.app, {});
      expect(res.statusCode).toBe(401);
      expect(code(res)).toBe("login_required");
    });

    it("an anonymous request for organization members only is 401 login_required (it has no organization, so nobody could answer)", async () => {
      const res = await createRequest(t.app, {
        ...(await createRequestKeys()).body,
        access: "organization",
      });
      expect(res.statusCode).toBe(401);
      expect(code(res)).toBe("login_required");
    });

    it("submit: the wrong kind of answer, a bad ephemeral key, mixed fields", async () => {
      const { keys: own, created } = await e2eRequest(t.app);
      const sealed = await sealAnswer(own.body.publicKey, { text: "x" });
      const cases: [Record<string, unknown>, number, string][] = [
        [{ value: suite.secret("clear") }, 400, "answer_kind_mismatch"],
        [{ ...sealed, ephemeralPublicKey: offCurve() }, 400, "invalid_public_key"],
        [{ ...sealed, value: "x" }, 400, "invalid_request"],
        [{ ephemeralPublicKey: sealed.ephemeralPublicKey, iv: sealed.iv }, 400, "invalid_request"],
        [{ ...sealed, iv: "AAAA" }, 400, "invalid_request"],
        [{ ...sealed, ciphertext: "" }, 400, "invalid_request"],
        // 15 bytes, shorter than the AES-GCM tag: it can never decrypt.
        [{ ...sealed, ciphertext: "A".repeat(20) }, 400, "invalid_request"],
        [{ ...sealed, blobs: [] }, 400, "invalid_request"],
      ];
      for (const [payload, status, errorCode] of cases) {
        const res = await submitAnswer(t.app, created.id, payload);
        expect([res.statusCode, code(res)], JSON.stringify(payload)).toEqual([status, errorCode]);
      }
      // Nothing was taken: the real answer still goes in.
      expect((await submitAnswer(t.app, created.id, sealed)).statusCode).toBe(204);

      const alice = await signup(t);
      const old = await newRequest(alice);
      const toOld = await submitAnswer(t.app, old.id, sealed);
      expect([toOld.statusCode, code(toOld)]).toEqual([400, "answer_kind_mismatch"]);
      expect((await submit(t.app, old.id, suite.secret("old"))).statusCode).toBe(204);
    });

    it("open with a malformed read token, or none", async () => {
      for (const readToken of ["short", 42, null, "A".repeat(44)]) {
        const res = await openRequest(t.app, UNKNOWN_ID, readToken);
        expect([res.statusCode, code(res)]).toEqual([400, "invalid_request"]);
      }
    });
  });
});

describe.each(testDialects)("end-to-end requests: operator switch and storage on %s", (dialect) => {
  let smtp: TestSmtpServer;
  let t: TestApp;
  let off: TestApp;
  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await createTestApp(dialect, { env: { SMTP_URL: smtp.url } });
    off = await createTestApp(dialect, { env: { ANONYMOUS_REQUESTS: "off" } });
  });
  afterAll(async () => {
    await t.close();
    await off.close();
    await smtp.stop();
  });

  it("ANONYMOUS_REQUESTS=off: only members ask, end-to-end still allowed for them", async () => {
    const keys = await createRequestKeys();
    const res = await createRequest(off.app, keys.body);
    expect([res.statusCode, code(res)]).toEqual([401, "login_required"]);
    const alice = await signup(off);
    expect((await createRequest(alice, keys.body)).statusCode).toBe(201);
    // Pages learn it from the public config, to offer "Request a secret" or not.
    const config = async (app: TestApp) =>
      json<{ anonymousRequests?: boolean }>(await app.app.inject({ url: "/api/v1/config" }));
    expect((await config(off)).anonymousRequests).toBe(false);
    expect((await config(t)).anonymousRequests).toBe(true);
  });

  it("nothing stored (database, logs, mail) holds the answer or the reading secret", async () => {
    const alice = await signup(t, uniqueEmail("requester"));
    const { keys, created } = await e2eRequest(alice, { name: "prod db" });
    const plaintext = `answer-${toBase64Url(crypto.getRandomValues(new Uint8Array(12)))}`;
    const sealed = await sealAnswer(keys.body.publicKey, { text: plaintext });
    expect((await submitAnswer(t.app, created.id, sealed)).statusCode).toBe(204);
    const readToken = await readTokenOf(keys);
    expect((await openRequest(t.app, created.id, readToken)).statusCode).toBe(200);
    await t.services.mail.runOnce();

    const mail = smtp.messages.filter((m) => m.envelopeTo.includes(alice.email));
    expect(mail.some((m) => /request/i.test(m.parsed.subject ?? ""))).toBe(true);
    const forbidden = [plaintext, keys.readingSecret, readToken];
    for (const m of mail) {
      for (const secret of forbidden) expect(m.raw).not.toContain(secret);
      expect(m.raw).not.toContain(`/r/${created.id}/open`);
    }
    const logs = t.logs.join("");
    for (const secret of forbidden) expect(logs).not.toContain(secret);

    // What the database holds for the request: the hash of the read token, never the token.
    const row = await t.database.db
      .selectFrom("requests")
      .selectAll()
      .where("id", "=", created.id)
      .executeTakeFirstOrThrow();
    const stored = JSON.stringify(row);
    for (const secret of forbidden) expect(stored).not.toContain(secret);
    expect(row.read_token_hash).toMatch(/^[0-9a-f]{64}$|^[A-Za-z0-9_-]{43}$/);
    if (dialect === "sqlite") {
      // Every file of the data folder, WAL included, as bytes.
      const dir = t.testDb.dataDir;
      for (const file of readdirSync(dir, { recursive: true }) as string[]) {
        let bytes: Buffer;
        try {
          bytes = readFileSync(join(dir, file));
        } catch {
          continue; // a folder
        }
        for (const secret of forbidden) expect(bytes.includes(secret), file).toBe(false);
      }
    }
  });
});
