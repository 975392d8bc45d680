/**
 * SQL for who is calling: users with their memberships, sessions and API tokens as the auth hook
 * reads and touches them. Every function takes the Kysely instance to run on.
 */
import { sql, type Insertable, type Kysely } from "kysely";

import type { Database, EmailTokensTable, SessionsTable } from "../../db/schema.js";

type Db = Kysely<Database>;

export async function findUser(db: Db, userId: string) {
  return db
    .selectFrom("users")
    .select(["id", "email", "name", "email_verified_at", "locale"])
    .where("id", "=", userId)
    .executeTakeFirst();
}

/** Sets (or, with null, forgets) the language the account picked. */
export async function setLocale(db: Db, userId: string, locale: string | null): Promise<void> {
  await db.updateTable("users").set({ locale }).where("id", "=", userId).execute();
}

/**
 * The user's organizations with their role, oldest membership first, and for each whether it
 * requires SSO of this account: enabled provider with `requireSso`, the account's address at one
 * of its domains, and the account not one of its break-glass admins (the rule password sign-in
 * follows, sso.service.ts). Read in the same statement, so `requireSso` is checked on every
 * request (auth.context.ts) without a query of its own.
 */
export async function orgsOf(db: Db, userId: string, emailDomain: string) {
  return db
    .selectFrom("memberships")
    .innerJoin("orgs", "orgs.id", "memberships.org_id")
    .select(["orgs.id", "orgs.name", "memberships.role"])
    .select((eb) =>
      eb
        .exists(
          eb
            .selectFrom("org_sso")
            .innerJoin("org_sso_domains", "org_sso_domains.org_id", "org_sso.org_id")
            .select("org_sso.org_id")
            .whereRef("org_sso.org_id", "=", "memberships.org_id")
            .where("org_sso.enabled", "=", 1)
            .where("org_sso.require_sso", "=", 1)
            .where("org_sso_domains.domain", "=", emailDomain)
            .where("org_sso_domains.proven_at", "is not", null)
            .where((inner) =>
              inner.or([
                inner("memberships.role", "!=", "admin"),
                inner.not(
                  inner.exists(
                    inner
                      .selectFrom("org_sso_break_glass")
                      .select("org_sso_break_glass.user_id")
                      .whereRef("org_sso_break_glass.org_id", "=", "memberships.org_id")
                      .whereRef("org_sso_break_glass.user_id", "=", "memberships.user_id"),
                  ),
                ),
              ]),
            ),
        )
        .as("sso_required"),
    )
    .where("memberships.user_id", "=", userId)
    .orderBy("memberships.created_at")
    .orderBy("orgs.id")
    .execute();
}

