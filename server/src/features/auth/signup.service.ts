/**
 * Sign-up and e-mail verification (SPEC F8, issue 15).
 *
 * Without an invitation, sign-up answers the same for a new address and one that has an account:
 * the password is hashed either way, one write transaction runs either way, and the inbox gets
 * either the verification link or a notice that someone tried (within the address's mail limit).
 * Nobody is signed in by it: the browser that signed up gets a random cookie instead, and the
 * verification link opened in that browser signs it in.
 *
 * With an invitation (whose token reached the address, so it proves the inbox) the account is
 * created confirmed, joins that organization and is signed in at once.
 */
import type { Kysely } from "kysely";

import type { Clock } from "../../clock.js";
import { writeTransaction, type DatabaseHandle } from "../../db/database.js";
import type { Database } from "../../db/schema.js";
import { BadRequestError, ConflictError } from "../../errors.js";
import type { MailQueue } from "../../lib/mail-queue.js";
import { takeRecipientQuota, type MailLimits } from "../../lib/mail-quota.js";
import { hashToken, newId, newToken, safeEqual } from "../../lib/tokens.js";
import { newOrgName } from "../orgs/org-name.js";
import type { AccountSteps, NewSession } from "./account-steps.js";
import { checkNewPassword, hashPassword } from "./passwords.js";

export interface SignupInput {
  email: string;
  password: string;
  name?: string | undefined;
  invitation?: string | undefined;
}

export type SignupOutcome =
  | { kind: "joined"; userId: string; session: NewSession }
  /** `browserToken` goes into the sign-up browser's cookie, new address or not. */
  | { kind: "check_inbox"; browserToken: string };

/** Who opened a verification link: their session (if signed in) and their sign-up cookie. */
export interface VerifyCaller {
  session: { userId: string; sessionHash: string | null } | null;
  browserToken: string | null;
}

export function createSignupService(deps: {
  database: Pick<DatabaseHandle, "db" | "dialect">;
  clock: Clock;
  mail: MailQueue;
  publicUrl: string;
  mailLimits: MailLimits;
  steps: AccountSteps;
}) {
  const { database, clock, mail, publicUrl, mailLimits, steps } = deps;
  const tx = <T>(fn: (trx: Kysely<Database>) => Promise<T>) => writeTransaction(database, fn);

  /** Joins the organization of `invitation`; an address with an account signs in instead. */
  async function signupInvited(input: SignupInput & { invitation: string }, hash: string) {
    const now = clock.now();
    const userId = newId();
    const session = await tx(async (trx) => {
      // The invitation first: without a valid one to this address, nothing tells whether the
      // address has an account.
      const joined = await steps.takeInvitation(trx, input.invitation, input.email, now);
      const inserted = await trx
        .insertInto("users")
        .values({
          id: userId,
          email: input.email,
          name: input.name ?? null,
          password_hash: hash,
          created_at: now,
          email_verified_at: now,
        })
        .onConflict((oc) => oc.column("email").doNothing())
        .returning("id")
        .executeTakeFirst();
      // Throwing rolls the taken invitation back: it can still be accepted after signing in.
      if (!inserted)
        throw new ConflictError(
          "email_taken",
          "This address has an account. Sign in to accept the invitation.",
        );
      await trx
        .insertInto("memberships")
        .values({ org_id: joined.org_id, user_id: userId, role: joined.role, created_at: now })
        .execute();
      return steps.createSession(trx, userId);
    });
    return { kind: "joined" as const, userId, session };
  }

  /** A new account, or a notice to the owner of an address that has one; the same work either way. */
  async function signupOpen(input: SignupInput, hash: string) {
    const now = clock.now();
    const userId = newId();
    const browserToken = newToken();
    await tx(async (trx) => {
      const inserted = await trx
        .insertInto("users")
        .values({
          id: userId,
          email: input.email,
          name: input.name ?? null,
          password_hash: hash,
          created_at: now,
          email_verified_at: null,
          signup_browser_hash: hashToken(browserToken),
        })
        .onConflict((oc) => oc.column("email").doNothing())
        .returning("id")
        .executeTakeFirst();
      // Both mails count toward what the address may receive in an hour; the verification mail
      // goes out regardless (it is the new account's own), the notice only within the limit.
      const withinLimit = await takeRecipientQuota(trx, mailLimits, { email: input.email, now });
      if (!inserted) {
        if (withinLimit)
          await mail.enqueue(trx, {
            kind: "signup_attempt",
            to: input.email,
            data: { attemptedAt: now },
          });
        return;
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
      const verifyToken = await steps.issueEmailToken(trx, userId, "verify");
      await mail.enqueue(trx, {
        kind: "verify_email",
        to: input.email,
        data: { verifyUrl: `${publicUrl}/verify-email?token=${verifyToken}` },
      });
    });
    return { kind: "check_inbox" as const, browserToken };
  }

  return {
    async signup(input: SignupInput): Promise<SignupOutcome> {
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
     * Confirms the address of the link's account. The first confirmation wipes what an unproven
     * holder had (steps.wipeUnprovenHolder), keeping the caller's session when the caller is
     * signed in as that account; the browser that signed up (its cookie) is signed in. Answers
     * the new session, if any.
     */
    async verifyEmail(token: string, caller: VerifyCaller): Promise<NewSession | null> {
      const now = clock.now();
      const outcome = await tx(async (trx) => {
        const userId = await steps.spendEmailToken(trx, token, "verify");
        if (!userId) return { ok: false as const };
        const user = await trx
          .selectFrom("users")
          .select("signup_browser_hash")
          .where("id", "=", userId)
          .executeTakeFirstOrThrow();
        const proven = await trx
          .updateTable("users")
          .set({ email_verified_at: now, signup_browser_hash: null })
          .where("id", "=", userId)
          .where("email_verified_at", "is", null)
          .executeTakeFirst();
        if (Number(proven.numUpdatedRows) !== 1) return { ok: true as const, session: null };
        const signedInAsIt = caller.session?.userId === userId;
        await steps.wipeUnprovenHolder(
          trx,
          userId,
          signedInAsIt ? (caller.session?.sessionHash ?? null) : null,
        );
        const sameBrowser =
          caller.browserToken !== null &&
          safeEqual(user.signup_browser_hash, hashToken(caller.browserToken));
        const session =
          sameBrowser && !signedInAsIt ? await steps.createSession(trx, userId) : null;
        return { ok: true as const, session };
      });
      if (!outcome.ok)
        throw new BadRequestError(
          "invalid_token",
          "This verification link is not valid any more. Ask for a new one.",
        );
      return outcome.session;
    },
  };
}

export type SignupService = ReturnType<typeof createSignupService>;
