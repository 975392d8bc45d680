/**
 * Adding a second factor needs a recent proof of identity (SPEC F16, extension): a factor added
 * through a stolen session (an unlocked laptop, a cookie copied out of a browser) would outlive
 * the session, sign in alone (a passkey needs no password) and survive a password reset.
 */
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
    "To add a second factor, enter your password, or sign out and sign in again.",
  );
