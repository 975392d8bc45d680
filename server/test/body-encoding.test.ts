/**
 * A JSON body's bytes are taken as UTF-8 or refused, never changed (black-box finding): a body
 * with bytes that are not UTF-8 (Latin-1's lone 0xE9 for "é") or one labelled with another
 * charset used to be decoded with U+FFFD in place of what was sent, and stored so: a secret that
 * comes back changed is worse than one refused. Over real HTTP, so the bytes reach the server as
 * they are sent; the parser is shared by every JSON route, so share creation and a request's
 * submission stand for the rest.
 */
import { beforeAll, describe, expect, it } from "vitest";

import { signup, type Client } from "./helpers/accounts.js";
import { buildShare } from "./helpers/builders.js";
import { testDialects } from "./helpers/databases.js";
import { code, getRequest, newRequest, revealRequest, type Metadata } from "./helpers/requests.js";
import { listeningApp } from "./helpers/suite.js";

/** "café" as Latin-1 writes it: 0xE9 alone is not UTF-8. */
const LATIN1_CAFE = Buffer.from([0x63, 0x61, 0x66, 0xe9]);

/** The JSON text of `fields` with `raw` bytes spliced in as the string value of `key`. */
function bodyWith(fields: Record<string, unknown>, key: string, raw: Buffer): Buffer {
  const marker = "\u0000splice\u0000";
  const [before, after] = JSON.stringify({ ...fields, [key]: marker }).split(
    JSON.stringify(marker),
  ) as [string, string];
  return Buffer.concat([Buffer.from(`${before}"`), raw, Buffer.from(`"${after}`)]);
}

