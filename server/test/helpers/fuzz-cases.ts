/**
 * The cases of robustness.test.ts: for one operation of the OpenAPI document and one caller, the
 * bad requests to send (drawn from a seeded generator, helpers/fuzz.ts), and what may be wrong with
 * an answer to one of them.
 */
import { ERROR_CODES } from "@hushlink/protocol";

import {
  BAD_AUTH,
  BAD_SEGMENTS,
  BAD_VALUES,
  badQueries,
  bodySchema,
  edges,
  jsonText,
  ODD_HEADERS,
  plausible,
  queryEdges,
  RAW_BODIES,
  type JsonSchema,
  type Random,
  type RawAnswer,
  type RawRequest,
} from "./fuzz.js";
import { dereference } from "./openapi.js";

/** A bad request is answered within this, even on a loaded two-core machine. */
export const TIME_BOUND_MS = 2_000;

export interface Parameter {
  in: "path" | "query" | "header" | "cookie";
  name: string;
  schema?: JsonSchema;
}
export interface Operation {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema?: unknown }> };
  responses: Record<string, { content?: { "application/json"?: { schema: unknown } } }>;
}
export interface Document {
  components: { schemas: Record<string, unknown> };
  paths: Record<string, Record<string, Operation>>;
}
export interface Target {
  method: string;
  path: string;
  op: Operation;
}

/** Who sends the requests: their headers, and the ids their paths use to reach real rows. */
export interface Identity {
  name: string;
  headers: Record<string, string>;
  ids: Record<string, string>;
}

export interface Case extends RawRequest {
  /** The path itself is mangled: another route, or none, may answer. */
  pathCase?: boolean;
  /** A value at the edge of its schema: sent on every pass, however small. */
  edge?: boolean;
}

const WELL_FORMED = "AAAAAAAAAAAAAAAAAAAAAA";

export function concrete(path: string, ids: Record<string, string>, mangle?: [string, string]) {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (mangle?.[0] === name) return mangle[1];
    // {id} is a share's, a request's or a token's, by the path's first part.
    const key = name === "id" ? `${path.split("/")[3]}.id` : name;
    if (ids[key]) return encodeURIComponent(ids[key]);
    if (name === "n") return "0";
    if (name === "file") return `${"A".repeat(32)}.png`;
    if (name === "domain") return "example.test";
    return WELL_FORMED;
  });
}

export const JSON_TYPE = { "content-type": "application/json" };
const WRONG_TYPES = [
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "application/json; charset=latin1",
  "application/jsonx",
  "application/json, text/plain",
  "",
];

