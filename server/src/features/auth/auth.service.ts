/**
 * Accounts (SPEC F8): sign-in, sign-out, password reset and change, with sign-up and verification
 * from signup.service.ts. Sign-up, sign-in and reset answer the same for known and unknown
 * addresses; tokens are random, single-use and stored hashed. Wrong passwords at sign-in and at a
 * change count toward one back-off (sign-in-backoff.ts).
 */
import type { Kysely } from "kysely";

import type { PasskeyAssertion, SupportedLocale } from "@hushlink/protocol";

import type { Clock } from "../../clock.js";
import type { Config } from "../../config.js";
import { writeTransaction, type DatabaseHandle, type WriteKind } from "../../db/database.js";
import type { Database } from "../../db/schema.js";
import { BadRequestError, ForbiddenError, UnauthorizedError } from "../../errors.js";
import type { MailQueue } from "../../lib/mail-queue.js";
import { takeAddressQuota, takeRecipientQuota, type MailLimits } from "../../lib/mail-quota.js";
import { createAccountSteps } from "./account-steps.js";
import * as repo from "./auth.repository.js";
import { unverified } from "./auth.context.js";
import { createPasskeysService } from "./passkeys.service.js";
import { createEnrolment } from "./enrolment.js";
import { createRecentProof } from "./recent-proof.js";
import { checkNewPassword, hashPassword, verifyPassword } from "./passwords.js";
import { createSignInAttemptsRepository } from "./sign-in-attempts.repository.js";
import { createSignInBackoff } from "./sign-in-backoff.js";
import { createSecondFactorService } from "./second-factor.service.js";
import { createSignupService } from "./signup.service.js";

export type { NewSession } from "./account-steps.js";

