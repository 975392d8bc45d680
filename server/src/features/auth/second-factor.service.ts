/**
 * Second factor (SPEC F16): an authenticator app (TOTP, RFC 6238 through otplib) and ten
 * single-use recovery codes. The secret is sealed with the root key, the recovery codes and
 * pending sign-in tokens are stored as SHA-256. A password proven for an account with a second
 * factor opens a pending sign-in, never a session; the code completes it. Wrong codes count
 * toward the same back-off as wrong passwords (sign-in-backoff.ts), and the password's success
 * is only recorded once the second factor passed, so re-entering the password does not buy more
 * guesses.
 */
import type { Kysely } from "kysely";

import type { PasskeyAssertion, SecondFactorMethod } from "@hushlink/protocol";

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
import type { MailQueue } from "../../lib/mail-queue.js";
import { openWithRootKey, sealWithRootKey } from "../../lib/sealing.js";

/** Loaded at the first second-factor step: most instances never take one (idle memory, issue 24). */
const loadOtp = () => import("otplib");
import { hashToken, newToken } from "../../lib/tokens.js";
import type { AccountSteps } from "./account-steps.js";
import type { PasskeysService } from "./passkeys.service.js";
import { RECENT_SIGN_IN_MS, recentSignInRequired } from "./recent-proof.js";
import { issueRecoveryCodes, recoveryHash } from "./recovery-codes.js";
import * as repo from "./second-factor.repository.js";
import type { SignInBackoff } from "./sign-in-backoff.js";

export const PENDING_SIGN_IN_MS = 5 * 60 * 1000;
/** Codes a pending sign-in has checked (the one that passes ends it); then the password again. */
export const PENDING_MAX_FAILURES = 5;
const PERIOD_S = 30;
/** One step either side of now, for clocks that drift and people who type slowly. */
const TOLERANCE_S = PERIOD_S;

const totpAad = (userId: string) => `user_totp.secret_sealed.${userId}`;
const normaliseCode = (code: string) => code.replace(/\s+/g, "");

/** The code was right but spent by another sign-in first: rolls back the pending sign-in's take. */
class FactorSpent extends Error {}

