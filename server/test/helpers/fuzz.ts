/**
 * A deterministic generator of bad requests from the OpenAPI document (robustness.test.ts): one
 * seed per run, printed with any failure, so the same requests can be sent again with FUZZ_SEED.
 * Requests go out through node:http as raw bytes, so paths keep their `..` and `%2F` and bodies
 * their lone surrogates (fetch would normalise or refuse them).
 */
import { Agent, request as httpRequest } from "node:http";

import { dereference } from "./openapi.js";

/** mulberry32: small, fast and good enough to pick among cases; not for anything secret. */
export function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    /** `n` of `items`, in order, without repeats (all of them when there are fewer). */
    some: <T>(items: readonly T[], n: number): T[] =>
      items
        .map((item) => ({ item, key: next() }))
        .sort((x, y) => x.key - y.key)
        .slice(0, n)
        .map((x) => x.item),
  };
}
export type Random = ReturnType<typeof random>;

export interface RawRequest {
  /** What the case is, for the failure message. */
  label: string;
  method: string;
  /** Sent as is: already percent-encoded where it should be. */
  path: string;
  headers: Record<string, string>;
  body?: Buffer | string;
}

export interface RawAnswer {
  status: number;
  text: string;
  ms: number;
}

const agent = new Agent({ keepAlive: true, maxSockets: 4 });

/** Sends `req` to `base` over real HTTP; rejects when no answer comes within `timeoutMs`. */
export function send(base: string, req: RawRequest, timeoutMs: number): Promise<RawAnswer> {
  const url = new URL(base);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const body =
      req.body === undefined
        ? undefined
        : Buffer.isBuffer(req.body)
          ? req.body
          : Buffer.from(req.body, "utf8");
    const outgoing = httpRequest(
      {
        agent,
        host: url.hostname,
        port: url.port,
        method: req.method,
        path: req.path,
        headers: {
          ...(body ? { "content-length": String(body.length) } : {}),
          ...req.headers,
        },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            text: Buffer.concat(chunks).toString("utf8"),
            ms: performance.now() - started,
          }),
        );
        res.on("error", reject);
      },
    );
    outgoing.on("timeout", () => {
      outgoing.destroy(new Error(`no answer within ${timeoutMs} ms`));
    });
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
}

const STRING_CANDIDATES = [
  "a".repeat(64),
  "#112233",
  "fuzz@example.test",
  "123456",
  "example.test",
  "https://example.test/",
];

/** A string that meets `schema`'s pattern and lengths, where one of a few common shapes does. */
function plausibleString(schema: JsonSchema): string {
  const length = Math.min(Math.max(schema.minLength ?? 1, 22), schema.maxLength ?? 22);
  if (schema.format === "date-time") return new Date(Date.UTC(2030, 0, 1)).toISOString();
  if (schema.format === "email") return "fuzz@example.test";
  if (schema.format === "uri") return "https://example.test/";
  const fits = (value: string) =>
    value.length >= (schema.minLength ?? 0) &&
    value.length <= (schema.maxLength ?? Infinity) &&
    (!schema.pattern || new RegExp(schema.pattern, "u").test(value));
  return ["A".repeat(length), ...STRING_CANDIDATES].find(fits) ?? "A".repeat(length);
}

/** A plausible value for `schema`: what a careless but not hostile client might send. */
export function plausible(schema: JsonSchema | undefined, depth = 0): unknown {
  if (!schema || depth > 6) return "x";
  if (schema.const !== undefined) return schema.const;
  if (schema.enum?.length) return schema.enum[0];
  const alt = schema.anyOf ?? schema.oneOf ?? schema.allOf;
  if (alt?.length) return plausible(alt.find((s) => s.type !== "null") ?? alt[0], depth + 1);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  switch (type) {
    case "object":
      return Object.fromEntries(
        Object.entries(schema.properties ?? {}).map(([k, s]) => [k, plausible(s, depth + 1)]),
      );
    case "array":
      return [plausible(schema.items, depth + 1)];
    case "integer":
    case "number":
      return schema.minimum ?? 1;
    case "boolean":
      return true;
    default:
      return plausibleString(schema);
  }
}

/** A stand-in replaced by a lone surrogate escape in the JSON text (JSON.stringify never writes one). */
export const LONE_SURROGATE = "__lone_surrogate__";

/**
 * Values at the edges of what `schema` accepts, or just past them: the kinds validation lets
 * through to the code behind it (NUL, surrogates, multi-byte text at the length limit, far dates).
 */
