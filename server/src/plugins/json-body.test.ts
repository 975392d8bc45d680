/**
 * parseJsonBody (http-conventions.ts) against what the JSON parser did before issue 24's one-pass
 * scan: our depth scan, then Fastify's default parser (secure-json-parse, refusing `__proto__` and
 * `constructor.prototype`), then our duplicate scan. The old scans are kept below as they were, so
 * the two are compared on many generated bodies, well formed or not.
 */
import Fastify from "fastify";
import { describe, expect, it } from "vitest";

import { MAX_JSON_DEPTH, scanJson, DUPLICATE_KEY, SUSPECT_KEY } from "../lib/json-duplicates.js";
import { parseJsonBody } from "./http-conventions.js";

type Outcome = { value: unknown } | { error: { code: unknown; message: string } };

function outcome(read: () => unknown): Outcome {
  try {
    return { value: read() };
  } catch (error) {
    const { code, message } = error as { code: unknown; message: string };
    return { error: { code, message } };
  }
}

// ---- the parser before issue 24's scan, as it was -------------------------------------------

const defaultParser = Fastify().getDefaultJsonParser("error", "error");

function oldStringEnd(text: string, start: number): number {
  let from = start + 1;
  for (;;) {
    const quote = text.indexOf('"', from);
    if (quote < 0) return -1;
    let slashes = 0;
    while (text.charCodeAt(quote - 1 - slashes) === 0x5c) slashes += 1;
    if (slashes % 2 === 0) return quote;
    from = quote + 1;
  }
}

function oldNestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      i = oldStringEnd(text, i);
      if (i < 0) return false;
    } else if (c === 0x7b || c === 0x5b) {
      depth += 1;
      if (depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth -= 1;
  }
  return false;
}

function oldHasDuplicateKey(text: string): boolean {
  const stack: (Set<string> | null)[] = [];
  let expectKey = false;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      const end = oldStringEnd(text, i);
      const keys = stack[stack.length - 1];
      if (keys && expectKey) {
        const raw = text.slice(i + 1, end);
        const name = raw.includes("\\") ? (JSON.parse(text.slice(i, end + 1)) as string) : raw;
        if (keys.has(name)) return true;
        keys.add(name);
        expectKey = false;
      }
      i = end + 1;
      continue;
    }
    if (c === 0x7b) {
      stack.push(new Set());
      expectKey = true;
    } else if (c === 0x5b) {
      stack.push(null);
      expectKey = false;
    } else if (c === 0x7d || c === 0x5d) {
      stack.pop();
      expectKey = false;
    } else if (c === 0x2c) {
      expectKey = stack.length > 0 && stack[stack.length - 1] !== null;
    }
    i += 1;
  }
  return false;
}

function oldParse(text: string): Outcome {
  if (oldNestsDeeperThan(text, MAX_JSON_DEPTH)) {
    return {
      error: {
        code: "invalid_json",
        message: `The body nests deeper than ${MAX_JSON_DEPTH} levels.`,
      },
    };
  }
  let result: Outcome | undefined;
  void defaultParser({} as never, text, (error: Error | null, value?: unknown) => {
    let parses = true;
    try {
      JSON.parse(text);
    } catch {
      parses = false;
    }
    if (error && parses) {
      result = { error: { code: "invalid_json", message: "The body contains a forbidden key." } };
    } else if (!error && oldHasDuplicateKey(text)) {
      result = {
        error: { code: "invalid_json", message: "The body names a member twice in one object." },
      };
    } else if (error) {
      const { code, message } = error as Error & { code: unknown };
      result = { error: { code, message } };
    } else result = { value };
  });
  return result!;
}

// ---- generated bodies -----------------------------------------------------------------------

/** mulberry32: the same bodies on every run, so a failure can be read again. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Names as written in the text: plain, escaped, and the suspect ones in their spellings. */
const NAMES = [
  '"a"',
  '"\\u0061"',
  '"b"',
  '"a\\""',
  '"a\\\\"',
  '"\\\\"',
  '"[{"',
  '"__proto__"',
  '"\\u005f_proto__"',
  '"__pr\\u006Fto__"',
  '"constructor"',
  '"\\u0063onstructor"',
  '"prototype"',
  '"protot\\u0079pe"',
  '"viewToken"',
];
const SCALARS = [
  "1",
  "-0.5e3",
  "true",
  "false",
  "null",
  '""',
  '"x"',
  '"\\""',
  '"\\\\"',
  '"\\\\\\""',
  '"{\\"a\\":1}"',
  '"]]]}"',
  '"\\u0022"',
];
const SPACES = ["", "", "", " ", "\n", "\t ", "\r\n"];

