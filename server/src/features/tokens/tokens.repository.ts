/** SQL for personal API tokens, and nothing else. Every function takes the Kysely instance. */
import type { Insertable, Kysely } from "kysely";

import type { ApiTokensTable, Database } from "../../db/schema.js";

type Db = Kysely<Database>;

export async function insertToken(db: Db, row: Insertable<ApiTokensTable>): Promise<void> {
  await db.insertInto("api_tokens").values(row).execute();
}

/** A user's tokens, newest first; never their hashes. */
export async function tokensOf(db: Db, userId: string) {
  return db
    .selectFrom("api_tokens")
    .select(["id", "name", "created_at", "last_used_at", "scope", "expires_at"])
    .where("user_id", "=", userId)
    .orderBy("created_at", "desc")
    .execute();
}

/** Deletes one of the user's tokens; true when this call deleted it. */
export async function deleteToken(db: Db, userId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom("api_tokens")
    .where("id", "=", id)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) !== 0;
}
