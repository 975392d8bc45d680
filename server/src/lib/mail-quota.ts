/**
 * How many mails an account may make the server send to others (invitations, share deliveries),
 * and how many one address may receive, per hour (issue 15, item 3): one account cannot flood an
 * inbox or use the server's good name for a mailing. Counted inside the transaction that queues
 * the mails, so a refusal queues nothing and counts nothing.
 */
import { sql, type Kysely } from "kysely";

import type { Database } from "../db/schema.js";
import { TooManyRequestsError } from "../errors.js";
import { hashToken } from "./tokens.js";

const WINDOW_MS = 3600 * 1000;

export interface MailLimits {
  perAccount: number;
  perRecipient: number;
}

/** Adds `n` to a bucket's count in its hour (a new hour starts at `n`); returns the new count. */
async function add(db: Kysely<Database>, bucket: string, n: number, now: number) {
  const expired = sql<boolean>`mail_quota.window_started_at <= ${sql`cast(${now - WINDOW_MS} as bigint)`}`;
  const row = await db
    .insertInto("mail_quota")
    .values({ bucket, window_started_at: now, count: n })
    .onConflict((oc) =>
      oc.column("bucket").doUpdateSet({
        count: sql<number>`(case when ${expired} then ${n} else mail_quota.count + ${n} end)`,
        window_started_at: sql<number>`(case when ${expired} then cast(${now} as bigint) else mail_quota.window_started_at end)`,
      }),
    )
    .returning(["count", "window_started_at"])
    .executeTakeFirstOrThrow();
  return { count: Number(row.count), resetsAt: Number(row.window_started_at) + WINDOW_MS };
}

/**
 * Counts mails from `senderId` to `recipients` and throws 429 `mail_limit` when either limit is
 * passed. Call it inside the transaction that queues them: the throw rolls the counts back too.
 */
export async function takeMailQuota(
  db: Kysely<Database>,
  limits: MailLimits,
  args: { senderId: string; recipients: string[]; now: number },
) {
  const { senderId, recipients, now } = args;
  if (recipients.length === 0) return;
  const sender = await add(db, `sender:${senderId}`, recipients.length, now);
  if (sender.count > limits.perAccount) {
    const retryAt = new Date(sender.resetsAt).toISOString();
    throw new TooManyRequestsError(
      "mail_limit",
      `Your account may have at most ${limits.perAccount} invitations and e-mailed shares sent per hour. Try again after ${retryAt}.`,
      { retryAt },
    );
  }
  for (const email of recipients) await takeAddressQuota(db, limits, { email, now });
}

/**
 * Counts one mail to `email` against its hourly limit and throws 429 `mail_limit` past it (for
 * mails someone asks for on their own account: the verification mail sent again).
 */
export async function takeAddressQuota(
  db: Kysely<Database>,
  limits: MailLimits,
  args: { email: string; now: number },
) {
  const { email, now } = args;
  const received = await add(db, `to:${hashToken(email.toLowerCase())}`, 1, now);
  if (received.count > limits.perRecipient) {
    const retryAt = new Date(received.resetsAt).toISOString();
    throw new TooManyRequestsError(
      "mail_limit",
      `${email} has received as many mails from this server as it may in an hour. Try again after ${retryAt}.`,
      { retryAt, email },
    );
  }
}

/**
 * Counts one mail the server sends to `email` on nobody's behalf (the notice that someone tried
 * to sign up with the address) and says whether it is within the address's hourly limit. Never
 * throws: the caller must answer the same either way, so an over-limit mail is just not sent.
 */
export async function takeRecipientQuota(
  db: Kysely<Database>,
  limits: MailLimits,
  args: { email: string; now: number },
): Promise<boolean> {
  const received = await add(db, `to:${hashToken(args.email.toLowerCase())}`, 1, args.now);
  return received.count <= limits.perRecipient;
}
