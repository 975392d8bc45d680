/**
 * Accounts (SPEC F8): sign-up, verification, sign-in, sign-out, password reset and change. Sign-in
 * and reset answer the same for known and unknown addresses; tokens are random, single-use and
 * stored hashed. Wrong passwords at sign-in and at a change count toward one lock-out.
 */
import { sql, type Kysely } from "kysely";

import type { Clock } from "../../clock.js";
import { writeTransaction, type DatabaseHandle } from "../../db/database.js";
import type { Database } from "../../db/schema.js";
import { BadRequestError, ConflictError, ForbiddenError, UnauthorizedError } from "../../errors.js";
import { oneLine, type MailQueue } from "../../lib/mail-queue.js";
import { hashToken, newId, newToken } from "../../lib/tokens.js";
import { SESSION_ABSOLUTE_MS } from "./auth.context.js";
import { checkNewPassword, hashPassword, verifyPassword } from "./passwords.js";

const VERIFY_TTL_MS = 48 * 3600 * 1000;
const RESET_TTL_MS = 30 * 60 * 1000;
const MAX_FAILED_LOGINS = 10;
const LOCK_MS = 15 * 60 * 1000;

export interface NewSession {
  token: string;
  csrfToken: string;
  expiresAt: number;
}

export function createAuthService(deps: {
  database: Pick<DatabaseHandle, "db" | "dialect">;
  clock: Clock;
  mail: MailQueue;
  publicUrl: string;
}) {
  const { database, clock, mail, publicUrl } = deps;
  const tx = <T>(fn: (trx: Kysely<Database>) => Promise<T>) => writeTransaction(database, fn);

  async function createSession(db: Kysely<Database>, userId: string): Promise<NewSession> {
    const now = clock.now();
    const session = {
      token: newToken(),
      csrfToken: newToken(24),
      expiresAt: now + SESSION_ABSOLUTE_MS,
    };
    await db
      .insertInto("sessions")
      .values({
        token_hash: hashToken(session.token),
        user_id: userId,
        csrf_token: session.csrfToken,
        created_at: now,
        last_seen_at: now,
        expires_at: session.expiresAt,
      })
      .execute();
    return session;
  }

  async function issueEmailToken(
    db: Kysely<Database>,
    userId: string,
    purpose: "verify" | "reset",
  ) {
    const token = newToken();
    const now = clock.now();
    await db
      .insertInto("email_tokens")
      .values({
        token_hash: hashToken(token),
        user_id: userId,
        purpose,
        created_at: now,
        expires_at: now + (purpose === "verify" ? VERIFY_TTL_MS : RESET_TTL_MS),
      })
      .execute();
    return token;
  }

  /** Consumes a single-use token: the DELETE that finds it is the one that spends it. */
  async function spendEmailToken(db: Kysely<Database>, token: string, purpose: "verify" | "reset") {
    const row = await db
      .deleteFrom("email_tokens")
      .where("token_hash", "=", hashToken(token))
      .where("purpose", "=", purpose)
      .where("expires_at", ">", clock.now())
      .returning("user_id")
      .executeTakeFirst();
    return row?.user_id ?? null;
  }

  /** One statement counts a wrong password and locks at the threshold, however many race. */
  async function countFailedPassword(userId: string, now: number) {
    await database.db
      .updateTable("users")
      .set((eb) => ({
        failed_logins: eb("failed_logins", "+", 1),
        locked_until: eb
          .case()
          .when("failed_logins", ">=", MAX_FAILED_LOGINS - 1)
          .then(now + LOCK_MS)
          .else(eb.ref("locked_until"))
          .end(),
      }))
      .where("id", "=", userId)
      .execute();
  }

  const wrongCurrentPassword = () =>
    new ForbiddenError("wrong_current_password", "The current password is wrong.");

  return {
    createSession: (userId: string) => createSession(database.db, userId),

    async signup(input: { email: string; password: string; name?: string | undefined }) {
      checkNewPassword(input.password, input.email);
      const passwordHash = await hashPassword(input.password);
      const now = clock.now();
      const userId = newId();
      const result = await tx(async (trx) => {
        const inserted = await trx
          .insertInto("users")
          .values({
            id: userId,
            email: input.email,
            name: input.name ?? null,
            password_hash: passwordHash,
            created_at: now,
          })
          .onConflict((oc) => oc.column("email").doNothing())
          .returning("id")
          .executeTakeFirst();
        if (!inserted) return null;
        const orgId = newId();
        const orgName = `${oneLine(input.name ?? "") || input.email.split("@")[0]}'s organization`;
        await trx
          .insertInto("orgs")
          .values({ id: orgId, name: orgName.slice(0, 200), created_at: now })
          .execute();
        await trx
          .insertInto("memberships")
          .values({ org_id: orgId, user_id: userId, role: "admin", created_at: now })
          .execute();
        const verifyToken = await issueEmailToken(trx, userId, "verify");
        await mail.enqueue(trx, {
          kind: "verify_email",
          to: input.email,
          data: { verifyUrl: `${publicUrl}/verify-email?token=${verifyToken}` },
        });
        return createSession(trx, userId);
      });
      if (!result) {
        throw new ConflictError(
          "email_taken",
          "An account with this e-mail address exists. Sign in, or reset the password.",
        );
      }
      mail.kick?.();
      return { userId, session: result };
    },

    async resendVerification(userId: string, email: string) {
      await tx(async (trx) => {
        await trx
          .deleteFrom("email_tokens")
          .where("user_id", "=", userId)
          .where("purpose", "=", "verify")
          .execute();
        const token = await issueEmailToken(trx, userId, "verify");
        await mail.enqueue(trx, {
          kind: "verify_email",
          to: email,
          data: { verifyUrl: `${publicUrl}/verify-email?token=${token}` },
        });
      });
      mail.kick?.();
    },

    async verifyEmail(token: string) {
      const done = await tx(async (trx) => {
        const userId = await spendEmailToken(trx, token, "verify");
        if (!userId) return false;
        await trx
          .updateTable("users")
          .set({ email_verified_at: clock.now() })
          .where("id", "=", userId)
          .execute();
        return true;
      });
      if (!done)
        throw new BadRequestError(
          "invalid_token",
          "This verification link is not valid any more. Ask for a new one.",
        );
    },

    async login(input: { email: string; password: string }) {
      const now = clock.now();
      const user = await database.db
        .selectFrom("users")
        .select(["id", "password_hash", "locked_until"])
        .where("email", "=", input.email)
        .executeTakeFirst();
      const ok = await verifyPassword(user?.password_hash ?? null, input.password);
      const locked = user?.locked_until != null && user.locked_until > now;
      if (!user || !ok || locked) {
        if (user && !ok) await countFailedPassword(user.id, now);
        throw new UnauthorizedError(
          "invalid_credentials",
          "The e-mail address or password is wrong.",
        );
      }
      await database.db
        .updateTable("users")
        .set({ failed_logins: 0, locked_until: null })
        .where("id", "=", user.id)
        .execute();
      return { userId: user.id, session: await createSession(database.db, user.id) };
    },

    async logout(sessionHash: string) {
      await database.db.deleteFrom("sessions").where("token_hash", "=", sessionHash).execute();
    },

    /**
     * A signed-in user sets a new password, proving the current one. A wrong current password
     * counts toward the sign-in lock-out (a stolen session must not become a way around it), and
     * a locked account cannot change its password until the lock ends. On success every other
     * session is signed out, `keepSession` (the caller's) stays, and the user is mailed.
     */
    async changePassword(input: {
      userId: string;
      keepSession: string | null;
      currentPassword: string;
      newPassword: string;
    }) {
      const now = clock.now();
      const user = await database.db
        .selectFrom("users")
        .select(["email", "password_hash", "locked_until"])
        .where("id", "=", input.userId)
        .executeTakeFirst();
      if (!user) throw new UnauthorizedError();
      if (user.locked_until !== null && user.locked_until > now) {
        throw new ForbiddenError(
          "account_locked",
          "Too many wrong passwords: the password cannot be changed for a few minutes. Try again later.",
        );
      }
      if (!(await verifyPassword(user.password_hash, input.currentPassword))) {
        await countFailedPassword(input.userId, now);
        throw wrongCurrentPassword();
      }
      checkNewPassword(input.newPassword, user.email);
      if (input.newPassword === input.currentPassword) {
        throw new BadRequestError(
          "same_password",
          "The new password is the same as the current one. Choose a different one.",
        );
      }
      const passwordHash = await hashPassword(input.newPassword);
      const changed = await tx(async (trx) => {
        // Conditional on the hash that was verified, and on no lock having started since: of two
        // changes racing with the same current password, only one wins.
        const updated = await trx
          .updateTable("users")
          .set({ password_hash: passwordHash, failed_logins: 0, locked_until: null })
          .where("id", "=", input.userId)
          .where("password_hash", "=", user.password_hash)
          .where((eb) => eb.or([eb("locked_until", "is", null), eb("locked_until", "<=", now)]))
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) !== 1) return false;
        let others = trx.deleteFrom("sessions").where("user_id", "=", input.userId);
        if (input.keepSession !== null)
          others = others.where("token_hash", "!=", input.keepSession);
        await others.execute();
        // A reset link sent earlier would otherwise undo this change.
        await trx
          .deleteFrom("email_tokens")
          .where("user_id", "=", input.userId)
          .where("purpose", "=", "reset")
          .execute();
        await mail.enqueue(trx, {
          kind: "password_changed",
          to: user.email,
          data: { changedAt: now },
        });
        return true;
      });
      if (!changed) throw wrongCurrentPassword();
      mail.kick?.();
    },

    async requestPasswordReset(email: string) {
      const user = await database.db
        .selectFrom("users")
        .select("id")
        .where("email", "=", email)
        .executeTakeFirst();
      if (!user) return; // Same answer either way: nobody learns which addresses have accounts.
      await tx(async (trx) => {
        const token = await issueEmailToken(trx, user.id, "reset");
        await mail.enqueue(trx, {
          kind: "password_reset",
          to: email,
          data: { resetUrl: `${publicUrl}/reset-password#${token}` },
        });
      });
      mail.kick?.();
    },

    async confirmPasswordReset(token: string, password: string) {
      const passwordHash = await hashPassword(password);
      const done = await tx(async (trx) => {
        const userId = await spendEmailToken(trx, token, "reset");
        if (!userId) return false;
        const user = await trx
          .selectFrom("users")
          .select("email")
          .where("id", "=", userId)
          .executeTakeFirstOrThrow();
        checkNewPassword(password, user.email);
        await trx
          .updateTable("users")
          .set({
            password_hash: passwordHash,
            failed_logins: 0,
            locked_until: null,
            email_verified_at: sql`coalesce(email_verified_at, ${clock.now()})`,
          })
          .where("id", "=", userId)
          .execute();
        // A reset signs out every session: whoever knew the old password is out.
        await trx.deleteFrom("sessions").where("user_id", "=", userId).execute();
        await trx
          .deleteFrom("email_tokens")
          .where("user_id", "=", userId)
          .where("purpose", "=", "reset")
          .execute();
        return true;
      });
      if (!done)
        throw new BadRequestError(
          "invalid_token",
          "This reset link is not valid any more. Ask for a new one.",
        );
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
