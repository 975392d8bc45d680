/**
 * Sign-up and e-mail verification (SPEC F8, issue 15).
 *
 * Without an invitation, sign-up answers the same for a new address and one that has an account,
 * after the same work: the password is hashed either way, and one write transaction runs the same
 * statements either way (signup.repository.ts says how); the inbox gets either the verification
 * link or a notice that someone tried (within the address's mail limit).
 * Nobody is signed in by it: the browser that signed up gets a random cookie instead, and the
 * verification link opened in that browser signs it in.
 *
 * With an invitation (whose token reached the address, so it proves the inbox) the account is
 * created confirmed, joins that organization and is signed in at once.
 */
import type { SupportedLocale } from "@hushlink/protocol";

import type { Clock } from "../../clock.js";
import type { Config } from "../../config.js";
import { transactionsOn, type DatabaseHandle } from "../../db/database.js";
import { BadRequestError, ConflictError, ForbiddenError } from "../../errors.js";
import type { MailQueue } from "../../lib/mail-queue.js";
import { takeRecipientQuota, type MailLimits } from "../../lib/mail-quota.js";
import { hashToken, newId, newToken, safeEqual } from "../../lib/tokens.js";
import { newOrgName } from "../orgs/org-name.js";
import { VERIFY_TTL_MS, type AccountSteps, type NewSession } from "./account-steps.js";
import * as authRepo from "./auth.repository.js";
import { checkNewPassword, hashPassword } from "./passwords.js";
import type { SignInBackoff } from "./sign-in-backoff.js";
import * as repo from "./signup.repository.js";

export interface SignupInput {
  email: string;
  password: string;
  name?: string | undefined;
  invitation?: string | undefined;
  /** The sign-up's language: the new organization's name is written in it. */
  locale?: SupportedLocale | undefined;
}

export type SignupOutcome =
  | { kind: "joined"; userId: string; orgId: string; session: NewSession }
  /** `browserToken` goes into the sign-up browser's cookie, new address or not. */
  | { kind: "check_inbox"; browserToken: string };

/** Who opened a verification link: their session (if signed in) and their sign-up cookie. */
export interface VerifyCaller {
  session: { userId: string; sessionHash: string | null } | null;
  browserToken: string | null;
  /** The client's IP: a confirmation with a new password makes it one the owner signed in from. */
  ip: string;
}

/**
 * Whether the operator lets `email` sign up without an invitation (SIGNUP, SIGNUP_DOMAINS). Judged
 * from the address alone, so the refusal tells nothing about existing accounts.
 */
function checkSignupOpen(signup: Config["signup"], email: string) {
  if (signup.mode === "invite") {
    throw new ForbiddenError(
      "signup_invite_only",
      "This server creates accounts by invitation only. Ask an admin of your organization to invite you, then follow the link in the invitation.",
    );
  }
  const domain = email.slice(email.lastIndexOf("@") + 1).toLowerCase();
  if (signup.mode === "domains" && !signup.domains.includes(domain)) {
    throw new ForbiddenError(
      "signup_domain_not_allowed",
      `This server creates accounts for addresses at ${signup.domains.join(", ")} only, or by invitation.`,
      { domains: [...signup.domains] },
    );
  }
}

const userRow = (id: string, input: SignupInput, passwordHash: string, now: number) => ({
  id,
  email: input.email,
  // The schema trims it: a name of spaces only is none, not "" (shown as "Not set").
  name: input.name || null,
  password_hash: passwordHash,
  created_at: now,
});