function generate(next: () => number): string {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const space = () => pick(SPACES);
  // One body in five has a spine of containers about MAX_JSON_DEPTH deep, to either side of it;
  // the rest nest at most four deep.
  const spine = next() < 0.2 ? MAX_JSON_DEPTH - 2 + Math.floor(next() * 4) : 0;
  const value = (depth: number, onSpine: boolean): string => {
    const deepest = onSpine ? spine : Math.min(depth + 4, MAX_JSON_DEPTH + 2);
    const roll = next();
    if (depth >= deepest || (!onSpine && roll < 0.35)) return pick(SCALARS);
    const count = Math.floor(next() * 3) + (onSpine ? 1 : 0);
    const spineAt = onSpine ? Math.floor(next() * count) : -1;
    const items = Array.from({ length: count }, (_, i) => value(depth + 1, i === spineAt));
    if (roll < 0.55) return `[${space()}${items.join(`${space()},${space()}`)}${space()}]`;
    const members = items.map((item) => `${pick(NAMES)}${space()}:${space()}${item}`);
    return `{${space()}${members.join(`${space()},${space()}`)}${space()}}`;
  };
  let text = `${space()}${value(0, spine > 0)}${space()}`;
  // One body in four is damaged: a character dropped, doubled or swapped for a bracket or quote.
  if (next() < 0.25 && text.length > 0) {
    const at = Math.floor(next() * text.length);
    const damage = pick(["", text[at]! + text[at]!, "[", "]", "{", "}", '"', "\\", ","]);
    text = text.slice(0, at) + damage + text.slice(at + 1);
  }
  return text;
}

