import { readFileSync } from "node:fs";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { derivePasswordKeys, open, seal } from "@hushlink/protocol";

import { createManualClock } from "../src/clock.js";
import { createTestApp, type TestApp } from "./helpers/app.js";
import { buildShare, FAST_KDF, type BuiltShare } from "./helpers/builders.js";
import { testDialects } from "./helpers/databases.js";
import { createShare, deleteShare, errorCode, getShare, json, reveal } from "./helpers/http.js";

const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;

async function revealAndOpen(t: TestApp, share: BuiltShare, password?: string) {
  let verifier: string | undefined;
  let passwordKey: Uint8Array | undefined;
  if (password !== undefined) {
    const keys = await derivePasswordKeys(share.linkSecret, password, FAST_KDF);
    verifier = keys.verifier;
    passwordKey = keys.passwordKey;
  }
  const res = await reveal(t.app, share.body.id, {
    viewToken: share.body.viewToken,
    ...(verifier ? { verifier } : {}),
  });
  if (res.statusCode !== 200) return { res, text: null };
  const body = json<{ ciphertext: string; iv: string; viewsRemaining: number | null }>(res);
  return { res, body, text: await open(share.linkSecret, body, passwordKey) };
}

describe.each(testDialects)("shares on %s", (dialect) => {
  let t: TestApp;
  const secretsSeen: string[] = [];
  const remember = (share: BuiltShare) => {
    secretsSeen.push(share.linkSecret, share.body.viewToken, share.body.ciphertext, share.text);
    if (typeof share.body.password === "object" && share.body.password) {
      secretsSeen.push((share.body.password as { verifier: string }).verifier);
    }
    return share;
  };

  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => {
    // Nothing the suite sent as a secret may appear in what the server logged.
    const logs = t.logs.join("");
    expect(logs.length).toBeGreaterThan(0);
    for (const secret of secretsSeen) expect(logs).not.toContain(secret);
    await t.close();
  });

  describe("round trip with the protocol package", () => {
    it.each([1, 3, null])("without a password, maxViews %s", async (maxViews) => {
      const share = remember(await buildShare({ maxViews }));
      const created = await createShare(t.app, share.body);
      expect(created.statusCode).toBe(201);
      const createdBody = json<{
        id: string;
        expiresAt: string;
        maxViews: number | null;
        manageToken: string;
      }>(created);
      expect(createdBody).toMatchObject({ id: share.body.id, maxViews });
      expect(createdBody.manageToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(new Date(createdBody.expiresAt).getTime()).toBe(t.clock.now() + 3600 * 1000);
      expect(created.headers["cache-control"]).toBe("no-store");

      const views = maxViews ?? 4;
      for (let i = 1; i <= views; i++) {
        const meta = await getShare(t.app, share.body.id);
        expect(meta.statusCode).toBe(200);
        expect(json(meta)).toMatchObject({
          access: "anyone",
          requiresPassword: false,
          viewsRemaining: maxViews === null ? null : maxViews - i + 1,
        });
        const { res, text, body } = await revealAndOpen(t, share);
        expect(res.statusCode).toBe(200);
        expect(res.headers["cache-control"]).toBe("no-store");
        expect(text).toBe(share.text);
        expect(body?.viewsRemaining).toBe(maxViews === null ? null : maxViews - i);
      }
      const after = await getShare(t.app, share.body.id);
      if (maxViews === null) {
        expect(after.statusCode).toBe(200);
      } else {
        expect(after.statusCode).toBe(410);
        expect(json(after)).toMatchObject({
          error: {
            code: "share_gone",
            reason: "viewed",
            at: new Date(t.clock.now()).toISOString(),
          },
        });
        const again = await reveal(t.app, share.body.id, { viewToken: share.body.viewToken });
        expect(again.statusCode).toBe(410);
      }
    });

    it("with a password: metadata names the KDF, the right password opens it", async () => {
      const share = remember(await buildShare({ password: "correct horse" }));
      expect((await createShare(t.app, share.body)).statusCode).toBe(201);
      const meta = json(await getShare(t.app, share.body.id));
      expect(meta).toMatchObject({ requiresPassword: true, kdf: FAST_KDF, viewsRemaining: 1 });

      const wrong = await revealAndOpen(t, share, "wrong horse");
      expect(wrong.res.statusCode).toBe(403);
      expect(json(wrong.res)).toMatchObject({
        error: { code: "wrong_password", attemptsRemaining: 9 },
      });

      const missing = await reveal(t.app, share.body.id, { viewToken: share.body.viewToken });
      expect(missing.statusCode).toBe(403);
      expect(json(missing)).toMatchObject({
        error: { code: "password_required", attemptsRemaining: 9 },
      });

      const right = await revealAndOpen(t, share, "correct horse");
      expect(right.res.statusCode).toBe(200);
      expect(right.text).toBe(share.text);
    });
  });

  it("reads consume nothing", async () => {
    const share = remember(await buildShare());
    await createShare(t.app, share.body);
    for (let i = 0; i < 5; i++) expect((await getShare(t.app, share.body.id)).statusCode).toBe(200);
    expect(json(await getShare(t.app, share.body.id))).toMatchObject({ viewsRemaining: 1 });
    expect((await revealAndOpen(t, share)).text).toBe(share.text);
  });

  it("answers a wrong view token exactly like an unknown id", async () => {
    const share = remember(await buildShare());
    await createShare(t.app, share.body);
    const other = await buildShare();
    const wrongToken = await reveal(t.app, share.body.id, { viewToken: other.body.viewToken });
    const unknownId = await reveal(t.app, other.body.id, { viewToken: other.body.viewToken });
    expect(wrongToken.statusCode).toBe(404);
    expect(wrongToken.body).toBe(unknownId.body);
    // ...and consumed nothing.
    expect(json(await getShare(t.app, share.body.id))).toMatchObject({ viewsRemaining: 1 });
  });

  it("refuses an id that exists with 409 share_exists", async () => {
    const share = remember(await buildShare());
    expect((await createShare(t.app, share.body)).statusCode).toBe(201);
    const again = await createShare(t.app, share.body);
    expect(again.statusCode).toBe(409);
    expect(json(again)).toMatchObject({ error: { code: "share_exists" } });
  });

  describe("concurrency", () => {
    it.each([
      [1, 64],
      [5, 64],
    ])(
      "a %s-view share under %s concurrent reveals is revealed exactly that often",
      async (maxViews, requests) => {
        const share = remember(await buildShare({ maxViews }));
        await createShare(t.app, share.body);
        const results = await Promise.all(
          Array.from({ length: requests }, () =>
            reveal(t.app, share.body.id, { viewToken: share.body.viewToken }),
          ),
        );
        const codes = results.map((r) => r.statusCode);
        expect(codes.filter((c) => c === 200)).toHaveLength(maxViews);
        expect(codes.filter((c) => c !== 200 && c !== 410)).toEqual([]);
        const remaining = results
          .filter((r) => r.statusCode === 200)
          .map((r) => json<{ viewsRemaining: number }>(r).viewsRemaining)
          .sort();
        expect(remaining).toEqual(Array.from({ length: maxViews }, (_, i) => i));
      },
    );

    it("concurrent wrong passwords never exceed the attempt budget", async () => {
      const share = remember(await buildShare({ password: "right password" }));
      await createShare(t.app, share.body);
      const wrong = await derivePasswordKeys(share.linkSecret, "wrong password", FAST_KDF);
      const results = await Promise.all(
        Array.from({ length: 30 }, () =>
          reveal(t.app, share.body.id, {
            viewToken: share.body.viewToken,
            verifier: wrong.verifier,
          }),
        ),
      );
      const wrongAnswers = results.filter((r) => r.statusCode === 403);
      expect(wrongAnswers).toHaveLength(10);
      expect(
        wrongAnswers
          .map((r) => json<{ error: { attemptsRemaining: number } }>(r).error.attemptsRemaining)
          .sort((a, b) => a - b),
      ).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(results.filter((r) => r.statusCode === 410)).toHaveLength(20);
      expect(json(await getShare(t.app, share.body.id))).toMatchObject({
        error: { reason: "locked" },
      });
    });
  });

  it("ten wrong passwords lock and destroy the share, even for the right password afterwards", async () => {
    const share = remember(await buildShare({ password: "right password" }));
    await createShare(t.app, share.body);
    for (let left = 9; left >= 0; left--) {
      const res = await revealAndOpen(t, share, `wrong ${left}`);
      expect(res.res.statusCode).toBe(403);
      expect(json(res.res)).toMatchObject({
        error: { code: "wrong_password", attemptsRemaining: left },
      });
    }
    const right = await revealAndOpen(t, share, "right password");
    expect(right.res.statusCode).toBe(410);
    expect(json(right.res)).toMatchObject({ error: { code: "share_gone", reason: "locked" } });
    const row = await t.database.db
      .selectFrom("shares")
      .selectAll()
      .where("id", "=", share.body.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      status: "locked",
      ciphertext: null,
      iv: null,
      view_token_hash: null,
      verifier_hash: null,
    });
  });

  describe("expiry", () => {
    it("says a share expired without claiming it was never viewed when some of its views were used", async () => {
      const clock = createManualClock(t.clock.now());
      const e = await createTestApp(dialect, { clock });
      try {
        const s = remember(await buildShare({ expiresIn: 60, maxViews: 2 }));
        expect((await createShare(e.app, s.body)).statusCode).toBe(201);
        expect((await revealAndOpen(e, s)).res.statusCode).toBe(200);
        clock.advance(60_000);
        const gone = json<{ error: { message: string } }>(await getShare(e.app, s.body.id));
        expect(gone).toMatchObject({ error: { code: "share_gone", reason: "expired" } });
        expect(gone.error.message).not.toMatch(/before it was viewed/);
      } finally {
        await e.close();
      }
    });

    it("refuses expired shares by time before any sweep, then the sweeper leaves tombstones and prunes them", async () => {
      const clock = createManualClock(t.clock.now());
      const e = await createTestApp(dialect, { clock });
      try {
        const a = remember(await buildShare({ expiresIn: 60 }));
        const b = remember(await buildShare({ expiresIn: 60 }));
        const c = remember(await buildShare({ expiresIn: 3600 }));
        for (const s of [a, b, c]) expect((await createShare(e.app, s.body)).statusCode).toBe(201);
        clock.advance(59_999);
        expect((await getShare(e.app, a.body.id)).statusCode).toBe(200);
        clock.advance(1);
        const gone = await revealAndOpen(e, a);
        expect(gone.res.statusCode).toBe(410);
        const expiredAt = new Date(clock.now()).toISOString();
        expect(json(gone.res)).toMatchObject({ error: { reason: "expired", at: expiredAt } });

        // b was never touched: only the sweeper can destroy it.
        const swept = await e.services.sweeper.runOnce();
        expect(swept).toEqual({ expired: 1, pruned: 0 });
        const rowB = await e.database.db
          .selectFrom("shares")
          .selectAll()
          .where("id", "=", b.body.id)
          .executeTakeFirstOrThrow();
        expect(rowB).toMatchObject({
          status: "expired",
          ciphertext: null,
          view_token_hash: null,
          gone_at: rowB.expires_at,
        });
        expect(json(await getShare(e.app, b.body.id))).toMatchObject({
          error: { reason: "expired", at: expiredAt },
        });
        expect((await getShare(e.app, c.body.id)).statusCode).toBe(200);

        // Tombstones stay until 30 days after the original expiry.
        clock.advance(30 * DAY - 1);
        expect(await e.services.sweeper.runOnce()).toEqual({ expired: 1, pruned: 0 });
        clock.advance(1);
        expect(await e.services.sweeper.runOnce()).toEqual({ expired: 0, pruned: 2 });
        expect((await getShare(e.app, a.body.id)).statusCode).toBe(404);
        const events = await e.database.db
          .selectFrom("share_events")
          .select("type")
          .where("share_id", "=", a.body.id)
          .execute();
        expect(events).toEqual([]);
      } finally {
        await e.close();
      }
    });
  });

  describe("delete", () => {
    it("with the manage token, then the link says deleted", async () => {
      const share = remember(await buildShare({ maxViews: 3 }));
      const { manageToken } = json<{ manageToken: string }>(await createShare(t.app, share.body));
      const status = await t.app.inject({
        url: `/api/v1/shares/${share.body.id}/manage`,
        headers: { "x-manage-token": manageToken },
      });
      expect(json(status)).toMatchObject({ status: "active", viewCount: 0, maxViews: 3 });
      expect(
        (await deleteShare(t.app, share.body.id, { "x-manage-token": "wrong" })).statusCode,
      ).toBe(404);
      expect((await deleteShare(t.app, share.body.id, {})).statusCode).toBe(404);
      const res = await deleteShare(t.app, share.body.id, { "x-manage-token": manageToken });
      expect(res.statusCode).toBe(204);
      expect(json(await getShare(t.app, share.body.id))).toMatchObject({
        error: { code: "share_gone", reason: "deleted" },
      });
      const after = await t.app.inject({
        url: `/api/v1/shares/${share.body.id}/manage`,
        headers: { "x-manage-token": manageToken },
      });
      expect(json(after)).toMatchObject({ status: "deleted" });
      expect(
        (await deleteShare(t.app, share.body.id, { "x-manage-token": manageToken })).statusCode,
      ).toBe(410);
    });

    it("with the view token of a link holder (destroy now)", async () => {
      const share = remember(await buildShare({ maxViews: 3 }));
      await createShare(t.app, share.body);
      expect((await revealAndOpen(t, share)).text).toBe(share.text);
      const res = await deleteShare(t.app, share.body.id, { "x-view-token": share.body.viewToken });
      expect(res.statusCode).toBe(204);
      expect(
        (await reveal(t.app, share.body.id, { viewToken: share.body.viewToken })).statusCode,
      ).toBe(410);
    });
  });

  describe("bad input answers 4xx with a code, never 5xx", () => {
    const valid = async () => (await buildShare()).body;
    const cases: [string, (b: Record<string, unknown>) => unknown, number, string][] = [
      ["id too short", (b) => ({ ...b, id: "abc" }), 400, "invalid_request"],
      [
        "id with padding",
        (b) => ({ ...b, id: `${String(b.id).slice(0, 20)}==` }),
        400,
        "invalid_request",
      ],
      ["id not base64url", (b) => ({ ...b, id: "!!!!!!!!!!!!!!!!!!!!!!" }), 400, "invalid_request"],
      ["viewToken wrong length", (b) => ({ ...b, viewToken: "AAAA" }), 400, "invalid_request"],
      ["iv wrong length", (b) => ({ ...b, iv: "AAAAAAAAAAAAAAAAAAAA" }), 400, "invalid_request"],
      ["ciphertext empty", (b) => ({ ...b, ciphertext: "" }), 400, "invalid_request"],
      ["ciphertext with +/", (b) => ({ ...b, ciphertext: "ab+/cd" }), 400, "invalid_request"],
      [
        "ciphertext shorter than the GCM tag",
        (b) => ({ ...b, ciphertext: "A".repeat(20) }),
        400,
        "invalid_request",
      ],
      // Over the ciphertext bound of 2 × 64 KiB + 80 bytes, but under the body limit.
      [
        "ciphertext over the limit",
        (b) => ({ ...b, ciphertext: "A".repeat(176_000) }),
        400,
        "invalid_request",
      ],
      ["expiresIn too short", (b) => ({ ...b, expiresIn: 59 }), 400, "invalid_request"],
      [
        "expiresIn too long",
        (b) => ({ ...b, expiresIn: 30 * 24 * 3600 + 1 }),
        400,
        "invalid_request",
      ],
      ["expiresIn fractional", (b) => ({ ...b, expiresIn: 60.5 }), 400, "invalid_request"],
      ["expiresIn as string", (b) => ({ ...b, expiresIn: "3600" }), 400, "invalid_request"],
      ["expiresIn missing", (b) => ({ ...b, expiresIn: undefined }), 400, "invalid_request"],
      ["maxViews zero", (b) => ({ ...b, maxViews: 0 }), 400, "invalid_request"],
      ["maxViews 1001", (b) => ({ ...b, maxViews: 1001 }), 400, "invalid_request"],
      ["maxViews fractional", (b) => ({ ...b, maxViews: 1.5 }), 400, "invalid_request"],
      ["name over 200", (b) => ({ ...b, name: "n".repeat(201) }), 400, "invalid_request"],
      [
        "kdf memory too low",
        (b) => ({ ...b, password: { kdf: { ...FAST_KDF, m: 1024 }, verifier: b.viewToken } }),
        400,
        "invalid_request",
      ],
      [
        "kdf t too high",
        (b) => ({ ...b, password: { kdf: { ...FAST_KDF, t: 11 }, verifier: b.viewToken } }),
        400,
        "invalid_request",
      ],
      [
        "kdf p too high",
        (b) => ({ ...b, password: { kdf: { ...FAST_KDF, p: 5 }, verifier: b.viewToken } }),
        400,
        "invalid_request",
      ],
      [
        "kdf other algorithm",
        (b) => ({ ...b, password: { kdf: { ...FAST_KDF, alg: "scrypt" }, verifier: b.viewToken } }),
        400,
        "invalid_request",
      ],
      ["verifier missing", (b) => ({ ...b, password: { kdf: FAST_KDF } }), 400, "invalid_request"],
      ["unknown field", (b) => ({ ...b, admin: true }), 400, "invalid_request"],
      ["access unknown", (b) => ({ ...b, access: "everyone" }), 400, "invalid_request"],
      ["array body", () => [1, 2], 400, "invalid_request"],
      ["null body", () => null, 400, "invalid_request"],
    ];
    it.each(cases)("%s", async (_name, mutate, status, code) => {
      const res = await t.app.inject({
        method: "POST",
        url: "/api/v1/shares",
        headers: { "content-type": "application/json" },
        payload: JSON.stringify(mutate(await valid())),
      });
      expect(res.statusCode).toBe(status);
      expect(json(res)).toMatchObject({ error: { code } });
      expect(json<{ error: { message: string } }>(res).error.message.length).toBeGreaterThan(0);
    });

    it("refuses a ciphertext shorter than the 16-byte AES-GCM tag and stores nothing", async () => {
      // 15 bytes can never decrypt; 16 (the tag alone) is the shortest a ciphertext can be.
      const short = await buildShare();
      const res = await createShare(t.app, { ...short.body, ciphertext: "A".repeat(20) });
      expect([res.statusCode, errorCode(res)]).toEqual([400, "invalid_request"]);
      expect((await getShare(t.app, short.body.id)).statusCode).toBe(404);
      const tagOnly = await buildShare();
      const taken = await createShare(t.app, { ...tagOnly.body, ciphertext: "A".repeat(22) });
      expect(taken.statusCode).toBe(201);
    });

    it.each([
      ["invalid JSON", "application/json", "{not json", 400, "invalid_json"],
      ["__proto__ key", "application/json", '{"__proto__": {"admin": true}}', 400, "invalid_json"],
      [
        "constructor.prototype key",
        "application/json",
        '{"constructor": {"prototype": {"x": 1}}}',
        400,
        "invalid_json",
      ],
      ["empty JSON body", "application/json", "", 400, "invalid_json"],
      ["form-encoded", "application/x-www-form-urlencoded", "id=1", 415, "unsupported_media_type"],
      ["text/plain", "text/plain", "{}", 415, "unsupported_media_type"],
    ])("%s", async (_name, type, payload, status, code) => {
      const res = await t.app.inject({
        method: "POST",
        url: "/api/v1/shares",
        headers: { "content-type": type },
        payload,
      });
      expect(res.statusCode).toBe(status);
      expect(json(res)).toMatchObject({ error: { code } });
    });

    it("says a body with a __proto__ or constructor.prototype key has a forbidden key, not that it is not JSON", async () => {
      for (const payload of [
        '{"__proto__": {"admin": true}}',
        '{"constructor": {"prototype": {"x": 1}}}',
      ]) {
        const res = await t.app.inject({
          method: "POST",
          url: "/api/v1/shares",
          headers: { "content-type": "application/json" },
          payload,
        });
        expect([res.statusCode, json(res)], payload).toMatchObject([
          400,
          { error: { code: "invalid_json", message: "The body contains a forbidden key." } },
        ]);
      }
    });

    it("says so behind a byte order mark too, which the body is judged without", async () => {
      // It used to answer "not valid JSON": the check that tells the two apart kept the mark.
      const res = await t.app.inject({
        method: "POST",
        url: "/api/v1/shares",
        headers: { "content-type": "application/json" },
        payload: '\ufeff{"__proto__": {"admin": true}}',
      });
      expect([res.statusCode, json(res)]).toMatchObject([
        400,
        { error: { code: "invalid_json", message: "The body contains a forbidden key." } },
      ]);
    });

    it.each([
      "..%2F..%2Fetc%2Fpasswd",
      "%00",
      "a".repeat(5000),
      "AAAAAAAAAAAAAAAAAAAAA%00",
      "%E0%A4%A",
    ])("malformed id %#", async (id) => {
      for (const res of [
        await t.app.inject({ url: `/api/v1/shares/${id}` }),
        await t.app.inject({
          method: "POST",
          url: `/api/v1/shares/${id}/reveal`,
          payload: { viewToken: "x" },
        }),
        await t.app.inject({
          method: "DELETE",
          url: `/api/v1/shares/${id}`,
          headers: { "x-manage-token": "x" },
        }),
      ]) {
        expect(res.statusCode).toBeGreaterThanOrEqual(400);
        expect(res.statusCode).toBeLessThan(500);
        expect(errorCode(res)).toMatch(/^[a-z_]+$/);
      }
    });

    it("reveal with a malformed body", async () => {
      const share = remember(await buildShare());
      await createShare(t.app, share.body);
      for (const payload of [
        {},
        { viewToken: 5 },
        { viewToken: share.body.viewToken, verifier: "short" },
        { viewToken: share.body.viewToken, extra: 1 },
      ]) {
        const res = await reveal(t.app, share.body.id, payload);
        expect(res.statusCode).toBe(400);
        expect(json(res)).toMatchObject({ error: { code: "invalid_request" } });
      }
      expect(json(await getShare(t.app, share.body.id))).toMatchObject({ viewsRemaining: 1 });
    });
  });

  it("keeps no access log of an anonymous share: reveals and wrong passwords store nothing", async () => {
    const share = remember(await buildShare({ password: "pw pw pw pw", maxViews: 2 }));
    await createShare(t.app, share.body);
    await revealAndOpen(t, share, "pw pw pw pw");
    await revealAndOpen(t, share, "nope");
    const events = await t.database.db
      .selectFrom("share_events")
      .select(["type", "ip"])
      .where("share_id", "=", share.body.id)
      .orderBy("at")
      .execute();
    // Nobody may read it (no creator, no organization); access-log.test has a member's log.
    expect(events).toEqual([]);
    expect(json(await getShare(t.app, share.body.id))).toMatchObject({ viewsRemaining: 1 });
  });
});

