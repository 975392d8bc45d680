/**
 * Steps the account services share (sign-up, verification, reset): sessions, single-use e-mail
 * tokens, the wipe of an unproven holder, taking an invitation. Each takes the Kysely instance to
 * run on, so it works inside the caller's transaction.
 */
import type { Kysely } from "kysely";

import type { Clock } from "../../clock.js";
import type { Database } from "../../db/schema.js";
import { ForbiddenError, NotFoundError } from "../../errors.js";
import { hashToken, newToken } from "../../lib/tokens.js";
import { SESSION_ABSOLUTE_MS } from "./auth.context.js";

const VERIFY_TTL_MS = 48 * 3600 * 1000;
const RESET_TTL_MS = 30 * 60 * 1000;

export interface NewSession {
  token: string;
  csrfToken: string;
  expiresAt: number;
}

export function createAccountSteps(clock: Clock) {
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

  return { createSession, issueEmailToken, spendEmailToken, wipeUnprovenHolder, takeInvitation };
}

export type AccountSteps = ReturnType<typeof createAccountSteps>;
