/**
 * Back-off after wrong passwords (issue 15, item 2), instead of a lock that anyone could keep on
 * for ever by sending one wrong password now and then.
 *
 * - Per address and client IP: five wrong passwords are free; then each one pauses sign-in from
 *   that IP for longer (30 s, 1, 2, 5, then 15 min at most). Attempts during a pause are refused
 *   without checking the password and do not count, so a pause can never be extended; the count
 *   starts again a day after its first failure or at the right password.
 * - Per address, from everywhere: 50 wrong passwords within an hour pause sign-in, until that
 *   hour is over, from every IP that has not signed in to the account in the last 90 days. The
 *   owner's usual IPs only ever see their own back-off.
 *
 * The same rows are written for addresses with and without an account (keyed by a hash of the
 * address), so neither the answer nor its timing tells whether an account exists.
 *
 * Each try is taken (counted as a failure) before its password is compared, and given back when
 * it was right: of guesses sent at once, to any number of instances, no more are compared than
 * one after another would be (5 free and the one that starts the first pause).
 */
import type { WriteKind } from "../../db/database.js";
import { TooManyRequestsError } from "../../errors.js";
import { hashToken } from "../../lib/tokens.js";
import { ACCOUNT_WIDE, type CountRule } from "./sign-in-attempts.counting.js";
import type { SignInAttemptsRepository } from "./sign-in-attempts.repository.js";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const PER_IP_PAUSES = [
  { failures: 6, ms: 30 * SECOND },
  { failures: 7, ms: MINUTE },
  { failures: 8, ms: 2 * MINUTE },
  { failures: 9, ms: 5 * MINUTE },
  { failures: 10, ms: 15 * MINUTE },
];
const PER_IP_WINDOW_MS = DAY;
export const ACCOUNT_WIDE_LIMIT = 50;
const ACCOUNT_WIDE_WINDOW_MS = HOUR;
const KNOWN_IP_MS = 90 * DAY;

export function pausedError(until: number) {
  const retryAt = new Date(until).toISOString();
  return new TooManyRequestsError(
    "sign_in_paused",
    `Too many wrong passwords: signing in to this account is paused until ${retryAt}. Try again then, or reset your password.`,
    { retryAt },
  );
}

/** A taken try, to give back when the password (or code) was right; its counts stay otherwise. */
export interface SignInTry {
  accountKey: string;
  ip: string;
  ownPausedUntil: number | null;
  /** How its writes are made: a destruction's try may use the disk reserve (taken and given back). */
  kind: WriteKind;
}

const OWN: CountRule = {
  windowMs: PER_IP_WINDOW_MS,
  pauses: PER_IP_PAUSES,
  pauseAtWindowEnd: false,
};
const WIDE: CountRule = {
  windowMs: ACCOUNT_WIDE_WINDOW_MS,
  pauses: [{ failures: ACCOUNT_WIDE_LIMIT, ms: ACCOUNT_WIDE_WINDOW_MS }],
  pauseAtWindowEnd: true,
};

export function createSignInBackoff(deps: { attempts: SignInAttemptsRepository }) {
  const { attempts } = deps;
  const keyOf = (email: string) => hashToken(email.toLowerCase());
  const releaseWide = (t: SignInTry) =>
    attempts.release({
      accountKey: t.accountKey,
      ip: ACCOUNT_WIDE,
      rule: WIDE,
      startedPause: null,
      kind: t.kind,
    });

  return {
    /**
     * Throws 429 sign_in_paused while `ip` may not try a password for `email`; counts nothing
     * (a passkey alone: nobody guesses a signature).
     */
    async check(email: string, ip: string, now: number) {
      const rows = await attempts.read(keyOf(email), ip);
      const own = rows.find((r) => r.ip === ip);
      const wide = rows.find((r) => r.ip === ACCOUNT_WIDE);
      if (own?.paused_until != null && own.paused_until > now) throw pausedError(own.paused_until);
      const known = own?.last_success_at != null && own.last_success_at > now - KNOWN_IP_MS;
      if (!known && wide?.paused_until != null && wide.paused_until > now)
        throw pausedError(wide.paused_until);
    },

    /**
     * Takes a try before a password or code is compared: counted at once as a wrong one, or 429
     * sign_in_paused (nothing counted). A wrong password leaves it counted; a right one gives it
     * back through `succeeded` or `release`. Taken atomically (the repository), so concurrent
     * guesses cannot all pass a check before any is counted. `onPaused` runs before the 429.
     */
    async take(
      email: string,
      ip: string,
      now: number,
      onPaused?: () => Promise<void>,
      kind: WriteKind = {},
    ): Promise<SignInTry> {
      const accountKey = keyOf(email);
      const result = await attempts.take({
        accountKey,
        ip,
        now,
        own: OWN,
        wide: WIDE,
        knownSince: now - KNOWN_IP_MS,
        kind,
      });
      if (!result.taken) {
        await onPaused?.();
        throw pausedError(result.pausedUntil);
      }
      return { accountKey, ip, ownPausedUntil: result.try.ownPausedUntil, kind };
    },

    /** The password was right but is no sign-in (a second step follows, or a proof): no count. */
    async release(t: SignInTry) {
      await attempts.release({
        accountKey: t.accountKey,
        ip: t.ip,
        rule: OWN,
        startedPause: t.ownPausedUntil,
        kind: t.kind,
      });
      await releaseWide(t);
    },

    /**
     * Signed in from `ip`: its count starts again and the IP is known. `taken`: the try this
     * sign-in took, whose account-wide count is given back too.
     */
    async succeeded(email: string, ip: string, now: number, taken?: SignInTry) {
      await attempts.countSuccess(keyOf(email), ip, now);
      if (taken) await releaseWide(taken);
    },

    /** A reset from the inbox proves the owner: every pause ends, and this IP is known. */
    async reset(email: string, ip: string, now: number) {
      await attempts.clear(keyOf(email));
      await attempts.countSuccess(keyOf(email), ip, now);
    },
  };
}

export type SignInBackoff = ReturnType<typeof createSignInBackoff>;