describe("rate limits", () => {
  it("answers 429 with Retry-After past the per-IP limit of a group", async () => {
    const t = await createTestApp("sqlite", { env: { RATE_LIMIT: "on", RATE_LIMIT_REVEAL: "5" } });
    try {
      const answers = [];
      for (let i = 0; i < 7; i++) {
        answers.push(await t.app.inject({ url: "/api/v1/shares/AAAAAAAAAAAAAAAAAAAAAA" }));
      }
      expect(answers.map((a) => a.statusCode)).toEqual([404, 404, 404, 404, 404, 429, 429]);
      const last = answers[6]!;
      expect(Number(last.headers["retry-after"])).toBeGreaterThan(0);
      expect(json(last)).toMatchObject({ error: { code: "rate_limited" } });
      // Another client is still served.
      const other = await t.app.inject({
        url: "/api/v1/shares/AAAAAAAAAAAAAAAAAAAAAA",
        remoteAddress: "10.0.0.2",
      });
      expect(other.statusCode).toBe(404);
    } finally {
      await t.close();
    }
  });
});

describe("destroyed content leaves the SQLite files", () => {
  it("finds neither ciphertext nor token hashes in the database or WAL after the sweep's checkpoint", async () => {
    const t = await createTestApp("sqlite");
    try {
      const shares = await Promise.all([
        buildShare({ text: "x".repeat(300) }),
        buildShare({ maxViews: 2 }),
        buildShare({ password: "pw for the file test" }),
      ]);
      const hashes: string[] = [];
      for (const s of shares) {
        await createShare(t.app, s.body);
        const row = await t.database.db
          .selectFrom("shares")
          .select(["view_token_hash", "verifier_hash"])
          .where("id", "=", s.body.id)
          .executeTakeFirstOrThrow();
        hashes.push(row.view_token_hash!, ...(row.verifier_hash ? [row.verifier_hash] : []));
      }
      const [viewed, deleted, expired] = shares;
      expect(
        (await reveal(t.app, viewed.body.id, { viewToken: viewed.body.viewToken })).statusCode,
      ).toBe(200);
      expect(
        (await deleteShare(t.app, deleted.body.id, { "x-view-token": deleted.body.viewToken }))
          .statusCode,
      ).toBe(204);
      t.clock.advance(2 * 3600 * 1000);
      await t.services.sweeper.runOnce();
      void expired;

      const file = t.database.file!;
      const contents = [
        readFileSync(file),
        ...[`${file}-wal`].map((f) => {
          try {
            return readFileSync(f);
          } catch {
            return Buffer.alloc(0);
          }
        }),
      ];
      for (const s of shares) {
        for (const needle of [
          s.body.ciphertext,
          s.body.viewToken,
          s.body.ciphertext.slice(0, 40),
        ]) {
          for (const c of contents) expect(c.includes(needle)).toBe(false);
        }
      }
      for (const h of hashes) for (const c of contents) expect(c.includes(h)).toBe(false);
      expect(
        await t.database.db.selectFrom("shares").select("status").orderBy("status").execute(),
      ).toEqual([{ status: "deleted" }, { status: "expired" }, { status: "viewed" }]);
    } finally {
      await t.close();
    }
  });
});

describe("protocol shapes", () => {
  it("seal output is accepted as a create body as is", async () => {
    const t = await createTestApp("sqlite");
    try {
      const sealed = await seal("hello", { password: "pw", kdf: FAST_KDF });
      const res = await createShare(t.app, { ...sealed.body, expiresIn: 600 });
      expect(res.statusCode).toBe(201);
    } finally {
      await t.close();
    }
  });
});