export function createSecondFactorService(deps: {
  database: Pick<DatabaseHandle, "db" | "dialect">;
  clock: Clock;
  /** The current root key first, then retired ones (docs/key-rotation.md). */
  rootKeys: readonly Buffer[];
  mail: MailQueue;
  /** The issuer name authenticator apps show next to the account. */
  issuer: string;
  backoff: SignInBackoff;
  steps: Pick<AccountSteps, "createSession">;
  passkeys: PasskeysService;
}) {
  const { database, clock, rootKeys, mail, backoff, passkeys } = deps;
  const tx = <T>(fn: (trx: Kysely<Database>) => Promise<T>) => writeTransaction(database, fn);
  const epoch = () => Math.floor(clock.now() / 1000);

  /** The time step `code` belongs to for this secret, or null; nothing is spent here. */
  async function matchStep(sealed: string, userId: string, code: string, after: number | null) {
    const secret = openWithRootKey(rootKeys, sealed, totpAad(userId));
    const { verify } = await loadOtp();
    const result = await verify({
      secret,
      token: normaliseCode(code),
      epoch: epoch(),
      epochTolerance: TOLERANCE_S,
      ...(after !== null ? { afterTimeStep: after } : {}),
    });
    // The TOTP strategy's result carries the step the code matched (HOTP's would not).
    return result.valid && "timeStep" in result ? result.timeStep : null;
  }

  const newRecoveryCodes = (trx: Kysely<Database>, userId: string) =>
    issueRecoveryCodes(trx, userId, clock.now());

  /** What completes this account's sign-in; none without a factor (recovery codes stand in). */
  async function methodsOf(userId: string): Promise<SecondFactorMethod[]> {
    const totp = await repo.findTotp(database.db, userId);
    const methods: SecondFactorMethod[] = [];
    if (totp?.confirmed_at != null) methods.push("totp");
    if ((await passkeys.count(userId)) > 0) methods.push("passkey");
    return methods.length === 0 ? [] : [...methods, "recovery_code"];
  }

  const expiredSignIn = () =>
    new UnauthorizedError(
      "sign_in_expired",
      "This sign-in has expired. Enter your e-mail address and password again.",
    );

  return {
    methodsOf,

    async status(userId: string) {
      const totp = await repo.findTotp(database.db, userId);
      const enabledAt = totp?.confirmed_at ?? null;
      return {
        totp: {
          enabled: enabledAt !== null,
          enabledAt: enabledAt === null ? null : new Date(enabledAt).toISOString(),
        },
        passkeys: { count: await passkeys.count(userId) },
        recoveryCodes: { remaining: await repo.countRecoveryCodes(database.db, userId) },
      };
    },

    /** A new secret, not in force until a code from it confirms it. */
    async startTotp(user: { id: string; email: string }) {
      const { generateSecret, generateURI } = await loadOtp();
      const secret = generateSecret();
      const sealed = sealWithRootKey(rootKeys[0]!, secret, totpAad(user.id));
      const started = await repo.startTotp(database.db, {
        userId: user.id,
        sealed,
        now: clock.now(),
      });
      if (!started)
        throw new ConflictError(
          "totp_already_enabled",
          "An authenticator app is set up already. Turn it off first to set up another.",
        );
      const otpauthUrl = generateURI({
        issuer: deps.issuer,
        label: user.email,
        secret,
      });
      return { secret, otpauthUrl };
    },

    /**
     * The first code proves the app holds the secret; the answer is the recovery codes, and the
     * account is mailed. Unless the caller `proven` who they are just now, the set-up must have
     * started (which needed a proof) within RECENT_SIGN_IN_MS: checked before the code, and again
     * by the UPDATE that confirms it.
     */
    async confirmTotp(
      user: { id: string; email: string },
      code: string,
      { proven }: { proven: boolean },
    ) {
      const userId = user.id;
      const row = await repo.findTotp(database.db, userId);
      if (row?.confirmed_at != null)
        throw new ConflictError(
          "totp_already_enabled",
          "An authenticator app is set up already. Turn it off first to set up another.",
        );
      if (!row)
        throw new ConflictError("totp_not_started", "Start setting up an authenticator first.");
      const startedAfter = proven ? null : clock.now() - RECENT_SIGN_IN_MS;
      if (startedAfter !== null && row.created_at <= startedAfter) throw recentSignInRequired();
      const step = await matchStep(row.secret_sealed, userId, code, null);
      if (step === null)
        throw new BadRequestError(
          "invalid_code",
          "That code is not the one your authenticator app shows now. Check the app's clock and try the next code.",
        );
      const codes = await tx(async (trx) => {
        await repo.lockFactors(trx, database.dialect, userId);
        const now = clock.now();
        const confirmed = await repo.confirmTotp(trx, {
          userId,
          sealed: row.secret_sealed,
          step,
          now,
          startedAfter,
        });
        if (!confirmed) return null;
        // Told to the owner in the same transaction: a factor someone else added would
        // otherwise stay unnoticed (no link in it: see templates.account.ts).
        await mail.enqueue(trx, { kind: "totp_enabled", to: user.email, data: { enabledAt: now } });
        return newRecoveryCodes(trx, userId);
      });
      if (!codes)
        throw new ConflictError(
          "totp_not_started",
          "This set-up was replaced or finished in another window. Start again.",
        );
      mail.kick?.();
      return { recoveryCodes: codes };
    },

    /**
     * Turns the authenticator off (the caller proved the password); the recovery codes go with
     * it unless passkeys remain, which they stand in for too. True when one in force was removed:
     * the answer is the same without one, but only that is an event. Whether passkeys remain is
     * decided under the account's lock (a count read before the transaction let a passkey added
     * meanwhile keep no codes).
     */
    async removeTotp(userId: string): Promise<boolean> {
      return tx(async (trx) => {
        await repo.lockFactors(trx, database.dialect, userId);
        const removed = await repo.deleteTotp(trx, userId);
        await repo.deleteRecoveryCodesIfNoFactor(trx, userId);
        return removed;
      });
    },

    orgRequirement: async (orgId: string) => ({
      requireSecondFactor: await repo.orgRequirement(database.db, orgId),
    }),

    async setOrgRequirement(orgId: string, required: boolean) {
      await repo.setOrgRequirement(database.db, { orgId, required, now: clock.now() });
      return { requireSecondFactor: required };
    },

    /**
     * An admin resets a member's second factor (a lost phone and no recovery code): the app, the
     * passkeys and the codes go in one transaction with the mail telling the member, who sets one up again
     * (an organization that requires it lets them reach only enrolment until then).
     */
    async resetMember(orgId: string, userId: string, adminId: string) {
      const done = await tx(async (trx) => {
        await repo.lockFactors(trx, database.dialect, userId);
        const email = await repo.memberEmail(trx, orgId, userId);
        if (email === undefined) return false;
        // The factors guard every organization of the account, not this one alone.
        if (await repo.inOrgNotAdministeredBy(trx, userId, adminId)) return "other_org";
        await repo.deleteTotp(trx, userId);
        await passkeys.removeAllOf(trx, userId);
        await repo.deleteRecoveryCodes(trx, userId);
        await mail.enqueue(trx, {
          kind: "second_factor_reset",
          to: email,
          // The member's own language, or else the organization's (not the admin's: the member
          // is who reads it).
          language: { orgId },
          data: { resetAt: clock.now() },
        });
        return true;
      });
      if (!done)
        throw new NotFoundError("member_not_found", "No such member in this organization.");
      if (done === "other_org")
        throw new ForbiddenError(
          "member_in_other_organization",
          "This member also belongs to an organization you do not administer, which their second factor guards too. An admin of every organization they belong to can reset it; or they use a recovery code.",
        );
      mail.kick?.();
    },

    /**
     * New recovery codes; the old ones stop working in the same transaction, which also checks,
     * under the account's lock, that a factor remains for them to stand in for.
     */
    async regenerateRecoveryCodes(userId: string) {
      const recoveryCodes = await tx(async (trx) => {
        await repo.lockFactors(trx, database.dialect, userId);
        return (await repo.hasFactor(trx, userId)) ? newRecoveryCodes(trx, userId) : null;
      });
      if (recoveryCodes === null)
        throw new ConflictError(
          "totp_not_started",
          "Set up an authenticator app or a passkey first: recovery codes stand in for them.",
        );
      return { recoveryCodes };
    },

    /** After the password: a pending sign-in when the account has a second factor, else null. */
    async begin(userId: string) {
      const methods = await methodsOf(userId);
      if (methods.length === 0) return null;
      const token = newToken();
      const now = clock.now();
      const expiresAt = now + PENDING_SIGN_IN_MS;
      await repo.insertPending(database.db, {
        tokenHash: hashToken(token),
        userId,
        now,
        expiresAt,
      });
      return { pendingToken: token, expiresAt: new Date(expiresAt).toISOString(), methods };
    },

    /** Passkey options for the second step of a live pending sign-in. */
    async passkeyOptions(pendingToken: string) {
      const tokenHash = hashToken(pendingToken);
      const pending = await repo.findPending(
        database.db,
        tokenHash,
        clock.now(),
        PENDING_MAX_FAILURES,
      );
      if (!pending) throw expiredSignIn();
      return passkeys.secondFactorOptions(pending.user_id, tokenHash);
    },

    /** The account a live pending sign-in belongs to (for its audit entry), or null. */
    async pendingUser(pendingToken: string): Promise<string | null> {
      const pending = await repo.findPending(
        database.db,
        hashToken(pendingToken),
        clock.now(),
        PENDING_MAX_FAILURES,
      );
      return pending?.user_id ?? null;
    },

    /**
     * Completes a pending sign-in with a code or a recovery code. Paused (back-off) answers 429
     * before the code is looked at; a wrong code counts toward the back-off and toward the
     * pending sign-in's own limit. A recovery code used is mailed to the account.
     */
    async complete(input: {
      pendingToken: string;
      code?: string | undefined;
      recoveryCode?: string | undefined;
      passkey?: PasskeyAssertion | undefined;
      ip: string;
    }) {
      const now = clock.now();
      const tokenHash = hashToken(input.pendingToken);
      const pending = await repo.findPending(database.db, tokenHash, now, PENDING_MAX_FAILURES);
      if (!pending) throw expiredSignIn();
      // Tries are taken before any code is looked at, one conditional statement each, so guesses
      // sent at once get as many compared as one by one: the pending sign-in's, then the
      // back-off's (given back unless a code is compared wrong); a 429 gives the first back.
      if (!(await repo.takePendingTry(database.db, tokenHash, now, PENDING_MAX_FAILURES)))
        throw expiredSignIn();
      const giveBack = () => repo.returnPendingTry(database.db, tokenHash);
      const taken = await backoff.take(pending.email, input.ip, now, giveBack);
      const userId = pending.user_id;
      let refusal: Error | null = null;
      /** Spends the factor, inside the transaction that takes the pending sign-in; null: none. */
      let spend: ((trx: Kysely<Database>) => Promise<boolean>) | null = null;
      let recovery = false;
      if (input.passkey !== undefined) {
        try {
          await passkeys.verifySecondFactor(userId, tokenHash, input.passkey);
          spend = () => Promise.resolve(true); // its challenge was spent by the check
        } catch (error) {
          refusal = error instanceof Error ? error : new Error(String(error));
        }
      } else if (input.code !== undefined) {
        const row = await repo.findTotp(database.db, userId);
        if (row?.confirmed_at != null) {
          const step = await matchStep(row.secret_sealed, userId, input.code, row.last_step);
          if (step !== null) spend = (trx) => repo.spendTotpStep(trx, userId, step);
        }
      } else if (input.recoveryCode !== undefined) {
        const hash = recoveryHash(input.recoveryCode);
        recovery = true;
        spend = (trx) => repo.spendRecoveryCode(trx, userId, hash);
      }
      // The pending sign-in is taken first and the factor spent in the same transaction: of
      // attempts racing on one pending sign-in the first to commit signs in and the others find
      // it gone (before, the losers' failures ended it under the winner, whose recovery code was
      // then spent with no session); a factor another sign-in spent first rolls the take back.
      const outcome =
        spend === null
          ? ("wrong" as const)
          : await tx(async (trx) => {
              if (!(await repo.takePending(trx, tokenHash, now))) return "expired" as const;
              if (!(await spend(trx))) throw new FactorSpent();
              const remaining = recovery ? await repo.countRecoveryCodes(trx, userId) : null;
              if (remaining !== null)
                await mail.enqueue(trx, {
                  kind: "recovery_code_used",
                  to: pending.email,
                  data: { usedAt: now, remaining },
                });
              return {
                remaining,
                session: await deps.steps.createSession(trx, userId, "password"),
              };
            }).catch((error: unknown) => {
              if (error instanceof FactorSpent) return "wrong" as const;
              throw error;
            });
      if (outcome === "expired") throw await backoff.release(taken).then(expiredSignIn);
      if (outcome === "wrong") {
        // Both tries were counted before the comparison; none left ends the pending sign-in.
        if (refusal !== null) throw refusal;
        throw new UnauthorizedError(
          "invalid_code",
          input.code !== undefined
            ? "That code is wrong or was used already. Wait for the next code in your app."
            : "That recovery code is wrong or was used already.",
        );
      }
      const { remaining, session } = outcome;
      if (remaining !== null) mail.kick?.();
      await backoff.succeeded(pending.email, input.ip, now, taken);
      return { userId, session };
    },
  };
}

export type SecondFactorService = ReturnType<typeof createSecondFactorService>;
