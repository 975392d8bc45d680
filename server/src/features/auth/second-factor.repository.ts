/**
 * SQL for second factors (SPEC F16): the authenticator app's sealed secret, recovery codes
 * (hashed), and pending sign-ins (hashed tokens). Every use of a code or token is one conditional
 * statement, so two requests racing with the same code cannot both succeed.
 */
import type { ExpressionBuilder, Kysely } from "kysely";

import type { Dialect } from "../../db/database.js";
import type { Database } from "../../db/schema.js";
import { membersOf } from "../../lib/people.js";

type Db = Kysely<Database>;

/**
 * Serialises changes to one account's factors (authenticator, passkeys, recovery codes). Whether
 * recovery codes go or come depends on the other factors, so each change reads them; under
 * PostgreSQL's READ COMMITTED a factor another transaction adds or removes meanwhile is not seen
 * (an app turned off while a first passkey is added left the passkey without codes). Every
 * transaction that adds or removes a factor takes the account's row first, so they run one after
 * the other and each statement after the lock sees the others' commits. SQLite has one writer.
 */
export async function lockFactors(db: Db, dialect: Dialect, userId: string): Promise<void> {
  const q = db.selectFrom("users").select("id").where("id", "=", userId);
  await (dialect === "postgres" ? q.forUpdate() : q).executeTakeFirst();
}

/** Whether the account has a factor in force (an authenticator confirmed, or a passkey). */
export async function hasFactor(db: Db, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom("users")
    .select((eb) => anyFactor(db, eb, userId).as("any"))
    .where("users.id", "=", userId)
    .executeTakeFirst();
  return Boolean(row?.any);
}

/** An authenticator confirmed or a passkey of the account exists (for a WHERE or a SELECT). */
function anyFactor<T extends keyof Database>(
  db: Db,
  eb: ExpressionBuilder<Database, T>,
  userId: string,
) {
  return eb.or([
    eb.exists(
      db
        .selectFrom("user_totp")
        .select("user_totp.user_id")
        .where("user_totp.user_id", "=", userId)
        .where("user_totp.confirmed_at", "is not", null),
    ),
    eb.exists(
      db.selectFrom("passkeys").select("passkeys.id").where("passkeys.user_id", "=", userId),
    ),
  ]);
}

export async function findTotp(db: Db, userId: string) {
  return db.selectFrom("user_totp").selectAll().where("user_id", "=", userId).executeTakeFirst();
}

/**
 * Starts (or restarts) an enrolment: the unconfirmed secret is replaced, a confirmed one never.
 * True when the row now holds `sealed` unconfirmed.
 */
export async function startTotp(
  db: Db,
  row: { userId: string; sealed: string; now: number },
): Promise<boolean> {
  await db
    .insertInto("user_totp")
    .values({ user_id: row.userId, secret_sealed: row.sealed, created_at: row.now })
    .onConflict((oc) =>
      oc
        .column("user_id")
        .doUpdateSet({ secret_sealed: row.sealed, created_at: row.now })
        .where("user_totp.confirmed_at", "is", null),
    )
    .execute();
  const after = await findTotp(db, row.userId);
  return after?.confirmed_at === null && after.secret_sealed === row.sealed;
}

/**
 * Confirms the enrolment holding `sealed`, spending `step`, if it started after `startedAfter`
 * (null: whenever); false if another call won or it is older.
 */
export async function confirmTotp(
  db: Db,
  args: { userId: string; sealed: string; step: number; now: number; startedAfter: number | null },
): Promise<boolean> {
  let query = db
    .updateTable("user_totp")
    .set({ confirmed_at: args.now, last_step: args.step })
    .where("user_id", "=", args.userId)
    .where("secret_sealed", "=", args.sealed)
    .where("confirmed_at", "is", null);
  if (args.startedAfter !== null) query = query.where("created_at", ">", args.startedAfter);
  const done = await query.executeTakeFirst();
  return Number(done.numUpdatedRows) === 1;
}

/**
 * Spends a code's time step: succeeds only for a step after the last one accepted, so a code
 * (and any older one) works once.
 */
export async function spendTotpStep(db: Db, userId: string, step: number): Promise<boolean> {
  const done = await db
    .updateTable("user_totp")
    .set({ last_step: step })
    .where("user_id", "=", userId)
    .where("confirmed_at", "is not", null)
    .where((eb) => eb.or([eb("last_step", "is", null), eb("last_step", "<", step)]))
    .executeTakeFirst();
  return Number(done.numUpdatedRows) === 1;
}

/**
 * Removes the account's authenticator, in force or half set up; true when one in force went (the
 * audit log's totp.disabled: an unfinished set-up was never on).
 */
export async function deleteTotp(db: Db, userId: string): Promise<boolean> {
  const row = await db
    .deleteFrom("user_totp")
    .where("user_id", "=", userId)
    .returning("confirmed_at")
    .executeTakeFirst();
  return row?.confirmed_at != null;
}

export async function replaceRecoveryCodes(
  db: Db,
  args: { userId: string; hashes: string[]; now: number },
): Promise<void> {
  await deleteRecoveryCodes(db, args.userId);
  await db
    .insertInto("recovery_codes")
    .values(args.hashes.map((h) => ({ user_id: args.userId, code_hash: h, created_at: args.now })))
    .execute();
}

export async function deleteRecoveryCodes(db: Db, userId: string): Promise<void> {
  await db.deleteFrom("recovery_codes").where("user_id", "=", userId).execute();
}

/**
 * Deletes the recovery codes once no factor remains, deciding in the same statement; run under
 * lockFactors, so a factor added or removed concurrently is either seen or waits.
 */
