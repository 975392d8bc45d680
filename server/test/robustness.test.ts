/**
 * Bad input, whatever it is, gets a documented 4xx with a code in time, never a 500 or a hang,
 * and the server keeps serving (beside error-contract.test.ts, which provokes each documented
 * error on purpose). Every operation of the OpenAPI document is sent generated bad requests over
 * real HTTP, signed out, as a member, as the organization's admin and with an API token. The
 * cases are drawn from one seed per run: a failure prints it, and FUZZ_SEED=<seed> sends the same
 * requests again; FUZZ_FULL=1 sends every case on both databases (about 4 minutes, not 1). The
 * inputs that found bugs are kept by name in robustness-cases.test.ts.
 */
import { beforeAll, describe, expect, it } from "vitest";

import { ERROR_CODES } from "@hushlink/protocol";

import type { Dialect } from "../src/db/database.js";
import {
  memberOf,
  orgIdOf,
  signup,
  uniqueEmail,
  userIdOf,
  type Client,
} from "./helpers/accounts.js";
import { buildShare } from "./helpers/builders.js";
import { makeFile } from "./helpers/files.js";
import { newRequest } from "./helpers/requests.js";
import type { TestApp } from "./helpers/app.js";
import { TEST_DATABASE_URL } from "./helpers/databases.js";
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
  random,
  RAW_BODIES,
  send,
  type JsonSchema,
  type Random,
  type RawAnswer,
  type RawRequest,
} from "./helpers/fuzz.js";
import { listen } from "./helpers/live.js";
import { dereference } from "./helpers/openapi.js";
import { suiteApp } from "./helpers/suite.js";

const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
/** A bad request is answered within this, even on a loaded two-core machine. */
const TIME_BOUND_MS = 2_000;

interface Parameter {
  in: "path" | "query" | "header" | "cookie";
  name: string;
  schema?: JsonSchema;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema?: unknown }> };
  responses: Record<string, { content?: { "application/json"?: { schema: unknown } } }>;
}
interface Document {
  components: { schemas: Record<string, unknown> };
  paths: Record<string, Record<string, Operation>>;
}
interface Target {
  method: string;
  path: string;
  op: Operation;
}

/** Who sends the requests: their headers, and the ids their paths use to reach real rows. */
interface Identity {
  name: string;
  headers: Record<string, string>;
  ids: Record<string, string>;
}

interface Case extends RawRequest {
  /** The path itself is mangled: another route, or none, may answer. */
  pathCase?: boolean;
  /** A value at the edge of its schema: sent on every pass, however small. */
  edge?: boolean;
}

const WELL_FORMED = "AAAAAAAAAAAAAAAAAAAAAA";

