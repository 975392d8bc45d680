/**
 * Taking an invitation, which both joining an organization as a member (orgs) and signing up
 * with an invitation (auth) do: one conditional UPDATE admits, and a second look says why not.
 * Shared SQL over the invitations table, so neither feature reads the other's repository; what
 * makes an invitation pending (`pendingAt`) is the orgs repository's rule too.
 */
import type { ExpressionBuilder, Kysely } from "kysely";

import type { Database } from "../db/schema.js";

type Db = Kysely<Database>;

/** Still pending at `now`: not accepted and not past its expiry (a cancelled one is deleted). */
export function pendingAt(now: number) {
  return (eb: ExpressionBuilder<Database, "invitations">) =>
    eb.and([eb("invitations.accepted_at", "is", null), eb("invitations.expires_at", ">", now)]);
}

/**
 * Marks a pending invitation to `email` accepted; the one UPDATE that admits. The address's other
 * pending invitations to that organization end with it: left pending, one would let a member the
 * admins remove later walk back in (with whatever role it named) through an older link.
 */
export async function acceptInvitation(
  db: Db,
  args: { tokenHash: string; email: string; now: number },
) {
  const taken = await db
    .updateTable("invitations")
    .set({ accepted_at: args.now })
    .where("token_hash", "=", args.tokenHash)
    .where(pendingAt(args.now))
    .where("email", "=", args.email)
    .returning(["org_id", "role"])
    .executeTakeFirst();
  if (taken) {
    await db
      .deleteFrom("invitations")
      .where("org_id", "=", taken.org_id)
      .where("email", "=", args.email)
      .where("accepted_at", "is", null)
      .execute();
  }
  return taken;
}

/** The address a still-pending invitation was sent to, whoever holds its token; undefined if none. */
export async function pendingInvitationEmail(db: Db, tokenHash: string, now: number) {
  const row = await db
    .selectFrom("invitations")
    .select("email")
    .where("token_hash", "=", tokenHash)
    .where(pendingAt(now))
    .executeTakeFirst();
  return row?.email;
}