describe.each(testDialects)("JSON body encoding on %s", (dialect) => {
  const live = listeningApp(dialect);
  const { t } = live;
  let alice: Client;
  beforeAll(async () => {
    alice = await signup(t);
  });

  async function post(path: string, body: Buffer | string, contentType = "application/json") {
    const res = await fetch(`${live.base}${path}`, {
      method: "POST",
      headers: { "content-type": contentType },
      body,
    });
    const text = await res.text();
    return { status: res.status, text, json: () => JSON.parse(text) as unknown };
  }

  describe("share creation", () => {
    it("refuses bytes that are not UTF-8 with 400 invalid_json and stores nothing", async () => {
      const share = await buildShare();
      const res = await post("/api/v1/shares", bodyWith(share.body, "name", LATIN1_CAFE));
      expect(res.status, res.text).toBe(400);
      expect(code(res)).toBe("invalid_json");
      expect((await t.app.inject({ url: `/api/v1/shares/${share.body.id}` })).statusCode).toBe(404);
    });

    it.each(["application/json; charset=iso-8859-1", 'application/json;charset="latin1"'])(
      "refuses %s with 415 unsupported_media_type and stores nothing",
      async (contentType) => {
        const share = await buildShare();
        const res = await post(
          "/api/v1/shares",
          bodyWith(share.body, "name", Buffer.from("plain")),
          contentType,
        );
        expect(res.status, res.text).toBe(415);
        expect(code(res)).toBe("unsupported_media_type");
        expect((await t.app.inject({ url: `/api/v1/shares/${share.body.id}` })).statusCode).toBe(
          404,
        );
      },
    );

    it.each([
      "application/json; charset=UTF-8",
      'application/json; charset="utf-8"',
      "application/json; charset=utf8",
    ])("accepts %s", async (contentType) => {
      const share = await buildShare();
      const res = await post("/api/v1/shares", JSON.stringify(share.body), contentType);
      expect(res.status, res.text).toBe(201);
    });

    it("ignores a leading UTF-8 byte order mark, as RFC 8259 allows a parser to", async () => {
      const share = await buildShare();
      const bom = Buffer.from([0xef, 0xbb, 0xbf]);
      const res = await post(
        "/api/v1/shares",
        Buffer.concat([bom, Buffer.from(JSON.stringify(share.body))]),
      );
      expect(res.status, res.text).toBe(201);
    });
  });

  // JSON.parse keeps the last of two members of one name, so whoever read the body before the
  // server (a proxy, a filter) may have seen the first (black-box finding, session 22).
  describe("a member named twice", () => {
    it.each([
      ["at the top", (b: string) => `{"name":"first",${b.slice(1, -1)},"name":"second"}`],
      ["escaped the second time", (b: string) => `{"name":"a",${b.slice(1, -1)},"n\\u0061me":"b"}`],
      ["in a nested object", (b: string) => b.replace('"verifier":', '"verifier":"x","verifier":')],
    ])("is refused %s with 400 invalid_json, and nothing is stored", async (_where, make) => {
      const share = await buildShare({ password: "pw" });
      const res = await post("/api/v1/shares", make(JSON.stringify(share.body)));
      expect(res.status, res.text).toBe(400);
      expect(code(res)).toBe("invalid_json");
      expect((await t.app.inject({ url: `/api/v1/shares/${share.body.id}` })).statusCode).toBe(404);
    });

    it("is refused in a request's submission, which stays open", async () => {
      const { id } = await newRequest(alice);
      const res = await post(`/api/v1/requests/${id}/submit`, '{"value":"a","value":"b"}');
      expect(res.status, res.text).toBe(400);
      expect(code(res)).toBe("invalid_json");
      expect((await getRequest(t.app, id)).json<Metadata>().status).toBe("open");
    });

    it("is not seen where there is none: the same name in sibling objects, in strings, in arrays", async () => {
      const share = await buildShare({ name: 'say "name": twice, \\"name\\"' });
      const res = await post("/api/v1/shares", JSON.stringify(share.body));
      expect(res.status, res.text).toBe(201);
      const { id } = await newRequest(alice);
      const value = JSON.stringify([{ value: 1 }, { value: 2 }]);
      const submitted = await post(`/api/v1/requests/${id}/submit`, JSON.stringify({ value }));
      expect(submitted.status, submitted.text).toBe(204);
    });
  });

  // JSON.parse takes time in the depth of what it parses: a 380 KB submission of nested arrays
  // held the event loop for about 0.5 s, twenty times a minute per address (black-box finding,
  // session 24). No body of the API nests more than five levels.
  describe("a body nested too deep", () => {
    const nested = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;

    it("is refused before it is parsed, with 400 invalid_json, in a submission and a create", async () => {
      const { id } = await newRequest(alice);
      for (const [path, body] of [
        [`/api/v1/requests/${id}/submit`, `{"value":${nested(150_000)}}`],
        [`/api/v1/requests/${id}/submit`, `{"constructor":1,"value":${nested(33)}}`],
        ["/api/v1/shares", `{"id":${nested(40_000)}}`],
      ] as const) {
        const res = await post(path, body);
        expect(res.status, res.text).toBe(400);
        expect(res.json()).toMatchObject({
          error: { code: "invalid_json", message: "The body nests deeper than 32 levels." },
        });
      }
      expect((await getRequest(t.app, id)).json<Metadata>().status).toBe("open");
    });

    it("is not seen in brackets inside strings, nor at 32 levels", async () => {
      const { id } = await newRequest(alice);
      const value = `${nested(5_000)} "\\" {{{`;
      const submitted = await post(`/api/v1/requests/${id}/submit`, JSON.stringify({ value }));
      expect(submitted.status, submitted.text).toBe(204);
      expect((await revealRequest(alice, id)).json<{ value: string }>().value).toBe(value);
      // Parsed, so refused for its shape, not its depth.
      const deep = await post(`/api/v1/requests/${id}/submit`, `{"value":${nested(31)}}`);
      expect(deep.status, deep.text).toBe(400);
      expect(code(deep)).toBe("invalid_request");
    });
  });

  describe("a request's submission", () => {
    it("refuses bytes that are not UTF-8 with 400 invalid_json and leaves the request open", async () => {
      const { id } = await newRequest(alice);
      const res = await post(`/api/v1/requests/${id}/submit`, bodyWith({}, "value", LATIN1_CAFE));
      expect(res.status, res.text).toBe(400);
      expect(code(res)).toBe("invalid_json");
      expect((await getRequest(t.app, id)).json<Metadata>().status).toBe("open");
    });

    it("refuses a body labelled charset=iso-8859-1 with 415 and leaves the request open", async () => {
      const { id } = await newRequest(alice);
      const res = await post(
        `/api/v1/requests/${id}/submit`,
        bodyWith({}, "value", LATIN1_CAFE),
        "application/json; charset=iso-8859-1",
      );
      expect(res.status, res.text).toBe(415);
      expect(code(res)).toBe("unsupported_media_type");
      expect((await getRequest(t.app, id)).json<Metadata>().status).toBe("open");
    });

    it("keeps a multibyte value exactly, sent as raw UTF-8 with charset=UTF-8", async () => {
      const { id } = await newRequest(alice);
      const value = "café 🔑 東京";
      const res = await post(
        `/api/v1/requests/${id}/submit`,
        Buffer.from(JSON.stringify({ value }), "utf8"),
        "application/json; charset=UTF-8",
      );
      expect(res.status, res.text).toBe(204);
      expect((await revealRequest(alice, id)).json<{ value: string }>().value).toBe(value);
    });
  });
});