export function edges(schema: JsonSchema | undefined): [string, unknown][] {
  if (!schema) return [];
  const alt = schema.anyOf ?? schema.oneOf;
  if (alt?.length) return edges(alt.find((s) => s.type !== "null"));
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  if (type === "integer" || type === "number") {
    const out: [string, unknown][] = [
      ["2^53+1", 2 ** 53 + 1],
      ["1e21", 1e21],
      ["-0", -0],
    ];
    if (schema.maximum !== undefined)
      out.push(["maximum", schema.maximum], ["maximum+1", schema.maximum + 1]);
    if (schema.minimum !== undefined) out.push(["minimum-1", schema.minimum - 1]);
    return out;
  }
  if (type !== "string" || schema.enum) return [];
  const good = plausibleString(schema);
  const out: [string, unknown][] = [
    ["NUL inside", `${good.slice(0, -1)}\u0000`],
    ["lone surrogate", LONE_SURROGATE],
    ["RTL override", `\u202e${good.slice(1)}`],
  ];
  if (schema.maxLength !== undefined && schema.maxLength < 100_000) {
    out.push(["multi-byte at maxLength", "\u00e9".repeat(schema.maxLength)]);
    out.push(["emoji at maxLength", "\u{1F600}".repeat(Math.ceil(schema.maxLength / 2))]);
  }
  if (schema.format === "date-time")
    out.push(
      ["date past JS range", "+275760-09-13T00:00:00.001Z"],
      ["year 0", "0000-01-01T00:00:00Z"],
      ["February 30", "2030-02-30T00:00:00Z"],
      ["far future", "9999-12-31T23:59:59.999Z"],
    );
  return out;
}

/** JSON text of `body`, with LONE_SURROGATE strings written as `\ud800`. */
export function jsonText(body: unknown): string {
  return JSON.stringify(body).replaceAll(`"${LONE_SURROGATE}"`, '"\\ud800x"');
}

// Deep, but under the 16 KiB most routes take, so the parser meets it.
const NEST = 2_500;
/** Values of the wrong kind, or the right kind at its edges, for any field. */
export const BAD_VALUES: readonly [string, unknown][] = [
  ["null", null],
  ["zero", 0],
  ["negative", -1],
  ["2^53+1", 2 ** 53 + 1],
  ["1e308", 1e308],
  ["float", 1.5],
  ["NaN string", "NaN"],
  ["Infinity string", "Infinity"],
  ["true", true],
  ["empty string", ""],
  ["empty array", []],
  ["array of nulls", [null, null]],
  ["empty object", {}],
  ["object", { a: 1 }],
  ["long string", "x".repeat(12_000)],
  ["NUL", "a\u0000b"],
  ["RTL marks", "\u202eabc\u200f\u2066"],
  ["emoji and combining", "e\u0301\u{1F600}\u{10FFFF}"],
  ["__proto__ object", JSON.parse('{"__proto__": {"polluted": 1}}')],
  ["numeric string", "12345678901234567890"],
  ["whitespace", " \t\n "],
];

/** Bodies whose JSON text cannot come from JSON.stringify of a JS value. */
export const RAW_BODIES: readonly [string, string | Buffer][] = [
  ["lone high surrogate", '{"a":"\\ud800"}'],
  ["lone low surrogate", '{"a":"\\udc00x"}'],
  ["NUL escape", '{"a":"\\u0000"}'],
  ["deep nesting", `${'{"a":'.repeat(NEST)}1${"}".repeat(NEST)}`],
  ["deep array", `${"[".repeat(NEST * 3)}${"]".repeat(NEST * 3)}`],
  ["duplicate keys", '{"a":1,"a":2}'],
  ["truncated", '{"a":'],
  ["trailing garbage", "{}x"],
  ["BOM", "\ufeff{}"],
  ["number out of range", '{"a":1e99999}'],
  ["string", '"text"'],
  ["null", "null"],
  ["empty", ""],
  ["invalid UTF-8", Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d])],
];

/** Path parameter values: malformed, oversized, encoded separators and traversal. */
export const BAD_SEGMENTS: readonly string[] = [
  "..",
  "%2E%2E",
  "..%2F..%2Fetc%2Fpasswd",
  "%2F",
  "%00",
  "a%00b",
  "%",
  "%ZZ",
  "%E0%A4%A",
  "%C3%BF",
  "%F0%9F%98%80",
  "A".repeat(10_000),
  "-1",
  "1e400",
  "9007199254740993",
  "null",
  "undefined",
  "%20",
  "%E2%80%AE",
  "expired",
  "AAAAAAAAAAAAAAAAAAAAAA.png",
];

