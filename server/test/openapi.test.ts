/** The published contract (issue 15): what a third-party client generator relies on. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestApp, type TestApp } from "./helpers/app.js";

interface Operation {
  operationId?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
}
interface Document {
  tags?: { name: string }[];
  components: { securitySchemes: Record<string, Record<string, string>> };
  paths: Record<string, Record<string, Operation>>;
}

describe("the OpenAPI document", () => {
  let t: TestApp;
  let doc: Document;
  let operations: [string, Operation][];
  beforeAll(async () => {
    t = await createTestApp("sqlite");
    doc = (await t.app.inject({ url: "/api/openapi.json" })).json<Document>();
    operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]): [string, Operation] => [
        `${method.toUpperCase()} ${path}`,
        op,
      ]),
    );
  });
  afterAll(() => t.close());

  it("names every operation once", () => {
    const ids = operations.map(([, op]) => op.operationId);
    for (const id of ids) expect(id).toMatch(/^[a-z]+[A-Za-z]+$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect(doc.paths["/api/v1/shares/{id}/reveal"]?.post?.operationId).toBe("postSharesByIdReveal");
  });

  it("declares every tag it uses", () => {
    const declared = new Set(doc.tags?.map((tag) => tag.name));
    for (const [key, op] of operations) {
      for (const tag of op.tags ?? []) expect(declared.has(tag), `${key}: ${tag}`).toBe(true);
    }
  });

  it("declares security per operation: bearer, or the session cookie with the CSRF header", () => {
    expect(doc.components.securitySchemes.csrf).toMatchObject({
      type: "apiKey",
      in: "header",
      name: "X-CSRF-Token",
    });
    for (const [key, op] of operations) expect(op.security, key).toBeDefined();
    expect(doc.paths["/api/v1/tokens"]?.post?.security).toEqual([
      { bearer: [] },
      { session: [], csrf: [] },
    ]);
    expect(doc.paths["/api/v1/shares"]?.get?.security).toEqual([{ bearer: [] }, { session: [] }]);
    // Anonymous callers may reveal; signed-in ones are recognised (recipient-only shares).
    expect(doc.paths["/api/v1/shares/{id}/reveal"]?.post?.security).toEqual([
      {},
      { bearer: [] },
      { session: [], csrf: [] },
    ]);
  });

  it("leaves the public logo open to anyone", () => {
    expect(doc.paths["/api/v1/branding/logos/{file}"]?.get?.security?.[0]).toEqual({});
  });

  it("marks dates as date-time", () => {
    const schema = doc.paths["/api/v1/shares/{id}"]?.get?.responses["200"]?.content?.[
      "application/json"
    ]?.schema as { properties: Record<string, { type: string; format?: string }> };
    expect(schema.properties.expiresAt).toMatchObject({ type: "string", format: "date-time" });
  });
});