export async function deleteRecoveryCodesIfNoFactor(db: Db, userId: string): Promise<void> {
  await db
    .deleteFrom("recovery_codes")
    .where("user_id", "=", userId)
    .where((eb) => eb.not(anyFactor(db, eb, userId)))
    .execute();
}

/** Spends a recovery code: the DELETE that finds it is the one that uses it. */
export async function spendRecoveryCode(db: Db, userId: string, hash: string): Promise<boolean> {
  const row = await db
    .deleteFrom("recovery_codes")
    .where("user_id", "=", userId)
    .where("code_hash", "=", hash)
    .returning("code_hash")
    .executeTakeFirst();
  return row !== undefined;
}

/** How many of its passkeys or of its unused recovery codes an account has. */
export async function countOfAccount(
  db: Db,
  table: "passkeys" | "recovery_codes",
  userId: string,
): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("user_id", "=", userId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export const countRecoveryCodes = (db: Db, userId: string) =>
  countOfAccount(db, "recovery_codes", userId);

export async function insertPending(
  db: Db,
  row: { tokenHash: string; userId: string; now: number; expiresAt: number },
): Promise<void> {
  await db
    .insertInto("pending_signins")
    .values({
      token_hash: row.tokenHash,
      user_id: row.userId,
      created_at: row.now,
      expires_at: row.expiresAt,
    })
    .execute();
}

/** The pending sign-in's account with its address, while it lives and has tries left. */
export async function findPending(db: Db, tokenHash: string, now: number, maxTries: number) {
  return db
    .selectFrom("pending_signins")
    .innerJoin("users", "users.id", "pending_signins.user_id")
    .select(["pending_signins.user_id", "users.email"])
    .where("pending_signins.token_hash", "=", tokenHash)
    .where("pending_signins.expires_at", ">", now)
    .where("pending_signins.failures", "<", maxTries)
    .executeTakeFirst();
}

/** Ends a pending sign-in; true for the call that ended it (only one may become a session). */
export async function takePending(db: Db, tokenHash: string, now: number): Promise<boolean> {
  const row = await db
    .deleteFrom("pending_signins")
    .where("token_hash", "=", tokenHash)
    .where("expires_at", ">", now)
    .returning("token_hash")
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Takes one of a live pending sign-in's `maxTries` tries, before its code is looked at: one
 * conditional UPDATE that counts the try and finds whether one was left, so concurrent guesses on
 * any instance get `maxTries` comparisons between them (each row lock re-checks the count). The
 * column keeps its name, `failures`: a try that succeeds ends the pending sign-in (takePending),
 * so what it counts on a live row is the tries that failed or are being checked. False: no try
 * left, or the pending sign-in is gone or expired. One with none left stays until it expires
 * (the sweeper deletes it), refused by this and by findPending.
 */
export async function takePendingTry(
  db: Db,
  tokenHash: string,
  now: number,
  maxTries: number,
): Promise<boolean> {
  const row = await db
    .updateTable("pending_signins")
    .set((eb) => ({ failures: eb("failures", "+", 1) }))
    .where("token_hash", "=", tokenHash)
    .where("expires_at", ">", now)
    .where("failures", "<", maxTries)
    .returning("failures")
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Gives back a try taken by takePendingTry whose code was never looked at (the back-off refused
 * it with 429): a paused attempt costs the pending sign-in nothing, as before the take.
 */
export async function returnPendingTry(db: Db, tokenHash: string): Promise<void> {
  await db
    .updateTable("pending_signins")
    .set((eb) => ({ failures: eb("failures", "-", 1) }))
    .where("token_hash", "=", tokenHash)
    .where("failures", ">", 0)
    .execute();
}

/** Deletes the pending sign-ins past their expiry; how many went. */
export async function sweepPending(db: Db, now: number): Promise<number> {
  const result = await db
    .deleteFrom("pending_signins")
    .where("expires_at", "<=", now)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function orgRequirement(db: Db, orgId: string): Promise<boolean> {
  const row = await db
    .selectFrom("org_second_factor")
    .select("required")
    .where("org_id", "=", orgId)
    .executeTakeFirst();
  return row?.required === 1;
}

export async function setOrgRequirement(
  db: Db,
  args: { orgId: string; required: boolean; now: number },
): Promise<void> {
  const required = args.required ? 1 : 0;
  await db
    .insertInto("org_second_factor")
    .values({ org_id: args.orgId, required, updated_at: args.now })
    .onConflict((oc) => oc.column("org_id").doUpdateSet({ required, updated_at: args.now }))
    .execute();
}

/**
 * Whether `userId` belongs to an organization that `adminId` does not administer and that has
 * other members: an account's factors guard all of its organizations, so only an admin of each
 * may take them away. An organization of the account alone (the one a sign-up makes) guards
 * nobody else, so it does not stand in the way of a lost phone's reset.
 */
export async function inOrgNotAdministeredBy(db: Db, userId: string, adminId: string) {
  const row = await db
    .selectFrom("memberships as m")
    .select("m.org_id")
    .where("m.user_id", "=", userId)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom("memberships as a")
            .select("a.org_id")
            .whereRef("a.org_id", "=", "m.org_id")
            .where("a.user_id", "=", adminId)
            .where("a.role", "=", "admin"),
        ),
      ),
    )
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom("memberships as o")
          .select("o.org_id")
          .whereRef("o.org_id", "=", "m.org_id")
          .where("o.user_id", "!=", userId),
      ),
    )
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** The member's address, if `userId` is a member of `orgId`. */
export async function memberEmail(db: Db, orgId: string, userId: string) {
  const row = await membersOf(db, orgId)
    .select("users.email")
    .where("memberships.user_id", "=", userId)
    .executeTakeFirst();
  return row?.email;
}
