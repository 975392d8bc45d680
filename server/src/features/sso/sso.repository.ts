/**
 * SQL for single sign-on (SPEC F15): an organization's provider settings, its e-mail domains and
 * break-glass admins, sign-ins under way, and the account steps of a first SSO sign-in. Every
 * function takes the Kysely instance to run on, so it works inside a transaction.
 */
import type { Insertable, Kysely } from "kysely";

import type { Database, OrgSsoTable } from "../../db/schema.js";

type Db = Kysely<Database>;

export async function findSettings(db: Db, orgId: string) {
  return db.selectFrom("org_sso").selectAll().where("org_id", "=", orgId).executeTakeFirst();
}

/** The organization's domain claims, pending and proven. */
export async function listDomains(db: Db, orgId: string) {
  return db
    .selectFrom("org_sso_domains")
    .select(["domain", "proof", "proven_at"])
    .where("org_id", "=", orgId)
    .orderBy("domain")
    .execute();
}

export async function listBreakGlass(db: Db, orgId: string): Promise<string[]> {
  const rows = await db
    .selectFrom("org_sso_break_glass")
    .select("user_id")
    .where("org_id", "=", orgId)
    .orderBy("user_id")
    .execute();
  return rows.map((r) => r.user_id);
}

/** Which of `userIds` are admins of the organization. */
export async function adminsAmong(db: Db, orgId: string, userIds: readonly string[]) {
  if (userIds.length === 0) return [];
  const rows = await db
    .selectFrom("memberships")
    .select("user_id")
    .where("org_id", "=", orgId)
    .where("role", "=", "admin")
    .where("user_id", "in", userIds)
    .execute();
  return rows.map((r) => r.user_id);
}

/**
 * Writes the settings, domain claims and break-glass list; run inside one transaction. Claims
 * already held keep their proof and state; new ones start pending with `newProof()`.
 */
export async function saveSettings(
  db: Db,
  row: OrgSsoTable,
  domains: readonly string[],
  breakGlass: readonly string[],
  newProof: () => string,
): Promise<void> {
  const { org_id: orgId, ...rest } = row;
  await db
    .insertInto("org_sso")
    .values(row)
    .onConflict((oc) => oc.column("org_id").doUpdateSet(rest))
    .execute();
  let dropped = db.deleteFrom("org_sso_domains").where("org_id", "=", orgId);
  if (domains.length > 0) dropped = dropped.where("domain", "not in", domains);
  await dropped.execute();
  if (domains.length > 0)
    await db
      .insertInto("org_sso_domains")
      .values(
        domains.map((domain) => ({
          org_id: orgId,
          domain,
          proof: newProof(),
          created_at: row.updated_at,
          proven_at: null,
        })),
      )
      .onConflict((oc) => oc.columns(["org_id", "domain"]).doNothing())
      .execute();
  await db.deleteFrom("org_sso_break_glass").where("org_id", "=", orgId).execute();
  if (breakGlass.length > 0)
    await db
      .insertInto("org_sso_break_glass")
      .values(breakGlass.map((user_id) => ({ org_id: orgId, user_id })))
      .execute();
}

/** The provider of the organization that proved `domain`, enabled or not. */
export async function findByDomain(db: Db, domain: string) {
  return db
    .selectFrom("org_sso_domains")
    .innerJoin("org_sso", "org_sso.org_id", "org_sso_domains.org_id")
    .selectAll("org_sso")
    .where("org_sso_domains.domain", "=", domain)
    .where("org_sso_domains.proven_at", "is not", null)
    .executeTakeFirst();
}

/** Whether the organization holds `domain` proven (a pending claim routes nothing). */
export async function domainOwnedBy(db: Db, orgId: string, domain: string) {
  const row = await db
    .selectFrom("org_sso_domains")
    .select("domain")
    .where("org_id", "=", orgId)
    .where("domain", "=", domain)
    .where("proven_at", "is not", null)
    .executeTakeFirst();
  return row !== undefined;
}

export async function findClaim(db: Db, orgId: string, domain: string) {
  return db
    .selectFrom("org_sso_domains")
    .select(["domain", "proof", "proven_at"])
    .where("org_id", "=", orgId)
    .where("domain", "=", domain)
    .executeTakeFirst();
}

/**
 * Marks the claim proven, DNS having shown `proof` (run in one transaction). DNS is the authority:
 * another organization's proven claim on the domain goes back to pending first (the partial
 * unique index allows one proven claim per domain). The claim is proven by one conditional
 * UPDATE, guarded by the proof that was looked up, so a claim dropped or re-made meanwhile is not.
 * Answers the organization that lost the domain, if one did, or false when the claim is gone.
 */
