/** SQL for a share's e-mail recipients and their delivery state, and nothing else. */
import type { Kysely } from "kysely";

import type { Database, DeliveryState } from "../../db/schema.js";
import { newId } from "../../lib/tokens.js";

type Db = Kysely<Database>;

/** Records a recipient as queued; returns the id its outbox message refers to. */
export async function insertRecipient(
  db: Db,
  args: { shareId: string; email: string; now: number },
): Promise<string> {
  const id = newId();
  await db
    .insertInto("share_recipients")
    .values({
      id,
      share_id: args.shareId,
      email: args.email,
      created_at: args.now,
      updated_at: args.now,
    })
    .execute();
  return id;
}

export async function markDelivery(db: Db, recipientId: string, state: DeliveryState, now: number) {
  await db
    .updateTable("share_recipients")
    .set({ delivery: state, updated_at: now })
    .where("id", "=", recipientId)
    .execute();
}

/** The recipients of each share, by address, for the organization's list. */
export async function recipientsOf(db: Db, shareIds: string[]) {
  const byShare = new Map<string, { email: string; delivery: DeliveryState }[]>();
  if (shareIds.length === 0) return byShare;
  const rows = await db
    .selectFrom("share_recipients")
    .select(["share_id", "email", "delivery"])
    .where("share_id", "in", shareIds)
    .orderBy("email")
    .execute();
  for (const r of rows) {
    const list = byShare.get(r.share_id) ?? [];
    list.push({ email: r.email, delivery: r.delivery });
    byShare.set(r.share_id, list);
  }
  return byShare;
}

/** Whether `userId` signs in with one of the addresses a share was sent to. */
export async function isRecipient(db: Db, shareId: string, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom("share_recipients")
    .innerJoin("users", "users.email", "share_recipients.email")
    .select("share_recipients.id")
    .where("share_recipients.share_id", "=", shareId)
    .where("users.id", "=", userId)
    .executeTakeFirst();
  return row !== undefined;
}
