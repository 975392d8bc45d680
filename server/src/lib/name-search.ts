import { sql, type RawBuilder } from "kysely";

/**
 * `lower(column) LIKE '%text%'` with LIKE's wildcards in the text escaped, the same on SQLite
 * and PostgreSQL (lower() on both sides: PostgreSQL's LIKE is case-sensitive, SQLite's not).
 */
export function nameContains(column: string, text: string): RawBuilder<boolean> {
  const escaped = text.toLowerCase().replace(/[!%_]/g, (c) => `!${c}`);
  return sql<boolean>`lower(${sql.ref(column)}) like ${`%${escaped}%`} escape '!'`;
}
