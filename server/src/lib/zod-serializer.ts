/**
 * Fastify's response serialiser: a JSON writer compiled once per response schema, with zod as
 * the judge of anything it does not know (issue 24).
 *
 * fastify-type-provider-zod's serialiser runs zod's `safeEncode` over every answer (walking the
 * schema, checking each value and building a stripped copy) and then `JSON.stringify`s the copy.
 * For a plain `z.object` (no catch-all, no object-level checks) this writes the same JSON
 * directly: the schema's keys in the schema's order, and only those, so a field the schema does
 * not list never reaches the client (zod's strip). Fields of the simple kinds (a string or
 * boolean, a number with at most an integer check, an enum, a literal, each maybe nullable or
 * optional) are checked here as zod checks them; any other field (a nested object, an array,
 * a default…) is encoded by zod itself, field by field. Whenever a value is not what its field
 * accepts, the answer is serialised by zod from the start, which throws zod's error as before.
 * Any other schema is zod's from the start.
 */
import type { FastifySerializerCompiler } from "fastify";
import { serializerCompiler } from "fastify-type-provider-zod";
import { safeEncode, type ZodType } from "zod";

/** What zod keeps in `_zod.def` of the schemas this file looks into. */
interface Def {
  type: string;
  checks?: { _zod: { def: { check?: string; format?: string } } }[];
  coerce?: boolean;
  innerType?: ZodType;
  shape?: Record<string, ZodType>;
  catchall?: ZodType;
  entries?: Record<string, string | number>;
  values?: readonly unknown[];
}

const defOf = (schema: ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Writes a value as JSON, or returns undefined when it is not what the field accepts. */
type Leaf = (value: unknown) => string | undefined;

/** A field's writer when zod's check for it is one of these; else undefined. */
function leafOf(schema: ZodType): Leaf | undefined {
  const def = defOf(schema);
  const checks = def.checks ?? [];
  switch (def.type) {
    case "string":
      if (checks.length > 0 || def.coerce) return undefined;
      return (v) => (typeof v === "string" ? JSON.stringify(v) : undefined);
    case "boolean":
      if (checks.length > 0 || def.coerce) return undefined;
      return (v) => (v === true ? "true" : v === false ? "false" : undefined);
    case "number": {
      if (def.coerce) return undefined;
      const integer = checks.length === 1 && checks[0]!._zod.def.format === "safeint";
      if (checks.length > 0 && !integer) return undefined;
      return integer
        ? (v) => (Number.isSafeInteger(v) ? String(v) : undefined)
        : (v) => (typeof v === "number" && Number.isFinite(v) ? String(v) : undefined);
    }
    case "enum": {
      const allowed = new Set<unknown>(Object.values(def.entries ?? {}));
      return (v) =>
        (typeof v === "string" || typeof v === "number") && allowed.has(v)
          ? JSON.stringify(v)
          : undefined;
    }
    case "literal": {
      const values: readonly unknown[] = def.values ?? [];
      if (!values.every((v) => typeof v === "string" || typeof v === "boolean")) return undefined;
      const allowed = new Set<unknown>(values);
      return (v) => (allowed.has(v) ? JSON.stringify(v) : undefined);
    }
    case "nullable": {
      const inner = def.innerType && leafOf(def.innerType);
      return inner && ((v) => (v === null ? "null" : inner(v)));
    }
    default:
      return undefined;
  }
}

/** What a field's writer gives for a value zod leaves out of the answer. */
const OMIT = Symbol("omit");
/** Writes a field's value as JSON; undefined when the value is not what the field accepts. */
type Write = (value: unknown) => string | typeof OMIT | undefined;

interface Field {
  /** `"name":` */
  key: string;
  name: string;
  optional: boolean;
  write: Write;
}

/** One field; fields of other kinds are encoded by zod, one value at a time. */
function fieldOf(name: string, schema: ZodType): Field {
  const def = defOf(schema);
  const optional = def.type === "optional" && def.innerType !== undefined;
  const inner = optional ? def.innerType! : schema;
  const write: Write =
    leafOf(inner) ??
    ((v) => {
      const result = safeEncode(inner, v);
      if (!result.success) return undefined;
      return result.data === undefined ? OMIT : JSON.stringify(result.data);
    });
  return { key: `${JSON.stringify(name)}:`, name, optional, write };
}

/** The compiled writer of a plain object schema, or undefined for any other schema. */
export function compileObjectWriter(
  schema: ZodType,
): ((data: unknown) => string | undefined) | undefined {
  const def = defOf(schema);
  if (def.type !== "object" || !def.shape || def.catchall !== undefined) return undefined;
  if ((def.checks ?? []).length > 0) return undefined;
  const fields = Object.entries(def.shape).map(([name, field]) => fieldOf(name, field));
  return (data) => {
    if (typeof data !== "object" || data === null || Array.isArray(data)) return undefined;
    const record = data as Record<string, unknown>;
    let json = "";
    for (const field of fields) {
      const value = record[field.name];
      if (value === undefined && field.optional) continue;
      const written = field.write(value);
      if (written === undefined) return undefined;
      if (written === OMIT) continue;
      json += json === "" ? `{${field.key}${written}` : `,${field.key}${written}`;
    }
    return json === "" ? "{}" : `${json}}`;
  };
}

/** Counts of answers written by the compiled writer and by zod, for tests. */
export const serialised = { compiled: 0, zod: 0 };

/**
 * Fastify's serializer compiler: the compiled writer where the schema allows, zod's (from
 * fastify-type-provider-zod) for every other schema and whenever the writer declines.
 */
export const fastSerializerCompiler: FastifySerializerCompiler<ZodType> = (route) => {
  const zod = serializerCompiler(route);
  const schema = route.schema as ZodType | { properties?: ZodType };
  const writer = schema && "_zod" in schema ? compileObjectWriter(schema) : undefined;
  if (!writer) return zod;
  return (data: unknown) => {
    const json = writer(data);
    if (json !== undefined) {
      serialised.compiled++;
      return json;
    }
    serialised.zod++;
    return zod(data);
  };
};
