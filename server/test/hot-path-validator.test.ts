/**
 * Issue 24: a request's params, query or body that is a plain object of checked strings (a share's
 * `{ id }`, a file's `{ id, blob }`) is validated by a check compiled from its zod schema
 * (lib/zod-validator.ts), not by zod's `safeParse` on every request. It must accept exactly what
 * zod accepts and give what zod gives (the schema's keys, no other); anything else is zod's to
 * judge, with the same 400 as before.
 */
import {
  ChunkParams,
  createShareBody,
  decimalInteger,
  RequestBlobParams,
  ShareParams,
} from "@hushlink/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z, type ZodType } from "zod";

import {
  compileStrictObject,
  compileStringObject,
  fastValidations,
} from "../src/lib/zod-validator.js";
import { createTestApp, type TestApp } from "./helpers/app.js";
import { buildShare } from "./helpers/builders.js";
import { makeFile } from "./helpers/files.js";
import { createShare, getShare, json } from "./helpers/http.js";

const ID = "AAAAAAAAAAAAAAAAAAAAAA";

describe("the compiled request validator", () => {
  it("accepts what zod accepts, gives what zod gives, and nothing else", () => {
    const small = z.object({ n: decimalInteger(1, 100) });
    const headers = z.object({ "x-upload-token": z.string().max(200).optional() });
    const optionalId = z.object({ id: ShareParams.shape.id.optional() });
    const sticky = z.object({
      code: z
        .string()
        .min(2)
        .max(4)
        .regex(/^[a-z]+$/gy),
    });
    const cases: [ZodType, unknown][] = [
      [ShareParams, { id: ID }],
      [ShareParams, { id: ID, extra: "dropped" }],
      [ShareParams, { id: ID.slice(1) }],
      [ShareParams, { id: `${ID.slice(1)}=` }],
      [ShareParams, { id: `${ID.slice(1)}é` }],
      // The same bytes spelled with stray low bits in the last character: zod refuses it.
      [ShareParams, { id: `${ID.slice(1)}B` }],
      [RequestBlobParams, { id: ID, blob: `${ID.slice(1)}x` }],
      [ShareParams, { id: 7 }],
      [ShareParams, {}],
      [ShareParams, null],
      [ShareParams, [ID]],
      [ShareParams, ID],
      [RequestBlobParams, { blob: ID, id: ID }],
      [RequestBlobParams, { id: ID, blob: "short" }],
      [sticky, { code: "abc" }],
      [sticky, { code: "abc" }],
      [sticky, { code: "a" }],
      [sticky, { code: "abcde" }],
      [sticky, { code: "ab1" }],
      // A chunk's params (issue 17): its index a decimalInteger, given as the number.
      [ChunkParams, { id: ID, blob: ID, n: "0" }],
      [ChunkParams, { n: "2147483648", blob: ID, id: ID, extra: "dropped" }],
      [ChunkParams, { id: ID, blob: ID, n: "2147483649" }],
      [ChunkParams, { id: ID, blob: ID, n: "01" }],
      [ChunkParams, { id: ID, blob: ID, n: "1e3" }],
      [ChunkParams, { id: ID, blob: ID, n: "-1" }],
      [ChunkParams, { id: ID, blob: ID, n: 3 }],
      [ChunkParams, { id: ID, blob: ID }],
      [small, { n: "1" }],
      [small, { n: "0" }],
      [small, { n: "101" }],
      // Optional strings (the tokens in headers): absent stays absent, present as undefined
      // stays so, anything else is checked as the string it wraps.
      [headers, { "x-upload-token": "t", host: "example.test" }],
      [headers, { host: "example.test" }],
      [headers, { "x-upload-token": undefined }],
      [headers, { "x-upload-token": "x".repeat(201) }],
      [headers, { "x-upload-token": 7 }],
      [headers, { "x-upload-token": null }],
      [optionalId, {}],
      [optionalId, { id: ID }],
      [optionalId, { id: "short" }],
    ];
    for (const [schema, data] of cases) {
      const fast = compileStringObject(schema);
      expect(fast).toBeDefined();
      const zod = schema.safeParse(data);
      const mine = fast!(data);
      expect(mine, JSON.stringify(data)).toStrictEqual(zod.success ? zod.data : undefined);
      // The same keys in the same order as zod's copy: what the handler sees is zod's.
      if (zod.success) expect(Object.keys(mine!)).toEqual(Object.keys(zod.data as object));
    }
  });

  it("leaves every other kind of schema to zod", () => {
    for (const schema of [
      z.object({ id: z.string().trim().optional() }),
      z.object({ id: z.string().nullable() }),
      z.object({ n: decimalInteger(0, 9).optional() }),
      z.object({ n: decimalInteger(0, 9).default(1) }),
      z.object({ id: z.string().trim() }),
      z.object({ id: z.email() }),
      z.object({ id: z.string().refine((v) => v.length > 0) }),
      z.object({ id: z.string().startsWith("a") }),
      z.object({ id: z.coerce.string() }),
      z.object({ n: z.number() }),
      z.object({ id: z.string() }).strict(),
      z.object({ id: z.string() }).catchall(z.string()),
      z.object({ id: z.string() }).refine(() => true),
      z.string(),
    ] as ZodType[])
      expect(compileStringObject(schema)).toBeUndefined();
  });

  // The create's body (issue 24): a strict object of tokens, numbers, booleans, an enum and
  // defaults; a body with any other field (password, recipients, files…) is zod's to judge.
  it("accepts the create bodies zod accepts, gives what zod gives, and leaves the rest to zod", () => {
    const schema = createShareBody({ maxSecretBytes: 1024, maxExpiresIn: 3600 });
    const fast = compileStrictObject(schema);
    expect(fast).toBeDefined();
    const token = (n: number) => "A".repeat(n);
    const base = {
      id: ID,
      viewToken: token(43),
      ciphertext: token(100),
      iv: token(16),
      expiresIn: 600,
      maxViews: 1,
    };
    const variants: Record<string, unknown[]> = {
      id: [undefined, ID.slice(1), `${ID.slice(1)}B`, 7],
      viewToken: [undefined, token(42), null],
      ciphertext: [undefined, token(22), token(21), token(101), token(2300), `${token(99)}=`],
      iv: [undefined, token(17), `${token(15)}B`],
      expiresIn: [undefined, 59, 60, 3600, 3601, 600.5, "600", null, -0],
      maxViews: [undefined, null, 0, 1, 1000, 1001, 2.5, "1", false],
      access: [undefined, "anyone", "organization", "everyone", null],
      allowExternalRecipients: [undefined, true, false, "true", 0],
      notifyOnView: [undefined, true, null],
      showSender: [undefined, false, 1],
      requireEmailCode: [undefined, true, "no"],
      name: [undefined, "A name", "\u0007"],
      orgId: [undefined, "org"],
      password: [undefined, { verifier: token(43) }],
      recipients: [undefined, []],
      extra: [undefined, 1],
    };
    const others = ["name", "orgId", "password", "recipients"];
    let taken = 0;
    // Every body the base and one or two variants make.
    const bodies: Record<string, unknown>[] = [base];
    const keys = Object.keys(variants);
    for (const a of keys)
      for (const va of variants[a]!) {
        bodies.push({ ...base, [a]: va });
        for (const b of keys)
          if (b > a) for (const vb of variants[b]!) bodies.push({ ...base, [a]: va, [b]: vb });
      }
    // Absent, not present as undefined (what JSON gives).
    for (const body of bodies)
      for (const key of Object.keys(body)) if (body[key] === undefined) delete body[key];
    for (const body of bodies) {
      const zod = schema.safeParse(body);
      const mine = fast!(body);
      const plain = !others.some((key) => key in body) && !("extra" in body);
      expect(mine !== undefined, JSON.stringify(body)).toBe(zod.success && plain);
      if (mine === undefined) continue;
      taken++;
      expect(mine, JSON.stringify(body)).toStrictEqual(zod.data);
      expect(Object.keys(mine)).toEqual(Object.keys(zod.data as object));
    }
    expect(taken).toBeGreaterThan(100);
  });

  describe("on the routes", () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp("sqlite");
    });
    afterAll(async () => {
      await t.close();
    });

    it("validates a metadata read's id without zod, and refuses a bad one as before", async () => {
      const share = await buildShare();
      expect((await createShare(t.app, share.body)).statusCode).toBe(201);
      const before = fastValidations.count;
      for (let i = 0; i < 5; i++) {
        const res = await getShare(t.app, share.body.id);
        expect(res.statusCode).toBe(200);
        expect(res.json()).toMatchObject({ id: share.body.id });
      }
      expect(fastValidations.count - before).toBe(5);

      const bad = await getShare(t.app, "not-an-id");
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ error: { code: "invalid_request" } });
      expect(fastValidations.count - before).toBe(5);
    });

    it("validates an anonymous create's body without zod, and refuses a bad one as before", async () => {
      const before = fastValidations.count;
      for (let i = 0; i < 3; i++) {
        const share = await buildShare();
        const res = await createShare(t.app, share.body);
        expect(res.statusCode, res.body).toBe(201);
      }
      expect(fastValidations.count - before).toBe(3);
      const middle = fastValidations.count;
      const share = await buildShare();
      const bad = await createShare(t.app, { ...share.body, expiresIn: 1.5 });
      expect(bad.statusCode).toBe(400);
      expect(json<{ error: { message: string } }>(bad).error.message).toMatch(/^body\.expiresIn: /);
      expect(fastValidations.count - middle).toBe(0);
    });

    it("validates a chunk PUT's params and headers without zod, and refuses bad ones as before", async () => {
      const file = await makeFile(3 * 1024 * 1024);
      const share = await buildShare();
      const res = await createShare(t.app, { ...share.body, blobs: [file.declaration] });
      expect(res.statusCode, res.body).toBe(201);
      const token = json<{ uploadToken: string }>(res).uploadToken;
      const put = (n: number | string, upload = token) =>
        t.app.inject({
          method: "PUT",
          url: `/api/v1/shares/${share.body.id}/blobs/${file.blobId}/${n}`,
          headers: { "content-type": "application/octet-stream", "x-upload-token": upload },
          payload: Buffer.from(file.chunks[Number(n)]?.bytes ?? file.chunks[0]!.bytes),
        });
      const before = fastValidations.count;
      for (const chunk of file.chunks) expect((await put(chunk.index)).statusCode).toBe(204);
      // Its params ({ id, blob, n }) and its headers ({ x-upload-token }), for each chunk.
      expect(fastValidations.count - before).toBe(2 * file.chunks.length);

      const middle = fastValidations.count;
      type Refusal = { error: { code: string; message: string } };
      const index = await put("01");
      expect(index.statusCode).toBe(400);
      expect(json<Refusal>(index).error.code).toBe("invalid_request");
      expect(json<Refusal>(index).error.message).toMatch(/^params\.n: /);
      const long = await put(0, "x".repeat(201));
      expect(long.statusCode).toBe(400);
      expect(json<Refusal>(long).error.code).toBe("invalid_request");
      expect(json<Refusal>(long).error.message).toMatch(/^headers/);
      // Zod judged the refused parts; the second PUT's params, valid, were checked here.
      expect(fastValidations.count - middle).toBe(1);
    });
  });
});
