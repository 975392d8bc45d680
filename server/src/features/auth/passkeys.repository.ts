/**
 * SQL for passkeys (SPEC F16) and the WebAuthn challenges their ceremonies use. A challenge is
 * taken by the one DELETE that finds it, so of two answers to the same challenge exactly one goes
 * on; a signature counter moves only forward, by one conditional UPDATE.
 */
import type { Insertable, Kysely } from "kysely";

import type { Database, PasskeysTable, WebauthnChallengesTable } from "../../db/schema.js";
import { countOfAccount } from "./second-factor.repository.js";

type Db = Kysely<Database>;
type Purpose = WebauthnChallengesTable["purpose"];

export async function insertChallenge(
  db: Db,
  row: Insertable<WebauthnChallengesTable>,
): Promise<void> {
  await db.insertInto("webauthn_challenges").values(row).execute();
}

/**
 * Spends a live challenge of `purpose` bound to `bound` (the account for a registration, the
 * pending sign-in for a second step, nothing for a sign-in without a password); true for the one
 * call that took it.
 */
export async function takeChallenge(
  db: Db,
  args: {
    challengeHash: string;
    purpose: Purpose;
    userId?: string;
    pendingHash?: string;
    now: number;
  },
): Promise<boolean> {
  let query = db
    .deleteFrom("webauthn_challenges")
    .where("challenge_hash", "=", args.challengeHash)
    .where("purpose", "=", args.purpose)
    .where("expires_at", ">", args.now);
  if (args.userId !== undefined) query = query.where("user_id", "=", args.userId);
  if (args.pendingHash !== undefined) query = query.where("pending_hash", "=", args.pendingHash);
  const row = await query.returning("challenge_hash").executeTakeFirst();
  return row !== undefined;
}

/** Deletes the challenges past their expiry (the sweep); how many went. */
export async function sweepChallenges(db: Db, now: number): Promise<number> {
  const result = await db
    .deleteFrom("webauthn_challenges")
    .where("expires_at", "<=", now)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** False when the credential is stored already (under any account). */
export async function insertPasskey(db: Db, row: Insertable<PasskeysTable>): Promise<boolean> {
  const inserted = await db
    .insertInto("passkeys")
    .values(row)
    .onConflict((oc) => oc.column("credential_id").doNothing())
    .returning("id")
    .executeTakeFirst();
  return inserted !== undefined;
}

const listed = ["id", "name", "created_at", "last_used_at"] as const;

export async function listPasskeys(db: Db, userId: string) {
  return db
    .selectFrom("passkeys")
    .select(listed)
    .where("user_id", "=", userId)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
}

export async function findPasskey(db: Db, userId: string, id: string) {
  return db
    .selectFrom("passkeys")
    .select(listed)
    .where("user_id", "=", userId)
    .where("id", "=", id)
    .executeTakeFirst();
}

/** The credential ids of an account, so a browser does not add the same authenticator twice. */
export async function credentialsOf(db: Db, userId: string) {
  return db
    .selectFrom("passkeys")
    .select(["credential_id", "transports"])
    .where("user_id", "=", userId)
    .execute();
}

/** The passkey with this credential id, whoever's it is. */
export async function findByCredential(db: Db, credentialId: string) {
  return db
    .selectFrom("passkeys")
    .selectAll()
    .where("credential_id", "=", credentialId)
    .executeTakeFirst();
}

export const countPasskeys = (db: Db, userId: string) => countOfAccount(db, "passkeys", userId);

/**
 * Records a use whose signature was checked against the counter `from` (which it passed: it went
 * forward, or both are 0 for authenticators that keep none). Guarded by `from`, so of two uses
 * racing with the same counter (a cloned key) only one is recorded.
 */
export async function recordUse(
  db: Db,
  args: { id: string; from: number; counter: number; now: number },
): Promise<boolean> {
  const done = await db
    .updateTable("passkeys")
    .set({ sign_count: args.counter, last_used_at: args.now })
    .where("id", "=", args.id)
    .where("sign_count", "=", args.from)
    .executeTakeFirst();
  return Number(done.numUpdatedRows) === 1;
}

export async function renamePasskey(
  db: Db,
  args: { userId: string; id: string; name: string },
): Promise<boolean> {
  const done = await db
    .updateTable("passkeys")
    .set({ name: args.name })
    .where("user_id", "=", args.userId)
    .where("id", "=", args.id)
    .executeTakeFirst();
  return Number(done.numUpdatedRows) === 1;
}

export async function deletePasskey(db: Db, userId: string, id: string): Promise<boolean> {
  const row = await db
    .deleteFrom("passkeys")
    .where("user_id", "=", userId)
    .where("id", "=", id)
    .returning("id")
    .executeTakeFirst();
  return row !== undefined;
}

export async function deletePasskeysOf(db: Db, userId: string): Promise<void> {
  await db.deleteFrom("passkeys").where("user_id", "=", userId).execute();
}