export function createSignupService(deps: {
  database: Pick<DatabaseHandle, "db" | "dialect">;
  clock: Clock;
  mail: MailQueue;
  publicUrl: string;
  mailLimits: MailLimits;
  /** Who may sign up without an invitation (config SIGNUP, SIGNUP_DOMAINS). */
  signup: Config["signup"];
  steps: AccountSteps;
  backoff: SignInBackoff;
}) {
  const { database, clock, mail, publicUrl, mailLimits, steps, backoff } = deps;
  const tx = transactionsOn(database);

  /** Joins the organization of `invitation`; an address with an account signs in instead. */
  async function signupInvited(input: SignupInput & { invitation: string }, hash: string) {
    const now = clock.now();
    const userId = newId();
    const { session, orgId } = await tx(async (trx) => {
      // The invitation first: without a valid one to this address, nothing tells whether the
      // address has an account.
      const joined = await steps.takeInvitation(trx, input.invitation, input.email, now);
      const inserted = await repo.insertUser(trx, {
        ...userRow(userId, input, hash, now),
        email_verified_at: now,
      });
      // Throwing rolls the taken invitation back: it can still be accepted after signing in.
      if (!inserted)
        throw new ConflictError(
          "email_taken",
          "This address has an account. Sign in to accept the invitation.",
        );
      await repo.insertMembership(trx, { orgId: joined.org_id, userId, role: joined.role, now });
      return { session: await steps.createSession(trx, userId, "password"), orgId: joined.org_id };
    });
    return { kind: "joined" as const, userId, orgId, session };
  }

  /**
   * A new account, or a notice to the owner of an address that has one. Both run the same
   * statements before the answer (signup.repository.ts): the account's rows are written from the
   * new user's row, so for a taken address they write nothing, and each queues one mail.
   */
  async function signupOpen(input: SignupInput, hash: string) {
    const now = clock.now();
    const userId = newId();
    const browserToken = newToken();
    const verifyToken = newToken();
    await tx(async (trx) => {
      const created = await repo.insertUser(trx, {
        ...userRow(userId, input, hash, now),
        email_verified_at: null,
        signup_browser_hash: hashToken(browserToken),
      });
      // The sign-up's language names the organization and is its default language, which the
      // mails about the account go out in until its owner picks one (mail.locale.ts): nobody's
      // own language is known yet, an unconfirmed account's not counting.
      const orgId = newId();
      await repo.insertOwnOrg(trx, {
        userId,
        orgId,
        name: newOrgName(input.email, input.name, input.locale),
        defaultLocale: input.locale ?? null,
        now,
      });
      await repo.insertVerifyToken(trx, {
        userId,
        tokenHash: hashToken(verifyToken),
        now,
        expiresAt: now + VERIFY_TTL_MS,
      });
      // Both mails count toward what the address may receive in an hour; the verification mail
      // goes out regardless (it is the new account's own), the notice only within the limit.
      const withinLimit = await takeRecipientQuota(trx, mailLimits, { email: input.email, now });
      if (created)
        await mail.enqueue(trx, {
          kind: "verify_email",
          to: input.email,
          data: { verifyUrl: `${publicUrl}/verify-email#${verifyToken}` },
          language: { orgId },
        });
      else if (withinLimit)
        await mail.enqueue(trx, {
          kind: "signup_attempt",
          to: input.email,
          data: { attemptedAt: now },
        });
    });
    return { kind: "check_inbox" as const, browserToken };
  }

  return {
    async signup(input: SignupInput): Promise<SignupOutcome> {
      // An invitation is an admin's decision, and works whatever the operator's setting.
      if (input.invitation === undefined) checkSignupOpen(deps.signup, input.email);
      checkNewPassword(input.password, input.email);
      const hash = await hashPassword(input.password);
      const outcome =
        input.invitation !== undefined
          ? await signupInvited({ ...input, invitation: input.invitation }, hash)
          : await signupOpen(input, hash);
      mail.kick?.();
      return outcome;
    },

    /**
     * Confirms the address of the link's account. Whoever typed the address at sign-up knows the
     * password, and may not own the inbox (issue 15): so the first confirmation keeps the password
     * only when the link is opened where the password was proven, the browser that signed up
     * (its cookie) or a session of the account; anywhere else it needs `newPassword`, and
     * answers 403 new_password_required without one, spending nothing. Confirming wipes what an
     * unproven holder had (steps.wipeUnprovenHolder; with a new password every session and
     * token too), and signs in the opening browser unless it is already. Answers that session.
     */
    async verifyEmail(
      token: string,
      caller: VerifyCaller,
      newPassword?: string,
    ): Promise<NewSession | null> {
      const now = clock.now();
      const pending = await repo.findVerifyToken(database.db, { tokenHash: hashToken(token), now });
      if (!pending) throw invalidVerifyToken();
      const signedInAsIt = caller.session?.userId === pending.id;
      const sameBrowser =
        caller.browserToken !== null &&
        safeEqual(pending.signup_browser_hash, hashToken(caller.browserToken));
      const confirming = pending.email_verified_at === null;
      if (confirming && !signedInAsIt && !sameBrowser && newPassword === undefined) {
        throw new ForbiddenError(
          "new_password_required",
          "This link was opened in another browser than the one that signed up. Choose a new password to confirm the address: whoever typed the first one may not be you.",
        );
      }
      let hash: string | null = null;
      if (confirming && newPassword !== undefined) {
        checkNewPassword(newPassword, pending.email);
        hash = await hashPassword(newPassword);
      }
      const outcome = await tx(async (trx) => {
        const userId = await steps.spendEmailToken(trx, token, "verify");
        if (userId !== pending.id) return { ok: false as const };
        const proven = await repo.confirmAddress(trx, { userId, now, passwordHash: hash });
        if (!proven) return { ok: true as const, session: null };
        if (hash !== null) {
          // As a reset: nobody who knew the old password stays signed in, reset links die.
          await steps.wipeUnprovenHolder(trx, userId, null);
          await authRepo.deleteEmailTokensOf(trx, userId, "reset");
        } else {
          await steps.wipeUnprovenHolder(
            trx,
            userId,
            signedInAsIt ? (caller.session?.sessionHash ?? null) : null,
          );
        }
        const keepsOwn = signedInAsIt && hash === null;
        const session = keepsOwn ? null : await steps.createSession(trx, userId, "password");
        return { ok: true as const, session, newPassword: hash !== null };
      });
      if (!outcome.ok) throw invalidVerifyToken();
      // As after a reset: the owner proved the inbox and replaced the password, so whatever
      // pauses others' wrong passwords caused end, and this IP counts as the owner's.
      if (outcome.newPassword) await backoff.reset(pending.email, caller.ip, clock.now());
      return outcome.session;
    },
  };
}

const invalidVerifyToken = () =>
  new BadRequestError(
    "invalid_token",
    "This verification link is not valid any more. Ask for a new one.",
  );

export type SignupService = ReturnType<typeof createSignupService>;