/** The bad requests for one operation as one identity, drawn from `rnd`. */
export function casesFor(doc: Document, target: Target, who: Identity, rnd: Random): Case[] {
  const { method, path, op } = target;
  const params = op.parameters ?? [];
  const url = concrete(path, who.ids);
  const at = (label: string, c: Omit<Case, "label" | "method">): Case => ({
    label,
    method,
    ...c,
    // A real upload token where the operation takes one: the other parts are what is bad.
    headers: {
      ...who.headers,
      ...(params.some((x) => x.name === "x-upload-token")
        ? { "x-upload-token": who.ids["x-upload-token"]! }
        : {}),
      ...c.headers,
    },
  });
  const cases: Case[] = [];
  const schema = bodySchema(doc, op);
  const base = schema ? plausible(schema) : undefined;
  const json = (label: string, body: unknown) =>
    at(label, { path: url, headers: JSON_TYPE, body: JSON.stringify(body) });

  if (schema) {
    const fields = Object.keys(schema.properties ?? {});
    const obj = (base ?? {}) as Record<string, unknown>;
    for (const field of fields) {
      for (const [name, value] of rnd.some(BAD_VALUES, 3))
        cases.push(json(`body.${field} = ${name}`, { ...obj, [field]: value }));
    }
    const edge = (label: string, body: unknown): Case => ({
      ...at(label, { path: url, headers: JSON_TYPE, body: jsonText(body) }),
      edge: true,
    });
    for (const field of fields) {
      const fieldSchema = schema.properties?.[field];
      for (const [name, value] of edges(fieldSchema))
        cases.push(edge(`body.${field} = ${name}`, { ...obj, [field]: value }));
      // One level down (a share's options, a policy's parts): the same edges inside the object.
      const inner = obj[field];
      if (inner === null || typeof inner !== "object" || Array.isArray(inner)) continue;
      for (const [sub, subSchema] of Object.entries(fieldSchema?.properties ?? {}))
        for (const [name, value] of edges(subSchema))
          cases.push(
            edge(`body.${field}.${sub} = ${name}`, { ...obj, [field]: { ...inner, [sub]: value } }),
          );
    }
    for (const field of rnd.some(schema.required ?? [], 3)) {
      const { [field]: _gone, ...rest } = obj;
      cases.push(json(`body without ${field}`, rest));
    }
    cases.push(json("empty object", {}));
    cases.push(json("extra field", { ...obj, ["extra" + String(rnd.next()).slice(2, 6)]: 1 }));
    for (const [name, value] of rnd.some(BAD_VALUES, 3)) cases.push(json(`body ${name}`, value));
    const strings = fields.filter((f) => typeof obj[f] === "string");
    if (strings.length > 0)
      cases.push(json("1 MB string", { ...obj, [rnd.pick(strings)]: "y".repeat(1 << 20) }));
    for (const [name, raw] of RAW_BODIES)
      cases.push(at(`raw ${name}`, { path: url, headers: JSON_TYPE, body: raw }));
    for (const type of rnd.some(WRONG_TYPES, 3))
      cases.push(
        at(`content-type ${type}`, {
          path: url,
          headers: { "content-type": type },
          body: JSON.stringify(base),
        }),
      );
  } else if (op.requestBody) {
    // A body of bytes (a chunk, a logo): wrong types and shapes of it.
    const types = Object.keys(op.requestBody.content);
    cases.push(at("raw JSON instead", { path: url, headers: JSON_TYPE, body: "{}" }));
    cases.push(at("empty bytes", { path: url, headers: { "content-type": types[0]! }, body: "" }));
    cases.push(
      at("garbage bytes", {
        path: url,
        headers: { "content-type": types[0]! },
        body: Buffer.from([0, 1, 2, 255, 254]),
      }),
    );
  } else if (method !== "GET") {
    cases.push(json("a body where none is taken", { a: 1 }));
    cases.push(
      at("malformed JSON where none is taken", { path: url, headers: JSON_TYPE, body: "{" }),
    );
  }
  if (method !== "GET" && method !== "DELETE")
    cases.push(at("empty JSON body", { path: url, headers: JSON_TYPE, body: "" }));

  for (const p of params.filter((x) => x.in === "path")) {
    for (const [segment, edge] of [
      ...rnd.some(BAD_SEGMENTS, 4).map((x) => [x, false] as const),
      ["a%00b", true] as const,
      // A chunk's number, with the real upload token: past the range, signed, not a number.
      ...(p.name === "n"
        ? ["-1", "9007199254740993", "1e400", "01", "1.5", "4294967296"].map(
            (x) => [x, true] as const,
          )
        : []),
    ])
      cases.push({
        edge,
        ...at(`path ${p.name} = ${segment.slice(0, 40)}`, {
          path: concrete(path, who.ids, [p.name, segment]),
          headers: schema ? JSON_TYPE : {},
          ...(schema ? { body: JSON.stringify(base) } : {}),
        }),
        pathCase: true,
      });
  }
  for (const q of params.filter((x) => x.in === "query"))
    for (const value of queryEdges(dereference(doc, q.schema) as JsonSchema))
      cases.push({
        ...at(`query ${q.name}=${value.slice(0, 40)}`, {
          path: `${url}?${q.name}=${value}`,
          headers: {},
        }),
        edge: true,
      });
  const queries = params.filter((x) => x.in === "query").map((x) => x.name);
  for (const query of rnd.some(badQueries(queries, rnd), queries.length > 0 ? 8 : 2))
    cases.push(at(`query ${query.slice(0, 60)}`, { path: url + query, headers: {} }));
  for (const h of params.filter((x) => x.in === "header"))
    for (const value of rnd.some(["", "%00", "x".repeat(6000), "\u00ff", "1, 2", "bytes=9-1"], 2))
      cases.push(
        at(`header ${h.name} = ${value.slice(0, 20)}`, { path: url, headers: { [h.name]: value } }),
      );
  for (const [name, headers] of rnd.some(ODD_HEADERS, 2))
    cases.push(
      at(`header ${name}`, {
        path: url,
        headers: { ...(schema ? JSON_TYPE : {}), ...headers },
        ...(schema ? { body: JSON.stringify(base) } : {}),
      }),
    );
  if (who.name === "signed out")
    for (const [name, headers] of rnd.some(BAD_AUTH, 4))
      cases.push(at(`auth ${name}`, { path: url, headers }));
  return cases;
}

function documented(doc: Document, op: Operation, status: number): string[] {
  const schema = dereference(
    doc,
    op.responses[String(status)]?.content?.["application/json"]?.schema,
  ) as { properties: { error: { properties: { code: { enum: string[] } } } } } | undefined;
  return schema?.properties.error.properties.code.enum ?? [];
}

/** What is wrong with the answer to `c`, or null. */
export function problemWith(doc: Document, target: Target, c: Case, res: RawAnswer): string | null {
  if (res.status >= 500) return `answered ${res.status}: ${res.text.slice(0, 200)}`;
  if (res.ms > TIME_BOUND_MS) return `took ${Math.round(res.ms)} ms`;
  if (res.status < 400) return null;
  let code: unknown;
  try {
    const body = JSON.parse(res.text) as { error?: { code?: unknown; message?: unknown } };
    if (typeof body.error?.message !== "string")
      return `no error message: ${res.text.slice(0, 200)}`;
    code = body.error.code;
  } catch {
    return `error answer is not JSON: ${res.status} ${res.text.slice(0, 200)}`;
  }
  if (c.pathCase)
    return (ERROR_CODES as readonly unknown[]).includes(code)
      ? null
      : `unknown code ${String(code)}`;
  return documented(doc, target.op, res.status).includes(code as string)
    ? null
    : `${res.status} ${String(code)} is not documented for ${target.method} ${target.path}`;
}
