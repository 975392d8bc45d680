/**
 * Secret requests: answering one (once, exactly, within limits), organization-only requests, and
 * the requester's mail over SMTP.
 */
import { randomBytes } from "node:crypto";

import { describe, expect, it } from "vitest";

import { newOrg, signup, uniqueEmail } from "./helpers/accounts.js";
import { testDialects } from "./helpers/databases.js";
import { json } from "./helpers/http.js";
import {
  addMember,
  code,
  createRequest,
  getRequest,
  newRequest,
  PUBLIC_URL,
  requestsSuite,
  revealRequest,
  submit,
  UNKNOWN_ID,
  type Metadata,
} from "./helpers/requests.js";
import { liveSuite } from "./helpers/suite.js";

describe.each(testDialects)("secret requests: submit on %s", (dialect) => {
  const suite = requestsSuite(dialect);
  const { app: t, secret } = suite;

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

    it("refuses a lone surrogate, which UTF-8 cannot hold, instead of storing U+FFFD", async () => {
      const alice = await signup(t);
      const { id } = await newRequest(alice);
      // JSON can escape half of a surrogate pair; encrypting it would silently change the value.
      const res = await submit(t.app, id, "hunter\ud8002");
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({
        error: { code: "invalid_request", issues: [{ path: "body.value" }] },
      });
      expect(json<Metadata>(await getRequest(t.app, id)).status).toBe("open");
      // A whole pair (an emoji) is well-formed and kept exactly.
      expect((await submit(t.app, id, "hunter\ud83d\udd112")).statusCode).toBe(204);
      expect(json<{ value: string }>(await revealRequest(alice, id)).value).toBe("hunter🔑2");
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

    it("names both shapes it takes when a body fits neither", async () => {
      const alice = await signup(t);
      const { id } = await newRequest(alice);
      for (const payload of [{}, { value: 123 }, { ciphertext: "AAAA" }]) {
        const res = await t.app.inject({
          method: "POST",
          url: `/api/v1/requests/${id}/submit`,
          payload,
        });
        expect([res.statusCode, json(res)], JSON.stringify(payload)).toMatchObject([
          400,
          {
            error: {
              code: "invalid_request",
              message:
                "body: must be {value} (a request without a key) or {ephemeralPublicKey, ciphertext, iv} (an end-to-end request)",
            },
          },
        ]);
      }
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
      const { admin: alice, orgId } = await newOrg(t);
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
});

describe.each(testDialects)("secret requests with SMTP and rate limits on %s", (dialect) => {
  const { t, smtp } = liveSuite(dialect, { RATE_LIMIT: "on", RATE_LIMIT_SUBMIT: "3" });

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
    // The name the requester typed is in the body, never in the subject (issue 15, item 3).
    expect(message!.parsed.subject).toBe("Your secret request was answered");
    expect(message!.parsed.text).toContain("“Prod DB”");
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
