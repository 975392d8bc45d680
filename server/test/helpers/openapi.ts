/** Reading the published OpenAPI document in tests. */

const PREFIX = "#/components/schemas/";

/**
 * `value` with every `$ref` to a component schema replaced by that schema, so a test can look at
 * an operation's whole body or answer (named schemas are emitted once, under components).
 */
export function dereference(
  doc: { components?: { schemas?: Record<string, unknown> } },
  value: unknown,
): unknown {
  if (Array.isArray(value)) return value.map((item) => dereference(doc, item));
  if (value === null || typeof value !== "object") return value;
  const ref = (value as { $ref?: unknown }).$ref;
  if (typeof ref === "string" && ref.startsWith(PREFIX))
    return dereference(doc, doc.components?.schemas?.[ref.slice(PREFIX.length)]);
  return Object.fromEntries(
    Object.entries(value).map(([key, child]) => [key, dereference(doc, child)]),
  );
}
