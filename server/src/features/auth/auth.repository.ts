/**
 * SQL for who is calling: users with their memberships, sessions and API tokens as the auth hook
 * reads and touches them. Every function takes the Kysely instance to run on.
 */
import type { Kysely } from "kysely";

import type { Database } from "../../db/schema.js";

type Db = Kysely<Database>;

export async function findUser(db: Db, userId: string) {
  return db
    .selectFrom("users")
    .select(["id", "email", "name", "email_verified_at"])
    .where("id", "=", userId)
    .executeTakeFirst();
}

/** The user's organizations with their role, oldest membership first. */
export async function orgsOf(db: Db, userId: string) {
  return db
    .selectFrom("memberships")
    .innerJoin("orgs", "orgs.id", "memberships.org_id")
    .select(["orgs.id", "orgs.name", "memberships.role"])
    .where("memberships.user_id", "=", userId)
    .orderBy("memberships.created_at")
    .orderBy("orgs.id")
    .execute();
}

export async function findApiToken(db: Db, tokenHash: string) {
  return db
    .selectFrom("api_tokens")
    .select(["id", "user_id", "last_used_at"])
    .where("token_hash", "=", tokenHash)
    .executeTakeFirst();
}

export async function touchApiToken(db: Db, id: string, now: number): Promise<void> {
  await db.updateTable("api_tokens").set({ last_used_at: now }).where("id", "=", id).execute();
}

export async function findSession(db: Db, tokenHash: string) {
  return db
    .selectFrom("sessions")
    .selectAll()
    .where("token_hash", "=", tokenHash)
    .executeTakeFirst();
}

export async function touchSession(db: Db, tokenHash: string, now: number): Promise<void> {
  await db
    .updateTable("sessions")
    .set({ last_seen_at: now })
    .where("token_hash", "=", tokenHash)
    .execute();
}
