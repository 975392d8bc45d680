/**
 * SQL for organizations' members and invitations, and nothing else. Every function takes the
 * Kysely instance to run on: the app's, or a transaction's. Single-use and last-admin rules hold
 * because each change is one conditional statement or runs under `lockOrg`.
 */
import type { Insertable, Kysely } from "kysely";

import type { Dialect } from "../../db/database.js";
import type { Database, InvitationsTable, Role } from "../../db/schema.js";
import { pendingAt } from "../../lib/invitations.js";
import { membersOf } from "../../lib/people.js";

type Db = Kysely<Database>;

/**
 * Serialises membership changes of one organization (SQLite already has one writer).
 * False when there is no such organization.
 */
export async function lockOrg(db: Db, dialect: Dialect, orgId: string): Promise<boolean> {
  const q = db.selectFrom("orgs").select("id").where("id", "=", orgId);
  const org = await (dialect === "postgres" ? q.forUpdate() : q).executeTakeFirst();
  return org !== undefined;
}

export async function renameOrg(db: Db, orgId: string, name: string) {
  return db
    .updateTable("orgs")
    .set({ name })
    .where("id", "=", orgId)
    .returning(["id", "name"])
    .executeTakeFirst();
}

export async function adminCount(db: Db, orgId: string): Promise<number> {
  const row = await db
    .selectFrom("memberships")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("org_id", "=", orgId)
    .where("role", "=", "admin")
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function findMembership(db: Db, orgId: string, userId: string) {
  return db
    .selectFrom("memberships")
    .select("role")
    .where("org_id", "=", orgId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
}

export async function listMembers(db: Db, orgId: string) {
  return (
    db
      .selectFrom("memberships")
      .innerJoin("users", "users.id", "memberships.user_id")
      // Whether each has a second factor, a confirmed authenticator app or a passkey (F16):
      // admins see who still lacks one.
      .select(["users.id as userId", "users.email", "users.name", "memberships.role"])
      .select((eb) =>
        eb
          .or([
            eb.exists(
              eb
                .selectFrom("user_totp")
                .select("user_totp.user_id")
                .whereRef("user_totp.user_id", "=", "users.id")
                .where("user_totp.confirmed_at", "is not", null),
            ),
            eb.exists(
              eb
                .selectFrom("passkeys")
                .select("passkeys.user_id")
                .whereRef("passkeys.user_id", "=", "users.id"),
            ),
          ])
          .as("hasFactor"),
      )
      .where("memberships.org_id", "=", orgId)
      .orderBy("users.email")
      .execute()
      .then((rows) =>
        rows.map(({ hasFactor, ...member }) => ({
          ...member,
          // SQLite answers 1 or 0, PostgreSQL true or false.
          secondFactor: hasFactor === true || Number(hasFactor) === 1,
        })),
      )
  );
}

export async function isMemberByEmail(db: Db, orgId: string, email: string): Promise<boolean> {
  const row = await membersOf(db, orgId)
    .select("users.id")
    .where("users.email", "=", email)
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertMembership(
  db: Db,
  row: { org_id: string; user_id: string; role: Role; created_at: number },
): Promise<void> {
  await db
    .insertInto("memberships")
    .values(row)
    .onConflict((oc) => oc.columns(["org_id", "user_id"]).doNothing())
    .execute();
}

export async function deleteMembership(db: Db, orgId: string, userId: string): Promise<void> {
  await db
    .deleteFrom("memberships")
    .where("org_id", "=", orgId)
    .where("user_id", "=", userId)
    .execute();
}

export async function setMembershipRole(
  db: Db,
  orgId: string,
  userId: string,
  role: Role,
): Promise<void> {
  await db
    .updateTable("memberships")
    .set({ role })
    .where("org_id", "=", orgId)
    .where("user_id", "=", userId)
    .execute();
}

export async function insertInvitation(db: Db, row: Insertable<InvitationsTable>): Promise<void> {
  await db.insertInto("invitations").values(row).execute();
}

/** Invitations not accepted and not expired, newest first, with who sent them. */
/**
 * A pending invitation gets a new link and a new week: one conditional UPDATE, so the old link
 * stops working in the same statement, and an accept or cancel racing it wins or loses whole.
 */
export async function renewInvitation(
  db: Db,
  args: { id: string; orgId: string; tokenHash: string; now: number; expiresAt: number },
) {
  return db
    .updateTable("invitations")
    .set({ token_hash: args.tokenHash, expires_at: args.expiresAt })
    .where("id", "=", args.id)
    .where("org_id", "=", args.orgId)
    .where(pendingAt(args.now))
    .returning(["id", "email", "role"])
    .executeTakeFirst();
}

export async function pendingInvitations(db: Db, orgId: string, now: number) {
  return db
    .selectFrom("invitations")
    .leftJoin("users", "users.id", "invitations.invited_by")
    .select([
      "invitations.id",
      "invitations.email",
      "invitations.role",
      "invitations.created_at",
      "invitations.expires_at",
      "users.id as inviterId",
      "users.email as inviterEmail",
      "users.name as inviterName",
    ])
    .where("invitations.org_id", "=", orgId)
    .where(pendingAt(now))
    .orderBy("invitations.created_at", "desc")
    .orderBy("invitations.id")
    .execute();
}

/** Deletes a pending invitation; true when this call deleted it. */
export async function deletePendingInvitation(
  db: Db,
  args: { orgId: string; invitationId: string; now: number },
): Promise<boolean> {
  const result = await db
    .deleteFrom("invitations")
    .where("id", "=", args.invitationId)
    .where("org_id", "=", args.orgId)
    .where(pendingAt(args.now))
    .executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

export async function findInvitationByTokenHash(db: Db, tokenHash: string) {
  return db
    .selectFrom("invitations")
    .innerJoin("orgs", "orgs.id", "invitations.org_id")
    .select([
      "orgs.name as orgName",
      "invitations.email",
      "invitations.role",
      "invitations.expires_at",
      "invitations.accepted_at",
    ])
    .where("invitations.token_hash", "=", tokenHash)
    .executeTakeFirst();
}

/** The caller's organizations with their role and how many members and admins each has. */
export async function membershipsWithCounts(db: Db, userId: string) {
  return db
    .selectFrom("memberships as mine")
    .innerJoin("orgs", "orgs.id", "mine.org_id")
    .select((eb) => [
      "orgs.id",
      "orgs.name",
      "mine.role",
      eb
        .selectFrom("memberships as m")
        .select((e) => e.fn.countAll<number>().as("n"))
        .whereRef("m.org_id", "=", "orgs.id")
        .as("members"),
      eb
        .selectFrom("memberships as m")
        .select((e) => e.fn.countAll<number>().as("n"))
        .whereRef("m.org_id", "=", "orgs.id")
        .where("m.role", "=", "admin")
        .as("admins"),
    ])
    .where("mine.user_id", "=", userId)
    .execute();
}

export async function findOrgName(db: Db, orgId: string) {
  const row = await db.selectFrom("orgs").select("name").where("id", "=", orgId).executeTakeFirst();
  return row?.name ?? null;
}

/**
 * Deletes the organization's row; memberships, invitations, requests and the logo go with it
 * (foreign keys with ON DELETE CASCADE). Shares have none: destroy them first.
 */
export async function deleteOrg(db: Db, orgId: string): Promise<boolean> {
  const result = await db.deleteFrom("orgs").where("id", "=", orgId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/**
 * The pending invitations an account sent (accepted ones are history), in every organization or,
 * with `orgId`, in that one alone.
 */
export async function deletePendingInvitationsBy(
  db: Db,
  userId: string,
  orgId?: string,
): Promise<void> {
  let query = db
    .deleteFrom("invitations")
    .where("invited_by", "=", userId)
    .where("accepted_at", "is", null);
  if (orgId !== undefined) query = query.where("org_id", "=", orgId);
  await query.execute();
}
