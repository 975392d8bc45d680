/**
 * PostgreSQL named prepared statements: every statement with `DATABASE_PREPARED_STATEMENTS=on`;
 * with `auto` (the default) only the hot compiled statements run straight on the pool, with a
 * fallback to unnamed statements where the server refuses a name (direct-postgres.ts).
 *
 * Kysely sends every statement unnamed, so PostgreSQL parses, analyses and plans it on every
 * execution; for the reveal's one-statement CTE that is most of its cost (docs/deploy.md).
 * Named, a statement is parsed once per connection and, after a few executions, PostgreSQL may
 * keep a generic plan for it. `on` is not the default: PgBouncer in transaction mode hands a
 * client a different server connection per transaction, where a name prepared on another
 * connection does not exist, and a statement inside a transaction cannot be run again once the
 * server refused it; PgBouncer 1.21+ handles named statements only with `max_prepared_statements`
 * set.
 *
 * The name is a hash of the SQL text, so the same text always has the same name and two texts
 * never share one. Each connection keeps at most MAX_PREPARED_PER_CONNECTION statements
 * prepared (queries with lists of varying length have many texts); past that, new texts run
 * unnamed as before.
 */
import { createHash } from "node:crypto";

import type { PoolClient } from "pg";

export const MAX_PREPARED_PER_CONNECTION = 200;

/** Names of texts already hashed, shared by all connections; bounded like the statements. */
const namesByText = new Map<string, string>();
const MAX_REMEMBERED_NAMES = 2_000;

export function statementName(text: string): string {
  let name = namesByText.get(text);
  if (name === undefined) {
    name = `hl_${createHash("sha256").update(text).digest("base64url").slice(0, 32)}`;
    if (namesByText.size < MAX_REMEMBERED_NAMES) namesByText.set(text, name);
  }
  return name;
}

type Query = (...args: unknown[]) => unknown;

/** The names each connection has prepared (or is preparing), capped per connection. */
const preparedBy = new WeakMap<PoolClient, Set<string>>();

/**
 * The name under which `client` should send `text`: its hash, while the connection has prepared
 * it or has room for one more; undefined past MAX_PREPARED_PER_CONNECTION (run it unnamed).
 */
export function claimName(client: PoolClient, text: string): string | undefined {
  let prepared = preparedBy.get(client);
  if (!prepared) preparedBy.set(client, (prepared = new Set()));
  const name = statementName(text);
  if (prepared.has(name)) return name;
  if (prepared.size >= MAX_PREPARED_PER_CONNECTION) return undefined;
  prepared.add(name);
  return name;
}

/** Makes `client` name its parameterised statements (Kysely calls `query(text, values)`). */
export function prepareNamedStatements(client: PoolClient): void {
  const query = client.query.bind(client) as Query;
  const named: Query = (...args) => {
    const [text, values, ...rest] = args;
    if (typeof text === "string" && Array.isArray(values)) {
      const name = claimName(client, text);
      if (name !== undefined) return query({ name, text, values }, ...rest);
    }
    return query(...args);
  };
  client.query = named as PoolClient["query"];
}