describe("parseJsonBody", () => {
  it("answers as the parser before it on 20,000 generated bodies", () => {
    const next = random(24);
    const seen = new Map<string, number>();
    for (let n = 0; n < 20_000; n++) {
      const text = generate(next);
      // An empty body never reaches it (the content-type parser answers it first).
      if (text === "") continue;
      const expected = oldParse(text);
      expect(
        outcome(() => parseJsonBody(text)),
        text,
      ).toEqual(expected);
      const kind =
        "value" in expected
          ? "accepted"
          : expected.error.code === "FST_ERR_CTP_INVALID_JSON_BODY"
            ? "not JSON"
            : expected.error.message;
      seen.set(kind, (seen.get(kind) ?? 0) + 1);
    }
    // Every answer was met often enough for the comparison to mean something.
    expect([...seen.keys()].sort()).toEqual([
      "The body contains a forbidden key.",
      "The body names a member twice in one object.",
      `The body nests deeper than ${MAX_JSON_DEPTH} levels.`,
      "accepted",
      "not JSON",
    ]);
    for (const [kind, count] of seen) expect(count, kind).toBeGreaterThan(200);
  });

  it.each([
    // Escaped spellings of the forbidden names are what they spell.
    ['{"\\u005f_proto__":1}', "forbidden"],
    ['{"\\u005F\\u005Fproto\\u005f\\u005f":{}}', "forbidden"],
    ['{"a":[1,{"b":[{"__proto__":null}]}]}', "forbidden"],
    ['{"\\u0063onstructor":{"prototype":1}}', "forbidden"],
    ['{"constructor":{"protot\\u0079pe":1}}', "forbidden"],
    ['[[{"constructor":{"x":1,"prototype":{}}}]]', "forbidden"],
    // A constructor without a prototype of its own, or not an object, is an ordinary member.
    ['{"constructor":{"x":{"prototype":1}}}', "accepted"],
    ['{"constructor":[{"prototype":1}]}', "accepted"],
    ['{"constructor":"prototype","prototype":1}', "accepted"],
    ['{"constructor":null}', "accepted"],
    // Inside strings, names and brackets are text.
    ['{"a":"\\"__proto__\\":1"}', "accepted"],
    ['{"a\\\\":"{\\"constructor\\":{\\"prototype\\":1}}"}', "accepted"],
    ['["__proto__","constructor"]', "accepted"],
    // Of a name given twice only the last value is parsed: the first's forbidden key is gone.
    ['{"a":{"__proto__":1},"a":2}', "duplicate"],
    ['{"constructor":{"prototype":1},"constructor":1}', "duplicate"],
    ['{"constructor":1,"constructor":{"prototype":1}}', "forbidden"],
    ['{"__proto__":1,"__proto__":2}', "forbidden"],
    // Names repeat only within one object, escaped or not, at any depth; arrays hold no names.
    ['{"a":1,"\\u0061":2}', "duplicate"],
    ['{"a\\"":1,"a\\"":2}', "duplicate"],
    ['{"a\\\\":1,"a":2}', "accepted"],
    ['[{"a":1},[{"b":[{"c":1,"c":2}]}]]', "duplicate"],
    ['[{"a":1},{"a":1},["a","a"]]', "accepted"],
    ['{"a":{"a":{"a":1}}}', "accepted"],
    // Numbers and literals between the members change nothing.
    ['{"a":-1.5e-3,"b":true,"c":false,"d":null,"e":0}', "accepted"],
    ['{"a":1e400,"b":1,"b":2}', "duplicate"],
    // The depth, at its limit and one past it, and brackets in strings that do not count.
    [`${"[".repeat(MAX_JSON_DEPTH)}${"]".repeat(MAX_JSON_DEPTH)}`, "accepted"],
    [`${"[".repeat(MAX_JSON_DEPTH + 1)}${"]".repeat(MAX_JSON_DEPTH + 1)}`, "deep"],
    [`${'{"a":'.repeat(MAX_JSON_DEPTH)}1${"}".repeat(MAX_JSON_DEPTH)}`, "accepted"],
    [`["${"[".repeat(40)}"]`, "accepted"],
    // Refused for depth before it is parsed, even when it is no JSON at all.
    [`{"\\x":${"[".repeat(MAX_JSON_DEPTH + 1)}`, "deep"],
    [`${"[".repeat(MAX_JSON_DEPTH)}"\\"]`, "invalid"],
    ['{"a":1,}', "invalid"],
    ['{"\\x":1}', "invalid"],
    // A byte order mark is skipped: the body is judged without it.
    ['\ufeff{"a":1}', "accepted"],
    ['\ufeff{"__proto__":1}', "forbidden"],
  ])("%s: %s", (text, kind) => {
    const errors: Record<string, object> = {
      forbidden: { message: "The body contains a forbidden key." },
      duplicate: { message: "The body names a member twice in one object." },
      deep: { message: `The body nests deeper than ${MAX_JSON_DEPTH} levels.` },
      // Fastify's own error, which the error handler answers as 400 invalid_json.
      invalid: { code: "FST_ERR_CTP_INVALID_JSON_BODY" },
    };
    const got = outcome(() => parseJsonBody(text));
    if (kind === "accepted")
      expect(got).toEqual({ value: JSON.parse(text.replace(/^\ufeff/, "")) as unknown });
    else expect(got).toMatchObject({ error: errors[kind] });
  });
});

describe("scanJson", () => {
  it("flags suspect names only as names, in any spelling", () => {
    expect(scanJson('{"__proto__":1}', 32) & SUSPECT_KEY).toBe(SUSPECT_KEY);
    expect(scanJson('{"\\u0063onstructor":1}', 32) & SUSPECT_KEY).toBe(SUSPECT_KEY);
    expect(scanJson('{"a":"__proto__","b":["constructor"]}', 32)).toBe(0);
    expect(scanJson('{"prototype":1}', 32)).toBe(0);
  });

  it("stays linear in an object with many names and still finds a repeat among them", () => {
    const names = Array.from({ length: 50_000 }, (_, i) => `"k${i}":${i}`);
    const unique = `{${names.join(",")}}`;
    const started = performance.now();
    expect(scanJson(unique, 32)).toBe(0);
    // Quadratic, 50,000 names would take seconds; linear takes milliseconds.
    expect(performance.now() - started).toBeLessThan(1000);
    expect(scanJson(`{${names.join(",")},"k49999":1}`, 32)).toBe(DUPLICATE_KEY);
    expect(scanJson(`{${names.join(",")},"k3":1}`, 32)).toBe(DUPLICATE_KEY);
  });
});
