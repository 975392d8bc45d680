/**
 * Accounts (SPEC F8): sign-up, verification, sign-in, sign-out, password reset and change. Sign-in
 * and reset answer the same for known and unknown addresses; tokens are random, single-use and
 * stored hashed. Wrong passwords at sign-in and at a change count toward one lock-out.
 */
import { sql, type Kysely } from "kysely";

import type { Clock } from "../../clock.js";
import { writeTransaction, type DatabaseHandle } from "../../db/database.js";
import type { Database } from "../../db/schema.js";
import {
  BadRequestError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  UnauthorizedError,
} from "../../errors.js";
import { type MailQueue } from "../../lib/mail-queue.js";
import { hashToken, newId, newToken } from "../../lib/tokens.js";
import { newOrgName } from "../orgs/org-name.js";
import { SESSION_ABSOLUTE_MS } from "./auth.context.js";
import { checkNewPassword, hashPassword, verifyPassword } from "./passwords.js";
import { createSignInAttemptsRepository } from "./sign-in-attempts.repository.js";
import { createSignInBackoff } from "./sign-in-backoff.js";

const VERIFY_TTL_MS = 48 * 3600 * 1000;
const RESET_TTL_MS = 30 * 60 * 1000;

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
  const backoff = createSignInBackoff({
    attempts: createSignInAttemptsRepository(database.db),
  });

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

  /**
   * The owner of the address has just proven it (verification link or reset from the inbox).
   * While it was unproven, whoever typed the address at sign-up held the account: their API
   * tokens and sessions go (but `keepSession`, the prover's own), and so do memberships in
   * organizations with other people and the invitations they sent, which only data from before
   * unverified accounts were held back can contain. Their own empty organization stays the owner's.
   */
  async function wipeUnprovenHolder(
    trx: Kysely<Database>,
    userId: string,
    keepSession: string | null,
  ) {
    let sessions = trx.deleteFrom("sessions").where("user_id", "=", userId);
    if (keepSession !== null) sessions = sessions.where("token_hash", "!=", keepSession);
    await sessions.execute();
    await trx.deleteFrom("api_tokens").where("user_id", "=", userId).execute();
    await trx
      .deleteFrom("memberships")
      .where("user_id", "=", userId)
      .where("org_id", "in", (eb) =>
        eb
          .selectFrom("memberships as others")
          .select("others.org_id")
          .where("others.user_id", "!=", userId),
      )
      .execute();
    await trx
      .deleteFrom("invitations")
      .where("invited_by", "=", userId)
      .where("accepted_at", "is", null)
      .execute();
  }

  /** Marks a pending invitation to `email` accepted (one conditional UPDATE) or throws. */
  async function takeInvitation(trx: Kysely<Database>, token: string, email: string, now: number) {
    const taken = await trx
      .updateTable("invitations")
      .set({ accepted_at: now })
      .where("token_hash", "=", hashToken(token))
      .where("accepted_at", "is", null)
      .where("expires_at", ">", now)
      .where("email", "=", email)
      .returning(["org_id", "role"])
      .executeTakeFirst();
    if (taken) return taken;
    const other = await trx
      .selectFrom("invitations")
      .select("id")
      .where("token_hash", "=", hashToken(token))
      .where("accepted_at", "is", null)
      .where("expires_at", ">", now)
      .executeTakeFirst();
    if (other)
      throw new ForbiddenError(
        "invitation_email_mismatch",
        "This invitation was sent to another e-mail address. Sign up with that address.",
      );
    throw new NotFoundError(
      "invitation_not_found",
      "This invitation is not valid any more. Ask for a new one.",
    );
  }

  const wrongCurrentPassword = () =>
    new ForbiddenError("wrong_current_password", "The current password is wrong.");

  return {
    createSession: (userId: string) => createSession(database.db, userId),

    /**
     * A new account. With `invitation` (the token of a pending invitation to this address) it
     * joins that organization only and counts as confirmed; otherwise it gets an organization of
     * its own and a verification mail.
     */
    async signup(input: {
      email: string;
      password: string;
      name?: string | undefined;
      invitation?: string | undefined;
    }) {
      checkNewPassword(input.password, input.email);
      const passwordHash = await hashPassword(input.password);
      const now = clock.now();
      const userId = newId();
      const invited = input.invitation !== undefined;
      const result = await tx(async (trx) => {
        const inserted = await trx
          .insertInto("users")
          .values({
            id: userId,
            email: input.email,
            name: input.name ?? null,
            password_hash: passwordHash,
            created_at: now,
            email_verified_at: invited ? now : null,
          })
          .onConflict((oc) => oc.column("email").doNothing())
          .returning("id")
          .executeTakeFirst();
        if (!inserted) return null;
        if (input.invitation !== undefined) {
          const joined = await takeInvitation(trx, input.invitation, input.email, now);
          await trx
            .insertInto("memberships")
            .values({ org_id: joined.org_id, user_id: userId, role: joined.role, created_at: now })
            .execute();
          return createSession(trx, userId);
        }
        const orgId = newId();
        await trx
          .insertInto("orgs")
          .values({ id: orgId, name: newOrgName(input.email, input.name), created_at: now })
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

    /**
     * `caller` is who clicked (null when signed out): their session survives the wipe when it is
     * the account being verified, so the person who signed up and clicks stays signed in.
     */
    async verifyEmail(
      token: string,
      caller: { userId: string; sessionHash: string | null } | null,
    ) {
      const done = await tx(async (trx) => {
        const userId = await spendEmailToken(trx, token, "verify");
        if (!userId) return false;
        const proven = await trx
          .updateTable("users")
          .set({ email_verified_at: clock.now() })
          .where("id", "=", userId)
          .where("email_verified_at", "is", null)
          .executeTakeFirst();
        if (Number(proven.numUpdatedRows) === 1) {
          await wipeUnprovenHolder(
            trx,
            userId,
            caller?.userId === userId ? caller.sessionHash : null,
          );
        }
        return true;
      });
      if (!done)
        throw new BadRequestError(
          "invalid_token",
          "This verification link is not valid any more. Ask for a new one.",
        );
    },

    /**
     * Paused (sign-in-backoff.ts) answers 429 before the password is looked at; otherwise a
     * wrong password or an unknown address both count a failure for the address and IP, the
     * same writes either way, and answer alike.
     */
    async login(input: { email: string; password: string; ip: string }) {
      const now = clock.now();
      await backoff.check(input.email, input.ip, now);
      const user = await database.db
        .selectFrom("users")
        .select(["id", "password_hash"])
        .where("email", "=", input.email)
        .executeTakeFirst();
      const ok = await verifyPassword(user?.password_hash ?? null, input.password);
      if (!user || !ok) {
        await backoff.failed(input.email, input.ip, now);
        throw new UnauthorizedError(
          "invalid_credentials",
          "The e-mail address or password is wrong.",
        );
      }
      await backoff.succeeded(input.email, input.ip, now);
      return { userId: user.id, session: await createSession(database.db, user.id) };
    },

    async logout(sessionHash: string) {
      await database.db.deleteFrom("sessions").where("token_hash", "=", sessionHash).execute();
    },

    /**
     * A signed-in user sets a new password, proving the current one. A wrong current password
     * counts toward the sign-in back-off of that address and IP (a stolen session must not
     * become a way around it), and while it is paused the password cannot be changed from there.
     * On success every other session is signed out, `keepSession` (the caller's) stays, API
     * tokens are revoked unless `keepApiTokens`, and the user is mailed.
     */
    async changePassword(input: {
      userId: string;
      keepSession: string | null;
      ip: string;
      currentPassword: string;
      newPassword: string;
      /** API tokens are revoked with the password unless the user asks to keep them. */
      keepApiTokens?: boolean;
    }) {
      const now = clock.now();
      const user = await database.db
        .selectFrom("users")
        .select(["email", "password_hash"])
        .where("id", "=", input.userId)
        .executeTakeFirst();
      if (!user) throw new UnauthorizedError();
      await backoff.check(user.email, input.ip, now);
      if (!(await verifyPassword(user.password_hash, input.currentPassword))) {
        await backoff.failed(user.email, input.ip, now);
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
        // Conditional on the hash that was verified: of two changes racing with the same current
        // password, only one wins.
        const updated = await trx
          .updateTable("users")
          .set({ password_hash: passwordHash })
          .where("id", "=", input.userId)
          .where("password_hash", "=", user.password_hash)
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) !== 1) return false;
        let others = trx.deleteFrom("sessions").where("user_id", "=", input.userId);
        if (input.keepSession !== null)
          others = others.where("token_hash", "!=", input.keepSession);
        await others.execute();
        if (input.keepApiTokens !== true)
          await trx.deleteFrom("api_tokens").where("user_id", "=", input.userId).execute();
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

    async confirmPasswordReset(token: string, password: string, ip: string) {
      const passwordHash = await hashPassword(password);
      const done = await tx(async (trx) => {
        const userId = await spendEmailToken(trx, token, "reset");
        if (!userId) return false;
        const user = await trx
          .selectFrom("users")
          .select(["email", "email_verified_at"])
          .where("id", "=", userId)
          .executeTakeFirstOrThrow();
        checkNewPassword(password, user.email);
        await trx
          .updateTable("users")
          .set({
            password_hash: passwordHash,
            email_verified_at: sql`coalesce(email_verified_at, ${clock.now()})`,
          })
          .where("id", "=", userId)
          .execute();
        // A reset signs out every session and revokes every API token: whoever knew the old
        // password, or held the account before its address was proven, is out.
        await trx.deleteFrom("sessions").where("user_id", "=", userId).execute();
        await trx.deleteFrom("api_tokens").where("user_id", "=", userId).execute();
        if (user.email_verified_at === null) await wipeUnprovenHolder(trx, userId, null);
        await trx
          .deleteFrom("email_tokens")
          .where("user_id", "=", userId)
          .where("purpose", "=", "reset")
          .execute();
        return user.email;
      });
      if (!done)
        throw new BadRequestError(
          "invalid_token",
          "This reset link is not valid any more. Ask for a new one.",
        );
      // The owner proved the address from their inbox: whatever pauses others caused end.
      await backoff.reset(done, ip, clock.now());
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