export async function proveClaim(
  db: Db,
  args: { orgId: string; domain: string; proof: string; now: number },
) {
  const moved = await db
    .updateTable("org_sso_domains")
    .set({ proven_at: null })
    .where("domain", "=", args.domain)
    .where("org_id", "!=", args.orgId)
    .where("proven_at", "is not", null)
    .returning("org_id")
    .executeTakeFirst();
  const proven = await db
    .updateTable("org_sso_domains")
    .set({ proven_at: args.now })
    .where("org_id", "=", args.orgId)
    .where("domain", "=", args.domain)
    .where("proof", "=", args.proof)
    .executeTakeFirst();
  return { proven: Number(proven.numUpdatedRows) === 1, movedFrom: moved?.org_id ?? null };
}

export async function isBreakGlass(db: Db, orgId: string, userId: string) {
  const row = await db
    .selectFrom("org_sso_break_glass")
    .innerJoin("memberships", (j) =>
      j
        .onRef("memberships.org_id", "=", "org_sso_break_glass.org_id")
        .onRef("memberships.user_id", "=", "org_sso_break_glass.user_id"),
    )
    .select("org_sso_break_glass.user_id")
    .where("org_sso_break_glass.org_id", "=", orgId)
    .where("org_sso_break_glass.user_id", "=", userId)
    .where("memberships.role", "=", "admin")
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertLogin(db: Db, row: Database["sso_logins"], now: number) {
  // Sign-ins nobody finished go here, with no job of their own.
  await db.deleteFrom("sso_logins").where("expires_at", "<=", now).execute();
  await db.insertInto("sso_logins").values(row).execute();
}

/** Takes a sign-in under way once: the DELETE that finds it is the one that spends it. */
export async function takeLogin(db: Db, stateHash: string, now: number) {
  return db
    .deleteFrom("sso_logins")
    .where("state_hash", "=", stateHash)
    .where("expires_at", ">", now)
    .returning(["org_id", "sealed", "return_to"])
    .executeTakeFirst();
}

export async function findUserByEmail(db: Db, email: string) {
  return db
    .selectFrom("users")
    .select(["id", "email_verified_at"])
    .where("email", "=", email)
    .executeTakeFirst();
}

/** A new account, unless the address has one: one statement, safe under concurrent sign-ins. */
export async function insertUserUnlessTaken(db: Db, user: Insertable<Database["users"]>) {
  await db
    .insertInto("users")
    .values(user)
    .onConflict((oc) => oc.column("email").doNothing())
    .execute();
}

/**
 * The provider proved the address: the account counts as confirmed from now on, and
 * `passwordHash` replaces the password its unproven holder chose.
 */
export async function markVerified(db: Db, userId: string, at: number, passwordHash: string) {
  await db
    .updateTable("users")
    .set({ email_verified_at: at, signup_browser_hash: null, password_hash: passwordHash })
    .where("id", "=", userId)
    .where("email_verified_at", "is", null)
    .execute();
}

/** Membership is a lookup of people (lib/people.ts), shared with the other features. */
export { isMember } from "../../lib/people.js";

/** Joins as a member unless a member already (any role kept). */
export async function joinAsMember(db: Db, orgId: string, userId: string, at: number) {
  await db
    .insertInto("memberships")
    .values({ org_id: orgId, user_id: userId, role: "member", created_at: at })
    .onConflict((oc) => oc.columns(["org_id", "user_id"]).doNothing())
    .execute();
}

/** The account a provider's subject signed in to before, if any. */
export async function findIdentity(db: Db, issuer: string, subject: string) {
  const row = await db
    .selectFrom("sso_identities")
    .select("user_id")
    .where("issuer", "=", issuer)
    .where("subject", "=", subject)
    .executeTakeFirst();
  return row?.user_id;
}

export async function hasIdentityAt(db: Db, userId: string, issuer: string) {
  const row = await db
    .selectFrom("sso_identities")
    .select("subject")
    .where("user_id", "=", userId)
    .where("issuer", "=", issuer)
    .executeTakeFirst();
  return row !== undefined;
}

/** Links the subject to the account unless either is linked already (both keys unique). */
export async function insertIdentity(db: Db, row: Database["sso_identities"]) {
  await db
    .insertInto("sso_identities")
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** A unique index refused the write (PostgreSQL's 23505, SQLite's constraint code). */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "23505" || code === "SQLITE_CONSTRAINT_UNIQUE";
}
