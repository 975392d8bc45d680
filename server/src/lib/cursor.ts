/** Opaque paging cursors over (created_at, id), newest first, shared by every list endpoint. */
import { sql, type RawBuilder, type SqlBool } from "kysely";

import { BadRequestError } from "../errors.js";

export interface CursorPosition {
  createdAt: number;
  id: string;
}

export function encodeCursor(createdAt: number, id: string): string {
  return Buffer.from(JSON.stringify([createdAt, id])).toString("base64url");
}

/** Throws 400 invalid_cursor for anything this server did not hand out. */
export function decodeCursor(cursor: string): CursorPosition {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(value) && typeof value[0] === "number" && typeof value[1] === "string") {
      return { createdAt: value[0], id: value[1] };
    }
  } catch {
    // fall through
  }
  throw new BadRequestError("invalid_cursor", "The cursor is not one this server returned.");
}

/**
 * The rows after `position` in (created_at, id) descending order, as one SQL condition.
 * Column names come from code, never from input.
 */
export function after(
  position: CursorPosition,
  columns: { createdAt: string; id: string },
): RawBuilder<SqlBool> {
  const createdAt = sql.ref(columns.createdAt);
  const id = sql.ref(columns.id);
  return sql<SqlBool>`(${createdAt} < ${position.createdAt} or (${createdAt} = ${position.createdAt} and ${id} < ${position.id}))`;
}