export function createAuthService(deps: {
  database: Pick<DatabaseHandle, "db" | "dialect">;
  clock: Clock;
  mail: MailQueue;
  publicUrl: string;
  /** The current root key first, then retired ones: authenticator secrets are sealed with it. */
  rootKeys: readonly Buffer[];
  mailLimits: MailLimits;
  signup: Config["signup"];
  /**
   * Inside the account deletion's transaction: takes the account out of its organizations
   * (or refuses) and destroys its shares and requests (app.ts composes it from orgs, shares
   * and requests).
   */
  eraseAccountData: (trx: Kysely<Database>, userId: string, at: number) => Promise<void>;
  /**
   * Before that transaction (SQLite): erases the account's stored chunks one per write, so its
   * deletion fits the disk reserve on a full disk (blobs/owner-files.erase.ts); may refuse.
   */
  eraseFilesFirst?: (userId: string) => Promise<void>;
  /** After a commit that destroyed shares (the sweepers remove files and bytes). */
  onDestroyed: () => void;
  /** Throws when this account may not sign in with a password (SSO required: features/sso). */
  passwordAllowed?: (userId: string, email: string) => Promise<void>;
}) {
  const { database, clock, mail, publicUrl } = deps;
  const tx = <T>(fn: (trx: Kysely<Database>) => Promise<T>) => writeTransaction(database, fn);
  const backoff = createSignInBackoff({
    attempts: createSignInAttemptsRepository(database),
  });
  const steps = createAccountSteps(clock);
  const { createSession, issueEmailToken, spendEmailToken, wipeUnprovenHolder } = steps;
  const signups = createSignupService({ ...deps, steps, backoff });
  const passkeys = createPasskeysService({ database, clock, publicUrl, mail });
  const secondFactor = createSecondFactorService({
    database,
    clock,
    rootKeys: deps.rootKeys,
    mail,
    issuer: `Hushlink (${new URL(publicUrl).host})`,
    backoff,
    steps,
    passkeys,
  });

  const wrongCurrentPassword = () =>
    new ForbiddenError("wrong_current_password", "The current password is wrong.");

  /**
   * Proves the password again before anything a stolen session must not do alone (turning a
   * factor off, new recovery codes, a new password, deleting the account), with the back-off.
   * Returns the user it checked and the instant it checked at, so the caller acts on the same.
   */
  async function provePassword(
    input: { userId: string; ip: string; password: string },
    kind: WriteKind = {},
  ) {
    const now = clock.now();
    const user = await repo.findCredentials(database.db, input.userId);
    if (!user) throw new UnauthorizedError();
    // Taken (counted as wrong) before the comparison, so concurrent guesses cannot pass a pause.
    // A proof before a destruction takes it as one: on a full disk it may use the disk reserve,
    // or the deletion that would make room is refused (disk-full-paths.test.ts).
    const taken = await backoff.take(user.email, input.ip, now, undefined, kind);
    if (!(await verifyPassword(user.password_hash, input.password))) throw wrongCurrentPassword();
    // Right: the try is given back, and a proof is no sign-in (the IP's count goes on).
    await backoff.release(taken);
    return { user, now };
  }

  const proof = createRecentProof({ clock, provePassword });

  return {
    ...createEnrolment({ proof, secondFactor, passkeys }),

    /** For other features' actions that must not be done by a stolen session alone (tokens). */
    requireRecentProof: proof.requireRecentProof,

    ...signups,

    secondFactor,

    passkeys,

    /** Removes a passkey, the password proven again (as turning the authenticator app off). */
    async removePasskey(input: { userId: string; ip: string; password: string; id: string }) {
      await provePassword(input);
      await passkeys.remove(input.userId, input.id);
    },

    /**
     * Signs in with a discoverable passkey alone (its user verified), with the checks a password
     * sign-in makes once the account is known: the back-off (429 before a session), a confirmed
     * address, and single sign-on where the organization requires it. A passkey that fails to
     * verify counts no failure: nobody can guess a signature, and counting would let anyone
     * holding a credential id pause its owner's sign-in.
     */
    async loginWithPasskey(input: { credential: PasskeyAssertion; ip: string }) {
      const now = clock.now();
      const userId = await passkeys.verifyPasswordless(input.credential);
      const user = await repo.findCredentials(database.db, userId);
      // Deleted between the check and here: as if its passkey were unknown.
      if (!user) throw new UnauthorizedError("passkey_rejected", "This passkey is not known here.");
      await backoff.check(user.email, input.ip, now);
      if (user.email_verified_at === null) throw unverified();
      await deps.passwordAllowed?.(userId, user.email);
      await backoff.succeeded(user.email, input.ip, now);
      return { userId, session: await createSession(database.db, userId, "passkey") };
    },

    /**
     * Completes a sign-in the password began for an account with a second factor (its own
     * method, so the audit log can record the sign-in where it actually happens).
     */
    completeSignIn: (input: Parameters<typeof secondFactor.complete>[0]) =>
      secondFactor.complete(input),

    /** An admin's reset of a member's second factor (its own method: it is audited). */
    resetMemberSecondFactor: (orgId: string, userId: string, adminId: string) =>
      secondFactor.resetMember(orgId, userId, adminId),

    /** Turns the authenticator app off, the password proven again; true when one was on. */
    async removeTotp(input: { userId: string; ip: string; password: string }) {
      await provePassword(input);
      return secondFactor.removeTotp(input.userId);
    },

    /** New recovery codes (the old ones void), the password proven again. */
    async regenerateRecoveryCodes(input: { userId: string; ip: string; password: string }) {
      await provePassword(input);
      return secondFactor.regenerateRecoveryCodes(input.userId);
    },

    /** Within the address's hourly limit (MAIL_LIMIT_RECIPIENT), else 429 mail_limit. */
    async resendVerification(userId: string, email: string) {
      await tx(async (trx) => {
        await takeAddressQuota(trx, deps.mailLimits, { email, now: clock.now() });
        await repo.deleteEmailTokensOf(trx, userId, "verify");
        const token = await issueEmailToken(trx, userId, "verify");
        await mail.enqueue(trx, {
          kind: "verify_email",
          to: email,
          data: { verifyUrl: `${publicUrl}/verify-email#${token}` },
          // The account asked: its own language, else its organization's (the sign-up's).
          language: { causedBy: userId },
        });
      });
      mail.kick?.();
    },

    /**
     * Paused (sign-in-backoff.ts) answers 429 before the password is looked at; otherwise the
     * try is counted as a failure for the address and IP before the comparison (so guesses sent
     * at once are counted one by one), the same writes for an unknown address, and a wrong
     * password and an unknown address answer alike; the right password gives the try back. An account with a second factor gets a pending
     * sign-in instead of a session, and its success is recorded only when the code passes.
     */
    async login(input: { email: string; password: string; ip: string }) {
      const now = clock.now();
      const taken = await backoff.take(input.email, input.ip, now);
      const user = await repo.findCredentialsByEmail(database.db, input.email);
      const ok = await verifyPassword(user?.password_hash ?? null, input.password);
      if (!user || !ok) {
        throw new UnauthorizedError(
          "invalid_credentials",
          "The e-mail address or password is wrong.",
        );
      }
      const twoStep = (await secondFactor.methodsOf(user.id)).length > 0;
      // With a second factor the success is recorded at the second step: the try is given back.
      if (twoStep) await backoff.release(taken);
      else await backoff.succeeded(input.email, input.ip, now, taken);
      // After the password is proven, so the refusal tells nothing to someone guessing.
      await deps.passwordAllowed?.(user.id, input.email);
      const pending = twoStep ? await secondFactor.begin(user.id) : null;
      if (pending) return { userId: user.id, session: null, pending };
      return {
        userId: user.id,
        session: await createSession(database.db, user.id, "password"),
        pending: null,
      };
    },

    async logout(sessionHash: string) {
      await repo.deleteSession(database.db, sessionHash);
    },

    /** The account's own language (F17); null forgets it. The schema let only known tags in. */
    async setLocale(userId: string, locale: SupportedLocale | null) {
      await repo.setLocale(database.db, userId, locale);
    },

    /**
     * Deletes the account for good, once the password is proven again (issue 25): one
     * transaction erases its shares and requests, takes it out of its organizations (deleting
     * those it was alone in; refused while it is the only admin of one with other members), and
     * deletes the user row, whose sessions, tokens and e-mail links cascade with it.
     */
    async deleteAccount(input: { userId: string; ip: string; password: string }) {
      const { now } = await provePassword(input, { destroys: true });
      await deps.eraseFilesFirst?.(input.userId);
      // A destruction: on SQLite it may use the disk reserve's room (db/disk-reserve.ts).
      await writeTransaction(
        database,
        async (trx) => {
          await deps.eraseAccountData(trx, input.userId, now);
          await repo.deleteUser(trx, input.userId);
        },
        { destroys: true },
      );
      deps.onDestroyed();
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
      const { user, now } = await provePassword({
        userId: input.userId,
        ip: input.ip,
        password: input.currentPassword,
      });
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
        const replaced = await repo.replacePasswordHash(trx, {
          userId: input.userId,
          from: user.password_hash,
          to: passwordHash,
        });
        if (!replaced) return false;
        await repo.deleteSessionsOf(trx, input.userId, input.keepSession);
        if (input.keepApiTokens !== true) await repo.deleteApiTokensOf(trx, input.userId);
        // A reset link sent earlier would otherwise undo this change.
        await repo.deleteEmailTokensOf(trx, input.userId, "reset");
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

    /**
     * Same answer either way, after the same write transaction: nobody learns which addresses
     * have accounts, by the answer or by its time. The mail counts toward the address's hourly
     * limit (MAIL_LIMIT_RECIPIENT); past it nothing is issued or sent, so nobody can flood an
     * inbox with reset links.
     */
    /**
     * Known or not, the address's mail limit is counted and the request answers after that
     * alone: a known address's token and mail are made after the answer (mail.afterAnswer), so
     * the timing tells nothing about which addresses have an account.
     */
    async requestPasswordReset(email: string) {
      const userId = await tx(async (trx) => {
        const user = await repo.findCredentialsByEmail(trx, email);
        const withinLimit = await takeRecipientQuota(trx, deps.mailLimits, {
          email,
          now: clock.now(),
        });
        return user && withinLimit ? user.id : null;
      });
      if (userId === null) return;
      const work = async () => {
        await tx(async (trx) => {
          const token = await issueEmailToken(trx, userId, "reset");
          await mail.enqueue(trx, {
            kind: "password_reset",
            to: email,
            data: { resetUrl: `${publicUrl}/reset-password#${token}` },
          });
        });
        mail.kick?.();
      };
      if (mail.afterAnswer) mail.afterAnswer("password_reset", work);
      else await work();
    },

    async confirmPasswordReset(token: string, password: string, ip: string) {
      const passwordHash = await hashPassword(password);
      const done = await tx(async (trx) => {
        const userId = await spendEmailToken(trx, token, "reset");
        if (!userId) return false;
        const user = await repo.findCredentials(trx, userId);
        // The token's row goes with its user (foreign key), so this cannot happen.
        if (!user) throw new Error("user vanished during a password reset");
        checkNewPassword(password, user.email);
        await repo.resetPasswordHash(trx, { userId, to: passwordHash, now: clock.now() });
        // A reset signs out every session and revokes every API token: whoever knew the old
        // password, or held the account before its address was proven, is out.
        await repo.deleteSessionsOf(trx, userId);
        await repo.deleteApiTokensOf(trx, userId);
        if (user.email_verified_at === null) await wipeUnprovenHolder(trx, userId, null);
        await repo.deleteEmailTokensOf(trx, userId, "reset");
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
