/**
 * Issue 24: answers are written by a JSON writer compiled from the route's zod schema
 * (lib/zod-serializer.ts), not by zod's `safeEncode` and `JSON.stringify` on every answer. The
 * writer must give zod's JSON to the byte: the schema's fields in its order, and no other field
 * (zod's strip is what keeps the row's hashes and tokens out of an answer). A value its field
 * does not accept is zod's to judge, which refuses it as before.
 */
import { CreateShareResponse, RevealResponse, ShareMetadata } from "@hushlink/protocol";
import { describe, expect, it } from "vitest";
import { safeEncode, z, type ZodType } from "zod";

import {
  compileObjectWriter,
  fastSerializerCompiler,
  serialised,
} from "../src/lib/zod-serializer.js";
import { buildShare } from "./helpers/builders.js";
import { createShare, getShare, reveal } from "./helpers/http.js";
import { suiteApp } from "./helpers/suite.js";

const zodJson = (schema: ZodType, data: unknown) => JSON.stringify(safeEncode(schema, data).data);

function serializerOf(schema: ZodType) {
  return fastSerializerCompiler({ schema, method: "GET", url: "/x", httpStatus: "200" });
}

/** Fields a stored row has and no answer may show. */
const LEAKS = {
  ciphertext: "c2VjcmV0",
  verifier_hash: "argon2id$...",
  view_token_hash: "aGFzaA",
  manageToken: undefined,
  created_ip: "203.0.113.9",
};

const metadata = {
  id: "AAAAAAAAAAAAAAAAAAAAAA",
  access: "anyone",
  requiresPassword: false,
  expiresAt: "2026-12-07T00:00:00.000Z",
  viewsRemaining: null,
  ready: true,
};

describe("the compiled response writer", () => {
  it("writes zod's JSON, byte for byte, and nothing the schema does not list", () => {
    const cases: [ZodType, Record<string, unknown>][] = [
      [ShareMetadata, metadata],
      [ShareMetadata, { ...LEAKS, ...metadata, ready: false, viewsRemaining: 3 }],
      [
        ShareMetadata,
        {
          requiresEmailCode: true,
          maskedEmail: 'j•••@example.com "quoted" \u2028',
          ...metadata,
          access: "organization",
          requiresPassword: true,
          kdf: { alg: "argon2id", m: 65536, t: 3, p: 1, extra: 1 },
          orgName: "Acme",
          viewerAllowed: false,
          recipientsOnly: true,
          sender: { name: "Ann", orgName: "Acme", email: "ann@example.com" },
          ...LEAKS,
        },
      ],
      [ShareMetadata, { ...metadata, orgName: undefined, ready: undefined }],
      [CreateShareResponse, { id: "x", expiresAt: "2026", maxViews: 1, manageToken: "m" }],
      [CreateShareResponse, { id: "x", expiresAt: "2026", maxViews: null, ...LEAKS }],
      [RevealResponse, { ciphertext: "c", iv: "i", viewsRemaining: 0, verifier_hash: "v" }],
    ];
    for (const [schema, data] of cases) {
      const writer = compileObjectWriter(schema);
      expect(writer).toBeDefined();
      const json = writer!(data);
      expect(json).toBe(zodJson(schema, data));
      const listed = Object.keys((schema as z.ZodObject).shape);
      for (const key of Object.keys(JSON.parse(json!) as object)) expect(listed).toContain(key);
      for (const leak of ["verifier_hash", "view_token_hash", "created_ip", "email", "extra"])
        expect(json).not.toContain(`"${leak}"`);
    }
  });

  it("leaves to zod a value its field does not accept, which refuses it as before", () => {
    const wrong = [
      { ...metadata, viewsRemaining: 1.5 },
      { ...metadata, viewsRemaining: Number.NaN },
      { ...metadata, access: "everyone" },
      { ...metadata, requiresPassword: "no" },
      { ...metadata, id: undefined },
      { ...metadata, requiresEmailCode: false },
      { ...metadata, kdf: { alg: "argon2id", m: 1, t: 3, p: 1 } },
      null,
      [metadata],
    ];
    const writer = compileObjectWriter(ShareMetadata)!;
    const serialize = serializerOf(ShareMetadata);
    for (const data of wrong) {
      expect(writer(data)).toBeUndefined();
      expect(() => serialize(data)).toThrow("Response doesn't match the schema");
    }
  });

  it("is zod's own for schemas it does not write the same way", () => {
    const others: ZodType[] = [
      z.object({ a: z.string() }).strict(),
      z.object({ a: z.string() }).passthrough(),
      z.object({ a: z.string() }).refine((v) => v.a !== ""),
      z.array(z.object({ a: z.string() })),
      z.object({ a: z.string() }).transform((v) => v.a),
    ];
    for (const schema of others) expect(compileObjectWriter(schema)).toBeUndefined();
    // Fields of other kinds go through zod one by one: defaults, checks, arrays, objects.
    const mixed = z.object({
      n: z.number().min(2),
      s: z.string().max(3),
      d: z.boolean().default(true),
      list: z.array(z.object({ x: z.number() })),
      gone: z.undefined().optional(),
    });
    const data = { n: 2, s: "abc", list: [{ x: 1, y: 2 }], other: "no" };
    expect(compileObjectWriter(mixed)!(data)).toBe(zodJson(mixed, data));
    expect(compileObjectWriter(mixed)!({ ...data, s: "abcd" })).toBeUndefined();
  });
});

describe("the hot paths' answers", () => {
  const t = suiteApp("sqlite");

  it("a create, a metadata read and a reveal are written by the compiled writer", async () => {
    const share = await buildShare({ maxViews: 2 });
    const before = { ...serialised };
    const created = await createShare(t.app, share.body);
    const read = await getShare(t.app, share.body.id);
    const opened = await reveal(t.app, share.body.id, { viewToken: share.body.viewToken });
    expect([created.statusCode, read.statusCode, opened.statusCode]).toEqual([201, 200, 200]);
    expect(serialised.compiled - before.compiled).toBe(3);
    expect(serialised.zod - before.zod).toBe(0);
    expect(read.body).toBe(zodJson(ShareMetadata, read.json()));
    expect(opened.body).toBe(zodJson(RevealResponse, opened.json()));
  });
});
