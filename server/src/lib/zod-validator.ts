/**
 * Fastify's validator for request parts (params, query, headers, body), with zod as the judge of
 * anything it does not accept outright (issue 24).
 *
 * fastify-type-provider-zod's validator runs zod's `safeParse` on every request: for a route's
 * `{ id }` params that is about 0.9 µs of object parsing, issue bookkeeping and a stripped copy,
 * on the metadata read, the reveal and every other route with an id in its path. For a plain
 * `z.object` (no catch-all, no object-level checks) whose fields are all required strings with
 * only length and pattern checks and the canonical-base64url refinement (as ids and tokens have),
 * this checks each field the way zod's
 * checks do and returns what zod returns: a new object with the schema's keys in its order and no
 * other (zod's strip). Whenever a value fails, or the schema is of any other kind, the part goes
 * to zod's own validator, which makes the same answer (400 and its issues) as before.
 *
 * Two more kinds of field are checked here (issue 17): such a string made `.optional()` (the
 * tokens in headers: `x-upload-token`, `x-download-token`), and a `decimalInteger` (a chunk's
 * index), known by identity. A chunk PUT's params and headers went through zod's parse on every
 * chunk, in V8's baseline tier at upload rates: about 5% of the main thread's samples.
 */
import {
  DECIMAL_INTEGER,
  decimalIntegers,
  hasCanonicalEnd,
  hasWholeLength,
} from "@hushlink/protocol";
import type { FastifySchemaCompiler } from "fastify";
import { validatorCompiler } from "fastify-type-provider-zod";
import type { ZodType } from "zod";

/** What zod keeps in `_zod.def` of the schemas this file looks into. */
interface CheckDef {
  check?: string;
  format?: string;
  length?: number;
  minimum?: number;
  maximum?: number;
  pattern?: RegExp;
  /** A refinement's function (`check: "custom"`). */
  fn?: unknown;
}
interface Def {
  type: string;
  checks?: { _zod: { def: CheckDef } }[];
  shape?: Record<string, ZodType>;
  /** What `.optional()`, `.nullable()` and `.default()` wrap. */
  innerType?: ZodType;
  /** A strict object's catch-all (`never`). */
  catchall?: ZodType;
  /** `.default()`'s value. */
  defaultValue?: unknown;
  /** An enum's values, by name. */
  entries?: Record<string, unknown>;
}