export async function findApiToken(db: Db, tokenHash: string) {
  return db
    .selectFrom("api_tokens")
    .select(["id", "user_id", "last_used_at", "scope", "expires_at"])
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

export async function insertSession(db: Db, row: Insertable<SessionsTable>): Promise<void> {
  await db.insertInto("sessions").values(row).execute();
}

export async function insertEmailToken(db: Db, row: Insertable<EmailTokensTable>): Promise<void> {
  await db.insertInto("email_tokens").values(row).execute();
}

/** Deletes an unexpired e-mail token of `purpose`; the user it was for, if this call found it. */
export async function spendEmailToken(
  db: Db,
  args: { tokenHash: string; purpose: "verify" | "reset"; now: number },
): Promise<string | null> {
  const row = await db
    .deleteFrom("email_tokens")
    .where("token_hash", "=", args.tokenHash)
    .where("purpose", "=", args.purpose)
    .where("expires_at", ">", args.now)
    .returning("user_id")
    .executeTakeFirst();
  return row?.user_id ?? null;
}

/**
 * Everything an unproven holder of an address got: sessions (but `keepSession`), API tokens,
 * memberships in organizations with other people, and the pending invitations they sent.
 */
export async function wipeHolder(
  db: Db,
  userId: string,
  keepSession: string | null,
): Promise<void> {
  await deleteSessionsOf(db, userId, keepSession);
  await deleteApiTokensOf(db, userId);
  await db
    .deleteFrom("memberships")
    .where("user_id", "=", userId)
    .where("org_id", "in", (eb) =>
      eb
        .selectFrom("memberships as others")
        .select("others.org_id")
        .where("others.user_id", "!=", userId),
    )
    .execute();
  await db
    .deleteFrom("invitations")
    .where("invited_by", "=", userId)
    .where("accepted_at", "is", null)
    .execute();
}

/** Whose address this is, with what sign-in checks. */
export async function findCredentialsByEmail(db: Db, email: string) {
  return db
    .selectFrom("users")
    .select(["id", "password_hash"])
    .where("email", "=", email)
    .executeTakeFirst();
}

export async function findCredentials(db: Db, userId: string) {
  return db
    .selectFrom("users")
    .select(["email", "password_hash", "email_verified_at"])
    .where("id", "=", userId)
    .executeTakeFirst();
}

/** Sets a new password hash only if the stored one is still `from`; true when this call did. */
export async function replacePasswordHash(
  db: Db,
  args: { userId: string; from: string; to: string },
): Promise<boolean> {
  const updated = await db
    .updateTable("users")
    .set({ password_hash: args.to })
    .where("id", "=", args.userId)
    .where("password_hash", "=", args.from)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

/** A reset's new password; it also proves the address, if that was not proven yet. */
export async function resetPasswordHash(
  db: Db,
  args: { userId: string; to: string; now: number },
): Promise<void> {
  await db
    .updateTable("users")
    .set({
      password_hash: args.to,
      email_verified_at: sql`coalesce(email_verified_at, ${args.now})`,
    })
    .where("id", "=", args.userId)
    .execute();
}

export async function deleteSession(db: Db, tokenHash: string): Promise<void> {
  await db.deleteFrom("sessions").where("token_hash", "=", tokenHash).execute();
}

/** Signs the user out everywhere but `keepSession` (null: everywhere), pending sign-ins too. */
export async function deleteSessionsOf(
  db: Db,
  userId: string,
  keepSession: string | null = null,
): Promise<void> {
  let sessions = db.deleteFrom("sessions").where("user_id", "=", userId);
  if (keepSession !== null) sessions = sessions.where("token_hash", "!=", keepSession);
  await sessions.execute();
  // Sign-ins waiting for their second factor go too: each began with a password that may be
  // the one just replaced, and would otherwise open a session after the change.
  await db.deleteFrom("pending_signins").where("user_id", "=", userId).execute();
}

export async function deleteApiTokensOf(db: Db, userId: string): Promise<void> {
  await db.deleteFrom("api_tokens").where("user_id", "=", userId).execute();
}

export async function deleteEmailTokensOf(
  db: Db,
  userId: string,
  purpose: "verify" | "reset",
): Promise<void> {
  await db
    .deleteFrom("email_tokens")
    .where("user_id", "=", userId)
    .where("purpose", "=", purpose)
    .execute();
}

/** The account's row; sessions, API tokens, e-mail tokens and memberships cascade with it. */
export async function deleteUser(db: Db, userId: string): Promise<void> {
  await db.deleteFrom("users").where("id", "=", userId).execute();
}

/**
 * Whether the account has a second factor (a confirmed authenticator app or a passkey), and whether any of its organizations
 * requires one (SPEC F16): read with the caller on every signed-in request.
 */
export async function secondFactorOf(db: Db, userId: string) {
  const totp = await db
    .selectFrom("user_totp")
    .select("user_id")
    .where("user_id", "=", userId)
    .where("confirmed_at", "is not", null)
    .executeTakeFirst();
  const passkey =
    totp ??
    (await db
      .selectFrom("passkeys")
      .select("user_id")
      .where("user_id", "=", userId)
      .executeTakeFirst());
  const requiring = await db
    .selectFrom("memberships")
    .innerJoin("org_second_factor", "org_second_factor.org_id", "memberships.org_id")
    .select("memberships.org_id")
    .where("memberships.user_id", "=", userId)
    .where("org_second_factor.required", "=", 1)
    .executeTakeFirst();
  return { enabled: passkey !== undefined, required: requiring !== undefined };
}
