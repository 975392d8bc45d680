/**
 * Named component schemas for the OpenAPI document. The protocol's zod schemas carry ids
 * (`.meta({ id })`); fastify-type-provider-zod turns every id into two components, `X` (as
 * answered) and `XInput` (as accepted), and emits all of them. This keeps the ones the
 * operations reach, and calls an `XInput` plain `X` where nothing else takes that name or the
 * two are the same schema, so clients see one `Kdf`, one `CreateShareBody`.
 */
import { z } from "zod";

type Json = unknown;
const PREFIX = "#/components/schemas/";

function refsIn(value: Json, found: Set<string>): Set<string> {
  if (Array.isArray(value)) for (const item of value) refsIn(item, found);
  else if (value !== null && typeof value === "object") {
    for (const [key, child] of Object.entries(value)) {
      if (key === "$ref" && typeof child === "string" && child.startsWith(PREFIX))
        found.add(child.slice(PREFIX.length));
      else refsIn(child, found);
    }
  }
  return found;
}

function renameRefs<T>(value: T, names: Map<string, string>): T {
  return JSON.parse(JSON.stringify(value), (key, child: unknown) =>
    key === "$ref" && typeof child === "string" && child.startsWith(PREFIX)
      ? PREFIX + (names.get(child.slice(PREFIX.length)) ?? child.slice(PREFIX.length))
      : child,
  ) as T;
}

/** The components reachable from the operations, following `$ref`s inside components too. */
function reachable(paths: Json, schemas: Record<string, Json>): Set<string> {
  const seen = new Set<string>();
  const queue = [...refsIn(paths, new Set())];
  for (let name = queue.pop(); name !== undefined; name = queue.pop()) {
    if (seen.has(name)) continue;
    seen.add(name);
    queue.push(...refsIn(schemas[name], new Set()));
  }
  return seen;
}

interface DocumentLike {
  paths?: unknown;
  components?: { schemas?: Record<string, unknown> };
}

export function tidyComponents<D extends DocumentLike>(document: D): D {
  const schemas: Record<string, Json> = document.components?.schemas ?? {};
  const used = reachable(document.paths, schemas);
  const names = new Map<string, string>();
  // Repeat until stable: an input that refers to another input equals its output only once
  // that other input has been merged.
  for (let changed = true; changed;) {
    changed = false;
    for (const name of used) {
      const base = name.endsWith("Input") ? name.slice(0, -"Input".length) : null;
      if (base === null || names.has(name) || !(base in schemas)) continue;
      const same =
        JSON.stringify(renameRefs(schemas[name], names)) === JSON.stringify(schemas[base]);
      if (!used.has(base) || same) {
        names.set(name, base);
        changed = true;
      }
    }
  }
  const kept: Record<string, Json> = {};
  for (const name of [...used].sort()) {
    const target = names.get(name) ?? name;
    if (!(target in kept) || target === name) kept[target] = renameRefs(schemas[name], names);
  }
  const sorted = Object.fromEntries(
    Object.keys(kept)
      .sort()
      .map((name) => [name, kept[name]]),
  );
  return renameRefs(
    {
      ...document,
      components: { ...document.components, schemas: sorted },
    },
    names,
  );
}

/**
 * Ids live in zod's global registry, where the last schema registered under an id wins. Bodies
 * built from a server's configured limits (`createShareBody(config.limits)`) are registered once
 * per app, so before a document is built this app's own instances are registered again.
 */
export function collectNamedSchemas(schema: { body?: unknown; response?: unknown } | undefined) {
  const named: z.ZodType[] = [];
  const visit = (value: unknown) => {
    if (value instanceof z.ZodType && z.globalRegistry.get(value)?.id !== undefined)
      named.push(value);
  };
  if (!schema) return named;
  visit(schema.body);
  const response = schema.response as Record<string, unknown> | undefined;
  for (const value of Object.values(response ?? {})) visit(value);
  return named;
}

export function registerAgain(schemas: Iterable<z.ZodType>): void {
  for (const schema of schemas) {
    const meta = z.globalRegistry.get(schema);
    if (meta) z.globalRegistry.add(schema, meta);
  }
}

interface Media {
  schema?: { type?: string; anyOf?: { type?: string }[] };
}
type Operations = Record<
  string,
  Record<string, { requestBody?: { required?: boolean; content?: Record<string, Media> } }>
>;

/**
 * Fastify needs a body schema even where the body may be left out, and @fastify/swagger then
 * marks every body required. A body whose schema also accepts null is optional: say so, and
 * describe the body without the null.
 */
export function optionalBodies<D extends DocumentLike>(document: D): D {
  for (const operations of Object.values((document.paths ?? {}) as Operations)) {
    for (const operation of Object.values(operations)) {
      const body = operation.requestBody;
      for (const media of Object.values(body?.content ?? {})) {
        const branches = media.schema?.anyOf;
        if (!body || !branches?.some((branch) => branch.type === "null")) continue;
        const rest = branches.filter((branch) => branch.type !== "null");
        media.schema = rest.length === 1 ? rest[0] : { anyOf: rest };
        body.required = false;
      }
    }
  }
  return document;
}
