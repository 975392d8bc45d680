/**
 * What a stolen session (an unlocked laptop, a cookie copied out of a browser) must not do alone
 * needs a recent proof of identity (SPEC F16 and F8, extensions): anything that would outlive the
 * session, such as a second factor (it signs in alone and survives a password reset) or an API
 * token (it works until revoked or expired, whatever happens to the session).
 */
import type { Clock } from "../../clock.js";
import { ForbiddenError } from "../../errors.js";

/**
 * How long a sign-in counts as proof: long enough to sign in and go straight to set up a factor
 * (the organization's requirement sends people there at once), short enough that a session left
 * open or copied out of a browser does not carry it for long.
 */
export const RECENT_SIGN_IN_MS = 15 * 60 * 1000;

/** Whether an instant (a session's sign-in, a proven start) is recent enough to prove identity. */
export const isRecent = (at: number | null, now: number) =>
  at !== null && now - at < RECENT_SIGN_IN_MS;

export const recentSignInRequired = () =>
  new ForbiddenError(
    "recent_sign_in_required",
    "To do this, enter your password, or sign out and sign in again.",
  );

/** What an action behind the proof can answer besides its route's guard. */
export const RECENT_PROOF_ERRORS = [
  "recent_sign_in_required",
  "wrong_current_password",
  "sign_in_paused",
] as const;

/** Who acts, and what proves it is them. */
export interface ProofCaller {
  user: { id: string };
  ip: string;
  /** The account's password, when the caller gave it. */
  password?: string | undefined;
  /** When the caller's session signed in; null for none (an API token). */
  signedInAt: number | null;
}

export function createRecentProof(deps: {
  clock: Clock;
  /** auth.service.ts's check of the password, with the sign-in back-off. */
  provePassword: (input: { userId: string; ip: string; password: string }) => Promise<unknown>;
}) {
  const { clock, provePassword } = deps;

  /**
   * Whether the caller proved who they are recently: a password given is always checked (a wrong
   * one is 403 wrong_current_password, counted by the back-off as for removing a factor), else
   * the session's sign-in must be recent. SSO-only accounts have no password to give: signing in
   * again is their proof.
   */
  async function provenRecently(caller: ProofCaller): Promise<boolean> {
    if (caller.password === undefined) return isRecent(caller.signedInAt, clock.now());
    await provePassword({ userId: caller.user.id, ip: caller.ip, password: caller.password });
    return true;
  }

  return {
    provenRecently,
    /** 403 recent_sign_in_required unless provenRecently. */
    requireRecentProof: async (caller: ProofCaller) => {
      if (!(await provenRecently(caller))) throw recentSignInRequired();
    },
  };
}

export type RecentProof = ReturnType<typeof createRecentProof>;