/** Query strings for an operation's query parameters, or made-up ones. */
export function badQueries(names: string[], rnd: Random): string[] {
  const some = names.length > 0 ? names : ["q"];
  const out = ["?", "?&&&", "?=1", "?%", "?a=%ZZ", `?${"x".repeat(9000)}=1`];
  for (const n of some) {
    out.push(`?${n}=1&${n}=2`, `?${n}[]=1&${n}[]=2`, `?${n}[a]=1`, `?${n}=`, `?${n}`);
    out.push(
      ...rnd
        .some(["-1", "1e400", "NaN", "1.5", "9007199254740993", "%00", "x".repeat(5000), "%ZZ"], 3)
        .map((v) => `?${n}=${v}`),
    );
  }
  return out;
}

/** Values of one query parameter at and past the edges of its schema, percent-encoded. */
export function queryEdges(schema: JsonSchema | undefined): string[] {
  const type = Array.isArray(schema?.type) ? schema.type[0] : schema?.type;
  if (type === "integer" || type === "number")
    return ["0", "1e2", "0x10", "%201", "1.5", String((schema?.maximum ?? 100) + 1)];
  const out = [
    "%00",
    "a%00b",
    "%25%5F%5C",
    "%27%22",
    "%F0%9F%98%80",
    "%ED%A0%80",
    "%C0%AF",
    "%E2%80%AE",
  ];
  if (schema?.maxLength !== undefined) out.push("%C3%A9".repeat(schema.maxLength));
  if (schema?.format === "date-time")
    out.push(
      ...["+275760-09-13T00:00:00.001Z", "0000-01-01T00:00:00Z", "2030-02-30T00:00:00Z"].map(
        encodeURIComponent,
      ),
    );
  return out;
}

/** Cookie and Authorization headers a broken or hostile client sends. */
export const BAD_AUTH: readonly [string, Record<string, string>][] = [
  ["empty cookie", { cookie: "" }],
  ["cookie without value", { cookie: "hl_session" }],
  ["bad session", { cookie: "hl_session=%; hl_csrf=%" }],
  ["huge session", { cookie: `hl_session=${"a".repeat(7000)}` }],
  ["repeated session", { cookie: "hl_session=a; hl_session=b; hl_csrf=c", "x-csrf-token": "c" }],
  ["quoted session", { cookie: 'hl_session="abc"; hl_csrf="abc"', "x-csrf-token": "abc" }],
  ["Bearer alone", { authorization: "Bearer" }],
  ["Bearer space", { authorization: "Bearer " }],
  ["Basic", { authorization: "Basic Zm9vOmJhcg==" }],
  ["huge token", { authorization: `Bearer hl_${"a".repeat(7000)}` }],
  ["lower-case scheme", { authorization: "bearer hl_x" }],
  ["two tokens", { authorization: "Bearer hl_a, Bearer hl_b" }],
  ["token with NUL escape", { authorization: "Bearer hl_%00" }],
  ["non-ASCII token", { authorization: "Bearer hl_\u00ff\u00fe" }],
];

/** Other headers a request may carry, odd: languages, proxies, encodings, conditions. */
export const ODD_HEADERS: readonly [string, Record<string, string>][] = [
  ["huge Accept-Language", { "accept-language": `${"x-".repeat(3000)}x` }],
  ["broken Accept-Language", { "accept-language": "*;q=NaN, en;q=-1, ;;;, de-;q=2" }],
  ["gzip body", { "content-encoding": "gzip" }],
  ["origin null", { origin: "null" }],
  ["odd origin", { origin: "http://[::1" }],
  ["forwarded garbage", { "x-forwarded-for": "::::, 999.1.1.1, %00", forwarded: "for=;;" }],
  ["forwarded proto", { "x-forwarded-proto": "gopher", "x-forwarded-host": "../evil" }],
  ["accept nonsense", { accept: "application/x-nonsense;q=2" }],
  ["conditions", { "if-none-match": "*", "if-modified-since": "yesterday" }],
  ["range", { range: "bytes=0-0,-1" }],
  ["request id", { "x-request-id": "a".repeat(5000) }],
  ["expect", { expect: "100-continue" }],
];

/** The JSON body schema of an operation, dereferenced, or undefined. */
export function bodySchema(
  doc: { components?: { schemas?: Record<string, unknown> } },
  op: { requestBody?: { content: Record<string, { schema?: unknown }> } },
): JsonSchema | undefined {
  const schema = op.requestBody?.content["application/json"]?.schema;
  return schema === undefined ? undefined : (dereference(doc, schema) as JsonSchema);
}