const defOf = (schema: ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/**
 * Whether a def holds nothing but these keys: a string format (`z.email()`, `z.uuid()`) is a
 * string with its check in the def itself, a strict object has a catch-all, a refined one checks.
 */
const only = (def: Def, keys: readonly string[]) => Object.keys(def).every((k) => keys.includes(k));

/** Whether a string passes one of zod's string checks; undefined for a check not handled here. */
function stringCheck(def: CheckDef): ((value: string) => boolean) | undefined {
  const { check, length, minimum, maximum, pattern } = def;
  if (check === "length_equals" && length !== undefined) return (v) => v.length === length;
  if (check === "min_length" && minimum !== undefined) return (v) => v.length >= minimum;
  if (check === "max_length" && maximum !== undefined) return (v) => v.length <= maximum;
  if (check === "string_format" && def.format === "regex" && pattern) {
    // As zod does: a pattern with the g or y flag keeps a position between calls.
    return (v) => {
      pattern.lastIndex = 0;
      return pattern.test(v);
    };
  }
  // The refinements ids, tokens and ciphertexts carry (protocol's base64UrlBytes and
  // base64UrlBetween): a canonical last character, a length some bytes encode to. Known by
  // identity, so any other refinement still goes to zod.
  if (check === "custom" && def.fn === hasCanonicalEnd) return hasCanonicalEnd;
  if (check === "custom" && def.fn === hasWholeLength) return hasWholeLength;
  return undefined;
}

/** A field's test when it is a required string with only checks handled here; else undefined. */
function stringField(schema: ZodType): ((value: unknown) => boolean) | undefined {
  const def = defOf(schema);
  if (def.type !== "string" || !only(def, ["type", "checks"])) return undefined;
  const checks = (def.checks ?? []).map((c) => stringCheck(c._zod.def));
  if (checks.some((c) => c === undefined)) return undefined;
  const all = checks as ((value: string) => boolean)[];
  return (v) => typeof v === "string" && all.every((check) => check(v));
}

/** What a field's check gives: `ok` false sends the whole part to zod. */
type FieldOutcome = { ok: true; value: unknown } | { ok: false };
const refused: FieldOutcome = { ok: false };

/**
 * A field's check and value as zod gives it, for the kinds handled here; else undefined. A
 * `decimalInteger` gives the number (what its transform makes of a string of that spelling).
 */
function field(schema: ZodType): ((value: unknown) => FieldOutcome) | undefined {
  const bounds = decimalIntegers.get(schema);
  if (bounds) {
    return (v) => {
      if (typeof v !== "string" || !DECIMAL_INTEGER.test(v)) return refused;
      const n = Number(v);
      return n >= bounds.min && n <= bounds.max ? { ok: true, value: n } : refused;
    };
  }
  const def = defOf(schema);
  if (def.type === "optional" && def.innerType && only(def, ["type", "innerType"])) {
    const inner = stringField(def.innerType);
    return inner && ((v) => (v === undefined || inner(v) ? { ok: true, value: v } : refused));
  }
  const test = stringField(schema);
  return test && ((v) => (test(v) ? { ok: true, value: v } : refused));
}

/**
 * The validator of a plain object of the fields above, or undefined for any other schema. An
 * optional field missing from the data is missing from the value, and one present as undefined
 * is kept so, as zod does.
 */
export function compileStringObject(
  schema: ZodType,
): ((data: unknown) => Record<string, unknown> | undefined) | undefined {
  const def = defOf(schema);
  if (def.type !== "object" || !def.shape || !only(def, ["type", "shape"])) return undefined;
  const fields: [string, (value: unknown) => FieldOutcome][] = [];
  for (const [key, shape] of Object.entries(def.shape)) {
    const check = field(shape);
    if (!check) return undefined;
    fields.push([key, check]);
  }
  return (data) => {
    if (typeof data !== "object" || data === null || Array.isArray(data)) return undefined;
    const input = data as Record<string, unknown>;
    const value: Record<string, unknown> = {};
    for (const [key, check] of fields) {
      const given = input[key];
      const outcome = check(given);
      if (!outcome.ok) return undefined;
      if (given !== undefined || key in input) value[key] = outcome.value;
    }
    return value;
  };
}

/** A number's check as zod makes it: a finite number, and `.int()`, `.min()`, `.max()`. */
function numberField(def: Def): ((value: unknown) => boolean) | undefined {
  if (def.type !== "number" || !only(def, ["type", "checks"])) return undefined;
  const tests: ((value: number) => boolean)[] = [];
  for (const { _zod } of def.checks ?? []) {
    const {
      check,
      format,
      value: bound,
      inclusive,
    } = _zod.def as CheckDef & {
      value?: unknown;
      inclusive?: boolean;
    };
    if (check === "number_format" && format === "safeint") tests.push(Number.isSafeInteger);
    else if (check === "greater_than" && typeof bound === "number")
      tests.push(inclusive ? (v) => v >= bound : (v) => v > bound);
    else if (check === "less_than" && typeof bound === "number")
      tests.push(inclusive ? (v) => v <= bound : (v) => v < bound);
    else return undefined;
  }
  return (v) => typeof v === "number" && Number.isFinite(v) && tests.every((test) => test(v));
}

const accepted = (value: unknown): FieldOutcome => ({ ok: true, value });

/**
 * A field of a strict object checked here: those of `field`, numbers, booleans, enums, and any of
 * these made optional, nullable or given a (primitive) default, which zod gives for undefined.
 */
function valueField(schema: ZodType): ((value: unknown) => FieldOutcome) | undefined {
  const plain = field(schema);
  if (plain) return plain;
  const def = defOf(schema);
  const inner = def.innerType && valueField(def.innerType);
  if (def.type === "optional" && inner && only(def, ["type", "innerType"]))
    return (v) => (v === undefined ? accepted(undefined) : inner(v));
  if (def.type === "nullable" && inner && only(def, ["type", "innerType"]))
    return (v) => (v === null ? accepted(null) : inner(v));
  if (def.type === "default" && inner && only(def, ["type", "innerType", "defaultValue"])) {
    // Read on each use, as zod does: a default may be a function's fresh value.
    const sample = def.defaultValue;
    if (typeof sample === "object" && sample !== null) return undefined;
    return (v) => (v === undefined ? accepted(def.defaultValue) : inner(v));
  }
  const number = numberField(def);
  if (number) return (v) => (number(v) ? accepted(v) : refused);
  if (def.type === "boolean" && only(def, ["type"]))
    return (v) => (typeof v === "boolean" ? accepted(v) : refused);
  if (def.type === "enum" && def.entries && only(def, ["type", "entries"])) {
    const values = new Set(Object.values(def.entries));
    return (v) => (values.has(v) ? accepted(v) : refused);
  }
  return undefined;
}

/**
 * The validator of a strict object (the create's body, issue 24: zod's parse of it took 5.8 us in
 * process on a busy machine, this 3.5) whose required fields are all of `valueField`'s kinds; an optional field
 * of another kind (a password, recipients, files) is checked here only by its absence. Whenever a
 * body has such a field, a key the schema does not know or a value that fails, it goes to zod,
 * which makes the same answer as before; else the value is zod's (its keys in the schema's order,
 * the defaults filled in).
 */
export function compileStrictObject(
  schema: ZodType,
): ((data: unknown) => Record<string, unknown> | undefined) | undefined {
  const def = defOf(schema);
  if (def.type !== "object" || !def.shape || !only(def, ["type", "shape", "catchall"]))
    return undefined;
  const catchall = def.catchall && defOf(def.catchall);
  if (catchall?.type !== "never" || !only(catchall, ["type"])) return undefined;
  const fields: [string, (value: unknown) => FieldOutcome][] = [];
  for (const [key, shape] of Object.entries(def.shape)) {
    const absentOnly = defOf(shape).type === "optional" ? absent : undefined;
    const check = valueField(shape) ?? absentOnly;
    if (!check) return undefined;
    fields.push([key, check]);
  }
  const known = new Set(Object.keys(def.shape));
  return (data) => {
    if (typeof data !== "object" || data === null || Array.isArray(data)) return undefined;
    const input = data as Record<string, unknown>;
    for (const key of Object.keys(input)) if (!known.has(key)) return undefined;
    const value: Record<string, unknown> = {};
    for (const [key, check] of fields) {
      const given = input[key];
      const outcome = check(given);
      if (!outcome.ok) return undefined;
      if (outcome.value !== undefined || key in input) value[key] = outcome.value;
    }
    return value;
  };
}

/** An optional field of a kind not checked here: only its absence is. */
const absent = (v: unknown): FieldOutcome => (v === undefined ? accepted(undefined) : refused);

/** Counts of parts validated without zod, for tests (they prove the short path was taken). */
export const fastValidations = { count: 0 };

export const fastValidatorCompiler: FastifySchemaCompiler<ZodType> = (route) => {
  const zod = validatorCompiler(route);
  const fast = compileStringObject(route.schema) ?? compileStrictObject(route.schema);
  if (!fast) return zod;
  return (data) => {
    const value = fast(data);
    if (value === undefined) return zod(data);
    fastValidations.count++;
    return { value };
  };
};
