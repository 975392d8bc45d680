/** The published contract (issue 15): what a third-party client generator relies on. */
import { readFileSync } from "node:fs";

import { beforeAll, describe, expect, it } from "vitest";

import { suiteApp } from "./helpers/suite.js";

type Content = Record<string, { schema: Schema }>;
interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  properties?: Record<string, Schema>;
  [keyword: string]: unknown;
}
interface Operation {
  operationId?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  requestBody?: { required?: boolean; content: Content };
  responses: Record<string, { content?: Content }>;
}
interface Document {
  tags?: { name: string }[];
  components: {
    securitySchemes: Record<string, Record<string, string>>;
    schemas: Record<string, Schema>;
  };
  paths: Record<string, Record<string, Operation>>;
}

function refsIn(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) refsIn(item, found);
  else if (value !== null && typeof value === "object") {
    for (const [key, child] of Object.entries(value)) {
      if (key === "$ref" && typeof child === "string") found.push(child);
      else refsIn(child, found);
    }
  }
  return found;
}

describe("the OpenAPI document", () => {
  const t = suiteApp("sqlite");
  let doc: Document;
  let operations: [string, Operation][];
  beforeAll(async () => {
    doc = (await t.app.inject({ url: "/api/openapi.json" })).json<Document>();
    operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]): [string, Operation] => [
        `${method.toUpperCase()} ${path}`,
        op,
      ]),
    );
  });

  // The contract's record of our extensions: a route or an answer's field the server has and
  // docs/SPEC.md does not name is one a third-party client cannot know it may rely on.
  const spec = readFileSync(new URL("../../docs/SPEC.md", import.meta.url), "utf8");

  it("records every path it serves in docs/SPEC.md, in full or as …/ and its last segments", () => {
    const segment = (s: string) =>
      s.startsWith("{") ? "\\{[A-Za-z]+\\}" : s.replace(/[.*+?^$()|[\]\\]/g, "\\$&");
    const missing = Object.keys(doc.paths).filter((path) => {
      const segments = path.split("/").slice(1).map(segment);
      const forms = [segments.join("/")];
      for (let k = 2; k < segments.length - 2; k++) forms.push(`…/${segments.slice(-k).join("/")}`);
      // Not followed by more of a path: `/api/v1/shares/{id}` does not stand for its sub-routes.
      return !forms.some((form) => new RegExp(`${form}(?![\\w/{-])`).test(spec));
    });
    expect(missing).toEqual([]);
  });

  it("names every field of its bodies and answers in docs/SPEC.md", () => {
    const missing = Object.entries(doc.components.schemas).flatMap(([name, schema]) =>
      // WebAuthn's own JSON (PublicKeyCredential.toJSON() and its options) is the W3C's.
      name.startsWith("Passkey")
        ? []
        : Object.keys(schema.properties ?? {})
            .filter((field) => !new RegExp(`\\b${field}\\b`).test(spec))
            .map((field) => `${name}.${field}`),
    );
    expect(missing).toEqual([]);
  });

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

  const resolve = (schema: Schema | undefined): Schema | undefined =>
    schema?.$ref
      ? doc.components.schemas[schema.$ref.replace("#/components/schemas/", "")]
      : schema;

  it("marks dates as date-time", () => {
    const schema = resolve(
      doc.paths["/api/v1/shares/{id}"]?.get?.responses["200"]?.content?.["application/json"]
        ?.schema,
    );
    expect(schema?.properties?.expiresAt).toMatchObject({ type: "string", format: "date-time" });
  });

  it("names the protocol's schemas as components and refers to them", () => {
    const reveal = doc.paths["/api/v1/shares/{id}/reveal"]?.post;
    expect(reveal?.requestBody?.content["application/json"]?.schema).toEqual({
      $ref: "#/components/schemas/RevealBody",
    });
    expect(reveal?.responses["200"]?.content?.["application/json"]?.schema).toEqual({
      $ref: "#/components/schemas/RevealResponse",
    });
    // Nested named schemas are referenced too, not inlined.
    expect(resolve({ $ref: "#/components/schemas/ShareList" })?.properties?.items).toMatchObject({
      items: { $ref: "#/components/schemas/ShareListItem" },
    });
    expect(doc.components.schemas.Access).toMatchObject({ enum: ["anyone", "organization"] });
    for (const name of [
      "CreateShareBody",
      "ShareMetadata",
      "Me",
      "MemberList",
      "PendingInvitationList",
      "CreatedInvitation",
      "InvitationInfo",
      "AcceptedInvitation",
      "ChangePasswordBody",
      "OrgBranding",
      "RequestList",
      "UploadStatus",
    ])
      expect(doc.components.schemas[name], name).toBeDefined();
  });

  it("emits every component it refers to, and only those", () => {
    const names = new Set(Object.keys(doc.components.schemas));
    const referenced = new Set(refsIn(doc).map((ref) => ref.replace("#/components/schemas/", "")));
    for (const ref of referenced) expect(names.has(ref), ref).toBe(true);
    for (const name of names) expect(referenced.has(name), name).toBe(true);
  });

  it("uses a named schema for every JSON body and every JSON success answer", () => {
    for (const [key, op] of operations) {
      const body = op.requestBody?.content["application/json"]?.schema;
      if (body) expect(body.$ref, `${key} body`).toMatch(/^#\/components\/schemas\//);
      for (const [status, response] of Object.entries(op.responses)) {
        const schema = response.content?.["application/json"]?.schema;
        if (status.startsWith("2") && schema)
          expect(schema.$ref, `${key} ${status}`).toMatch(/^#\/components\/schemas\//);
      }
    }
  });

  it("marks the request reveal's body optional and the blob download as bytes", () => {
    const reveal = doc.paths["/api/v1/requests/{id}/reveal"]?.post;
    expect(reveal?.requestBody?.required).toBe(false);
    const download = doc.paths["/api/v1/shares/{id}/blobs/{blob}"]?.get;
    for (const status of ["200", "206"])
      expect(download?.responses[status]?.content).toEqual({
        "application/octet-stream": { schema: { type: "string", format: "binary" } },
      });
  });

  it("documents page sizes and chunk indexes as integers in their range", () => {
    // Parsed from their one decimal spelling (a string on the wire), but a generated client
    // must still see a number: a string type here would change every SDK's signature.
    const param = (path: string, method: string, name: string) =>
      (
        doc.paths[path]?.[method] as unknown as {
          parameters?: { name: string; schema: Schema }[];
        }
      )?.parameters?.find((p) => p.name === name)?.schema;
    for (const path of ["/api/v1/shares", "/api/v1/requests"])
      expect(param(path, "get", "limit"), path).toMatchObject({
        type: "integer",
        minimum: 1,
        maximum: 100,
      });
    expect(param("/api/v1/shares/{id}/blobs/{blob}/{n}", "put", "n")).toMatchObject({
      type: "integer",
      minimum: 0,
    });
  });
});
