/**
 * Issue 24: a request's params, query or body that is a plain object of checked strings (a share's
 * `{ id }`, a file's `{ id, blob }`) is validated by a check compiled from its zod schema
 * (lib/zod-validator.ts), not by zod's `safeParse` on every request. It must accept exactly what
 * zod accepts and give what zod gives (the schema's keys, no other); anything else is zod's to
 * judge, with the same 400 as before.
 */
import { RequestBlobParams, ShareParams } from "@hushlink/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z, type ZodType } from "zod";

import { compileStringObject, fastValidations } from "../src/lib/zod-validator.js";
import { createTestApp, type TestApp } from "./helpers/app.js";
import { buildShare } from "./helpers/builders.js";
import { createShare, getShare } from "./helpers/http.js";

const ID = "AAAAAAAAAAAAAAAAAAAAAA";

describe("the compiled request validator", () => {
  it("accepts what zod accepts, gives what zod gives, and nothing else", () => {
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
    ];
    for (const [schema, data] of cases) {
      const fast = compileStringObject(schema);
      expect(fast).toBeDefined();
      const zod = schema.safeParse(data);
      const mine = fast!(data);
      expect(mine, JSON.stringify(data)).toEqual(zod.success ? zod.data : undefined);
      // The same keys in the same order as zod's copy: what the handler sees is zod's.
      if (zod.success) expect(Object.keys(mine!)).toEqual(Object.keys(zod.data as object));
    }
  });

  it("leaves every other kind of schema to zod", () => {
    for (const schema of [
      z.object({ id: z.string().optional() }),
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
  });
});