function concrete(path: string, ids: Record<string, string>, mangle?: [string, string]) {
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

const JSON_TYPE = { "content-type": "application/json" };
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
function casesFor(doc: Document, target: Target, who: Identity, rnd: Random): Case[] {
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
function problemWith(doc: Document, target: Target, c: Case, res: RawAnswer): string | null {
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

export interface Run {
  requests: number;
  failures: string[];
}

/**
 * Sets up the identities on `t`, then sends the cases: for each identity named in `shares`, every
 * edge case and that share of the others.
 */
function robustnessSuite(dialect: Dialect, shares: Record<string, number>) {
  const t: TestApp = suiteApp(dialect);
  let base: string;
  let doc: Document;
  let targets: Target[];
  const who = new Map<string, Identity>();

  async function makeIdentities() {
    const admin = await signup(t);
    const orgId = await orgIdOf(admin);
    const member = await memberOf(t, orgId);
    const token = await admin.inject({
      method: "POST",
      url: "/api/v1/tokens",
      payload: { name: "fuzz", scope: "full" },
    });
    // Real rows behind the paths, so that cases get past "not found" to the code behind it.
    const built = await buildShare({ maxViews: 100 });
    const file = await makeFile(10);
    const share = await admin.inject({
      method: "POST",
      url: "/api/v1/shares",
      payload: { ...built.body, blobs: [file.declaration] },
    });
    const request = await newRequest(admin);
    const invitation = await admin.inject({
      method: "POST",
      url: `/api/v1/orgs/${orgId}/invitations`,
      payload: { email: uniqueEmail("invited"), role: "member" },
    });
    const ids = {
      orgId,
      userId: await userIdOf(t, member.email),
      "shares.id": built.body.id,
      "requests.id": request.id,
      "tokens.id": token.json<{ id: string }>().id,
      blob: file.blobId,
      invitationId: invitation.json<{ id: string }>().id,
      "x-upload-token": share.json<{ uploadToken: string }>().uploadToken,
    };
    const session = (c: Client) => c.headers;
    const all: Identity[] = [
      { name: "signed out", headers: {}, ids },
      { name: "member", headers: session(member), ids },
      { name: "admin", headers: session(admin), ids },
      {
        name: "token",
        headers: { authorization: `Bearer ${token.json<{ token: string }>().token}` },
        ids,
      },
    ];
    for (const identity of all) if (shares[identity.name]) who.set(identity.name, identity);
  }

  /** Whether the identities still reach their organization (a case may have signed one out). */
  async function intact(): Promise<boolean> {
    for (const identity of who.values()) {
      if (identity.name === "signed out") continue;
      const res = await send(
        base,
        {
          label: "",
          method: "GET",
          path: `/api/v1/orgs/${identity.ids.orgId}/members`,
          headers: identity.headers,
        },
        TIME_BOUND_MS,
      );
      if (res.status !== 200) return false;
    }
    return true;
  }

  beforeAll(async () => {
    base = await listen(t);
    doc = (await t.app.inject({ url: "/api/openapi.json" })).json<Document>();
    targets = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
    );
    await makeIdentities();
  });

  it(`answers every bad request with a documented 4xx within ${TIME_BOUND_MS} ms, and keeps serving (seed ${SEED})`, async () => {
    const rnd = random(SEED);
    const run: Run = { requests: 0, failures: [] };
    const slowest = { ms: 0, where: "" };
    const kept = await send(
      base,
      { label: "", method: "POST", path: "/api/v1/shares", headers: JSON_TYPE, body: "{}" },
      TIME_BOUND_MS,
    );
    expect(kept.status).toBe(400);
    for (const target of targets) {
      for (const identity of who.values()) {
        // Signing out ends the session the other cases need: only the signed-out caller sends it.
        if (target.path === "/api/v1/auth/logout" && identity.name !== "signed out") continue;
        for (const c of casesFor(doc, target, identity, rnd)) {
          const share = process.env.FUZZ_FULL ? 1 : shares[identity.name]!;
          if (share < 1 && !c.edge && rnd.next() > share) continue;
          run.requests += 1;
          const where = `${identity.name} ${c.method} ${c.path.slice(0, 120)} [${c.label}]`;
          try {
            const res = await send(base, c, TIME_BOUND_MS);
            const problem = problemWith(doc, target, c, res);
            if (res.ms > slowest.ms) Object.assign(slowest, { ms: res.ms, where });
            if (problem) run.failures.push(`${where}: ${problem}`);
          } catch (error) {
            run.failures.push(`${where}: ${(error as Error).message}`);
          }
        }
      }
      if (!(await intact())) {
        // A plausible body did what it says (a policy, a deletion): start again with new people.
        who.clear();
        await makeIdentities();
      }
    }
    const alive = await send(
      base,
      { label: "", method: "GET", path: "/api/v1/config", headers: {} },
      TIME_BOUND_MS,
    );
    expect(alive.status, "the server still serves").toBe(200);
    console.info(
      `robustness (${dialect}): ${run.requests} requests, seed ${SEED}, slowest ${Math.round(slowest.ms)} ms: ${slowest.where}`,
    );
    expect(run.failures.slice(0, 40), `seed ${SEED}, ${run.failures.length} failures`).toEqual([]);
  }, 240_000);

  it("answers the methods a path does not document below 500, as JSON but for HEAD", async () => {
    const failures: string[] = [];
    const admin = who.get("admin") ?? who.get("signed out")!;
    for (const path of new Set(targets.map((x) => x.path))) {
      for (const method of ["HEAD", "OPTIONS", "PATCH", "PUT", "TRACE"]) {
        const where = `${method} ${path}`;
        try {
          const res = await send(
            base,
            { label: "", method, path: concrete(path, admin.ids), headers: admin.headers },
            TIME_BOUND_MS,
          );
          if (res.status >= 500) failures.push(`${where}: ${res.status} ${res.text.slice(0, 200)}`);
          else if (method !== "HEAD" && res.status >= 400 && !/^\{"error":\{"code":/.test(res.text))
            failures.push(`${where}: ${res.status} ${res.text.slice(0, 200)}`);
        } catch (error) {
          failures.push(`${where}: ${(error as Error).message}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });
}

describe("robustness on SQLite", () => {
  // Every case signed out and as the admin; a share of the random ones (every edge case) as the
  // member and with the token, whose answers mostly differ in the permission refused.
  robustnessSuite("sqlite", { "signed out": 1, admin: 1, member: 0.35, token: 0.35 });
});

describe.skipIf(!TEST_DATABASE_URL)("robustness on PostgreSQL", () => {
  robustnessSuite("postgres", { "signed out": 0.15, admin: 0.15 });
});
