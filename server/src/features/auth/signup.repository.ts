/**
 * SQL of sign-up and e-mail verification (signup.service.ts). Every function takes the Kysely
 * instance to run on, so it works inside the caller's transaction.
 *
 * Open sign-up runs the same statements for a new address and a taken one (issue 15, item 7):
 * after the user INSERT, the organization, membership and verification token are written by
 * INSERT … SELECT from the new user's row, which writes nothing when the address was taken. A
 * taken address so costs the same round trips as a new one, and no statement is skipped in JS.
 */
import { sql, type Insertable, type Kysely } from "kysely";

import type { Database, Role, UsersTable } from "../../db/schema.js";

type Db = Kysely<Database>;

/** Inserts the user unless the address has an account; true when this call created it. */
export async function insertUser(db: Db, row: Insertable<UsersTable>): Promise<boolean> {
  const inserted = await db
    .insertInto("users")
    .values(row)
    .onConflict((oc) => oc.column("email").doNothing())
    .returning("id")
    .executeTakeFirst();
  return inserted !== undefined;
}

// Values selected as literals carry no column type on PostgreSQL: cast them to the target's.
const text = (value: string) => sql<string>`cast(${value} as text)`;
const bigint = (value: number) => sql<number>`cast(${value} as bigint)`;

/** The row of the user this sign-up created, to select a new row's values from. */
const fromCreatedUser = (db: Db, userId: string) =>
  db.selectFrom("users").where("users.id", "=", userId);

/** The new user's own organization, with them as its admin; nothing if `userId` was not created. */
export async function insertOwnOrg(
  db: Db,
  args: { userId: string; orgId: string; name: string; defaultLocale: string | null; now: number },
): Promise<void> {
  await db
    .insertInto("orgs")
    .columns(["id", "name", "default_locale", "created_at"])
    .expression(
      fromCreatedUser(db, args.userId).select([
        text(args.orgId).as("id"),
        text(args.name).as("name"),
        sql<string | null>`cast(${args.defaultLocale} as text)`.as("default_locale"),
        bigint(args.now).as("created_at"),
      ]),
    )
    .execute();
  await db
    .insertInto("memberships")
    .columns(["org_id", "user_id", "role", "created_at"])
    .expression(
      fromCreatedUser(db, args.userId).select([
        text(args.orgId).as("org_id"),
        "users.id as user_id",
        sql<Role>`cast(${"admin"} as text)`.as("role"),
        bigint(args.now).as("created_at"),
      ]),
    )
    .execute();
}

/** A verification token for the new user; nothing if `userId` was not created. */
export async function insertVerifyToken(
  db: Db,
  args: { userId: string; tokenHash: string; now: number; expiresAt: number },
): Promise<void> {
  await db
    .insertInto("email_tokens")
    .columns(["token_hash", "user_id", "purpose", "created_at", "expires_at"])
    .expression(
      fromCreatedUser(db, args.userId).select([
        text(args.tokenHash).as("token_hash"),
        "users.id as user_id",
        sql<"verify">`cast(${"verify"} as text)`.as("purpose"),
        bigint(args.now).as("created_at"),
        bigint(args.expiresAt).as("expires_at"),
      ]),
    )
    .execute();
}

export async function insertMembership(
  db: Db,
  row: { orgId: string; userId: string; role: Role; now: number },
): Promise<void> {
  await db
    .insertInto("memberships")
    .values({ org_id: row.orgId, user_id: row.userId, role: row.role, created_at: row.now })
    .execute();
}

/** The account an unexpired verification token is for, with what confirming it depends on. */
export async function findVerifyToken(db: Db, args: { tokenHash: string; now: number }) {
  return db
    .selectFrom("email_tokens")
    .innerJoin("users", "users.id", "email_tokens.user_id")
    .select(["users.id", "users.email", "users.email_verified_at", "users.signup_browser_hash"])
    .where("email_tokens.token_hash", "=", args.tokenHash)
    .where("email_tokens.purpose", "=", "verify")
    .where("email_tokens.expires_at", ">", args.now)
    .executeTakeFirst();
}

/**
 * Marks the address confirmed (and sets `passwordHash`, if given) unless it already is: of a
 * reset and a verification racing, only the first confirms. True when this call did.
 */
export async function confirmAddress(
  db: Db,
  args: { userId: string; now: number; passwordHash: string | null },
): Promise<boolean> {
  const updated = await db
    .updateTable("users")
    .set({
      email_verified_at: args.now,
      signup_browser_hash: null,
      ...(args.passwordHash !== null ? { password_hash: args.passwordHash } : {}),
    })
    .where("id", "=", args.userId)
    .where("email_verified_at", "is", null)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}
