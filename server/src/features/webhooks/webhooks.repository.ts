/**
 * SQL for webhooks, and nothing else: endpoints, and deliveries, which are both the outbox and
 * the delivery log. Claiming works as the mail outbox's does (mail.repository.ts): one conditional
 * UPDATE sets a lease and a claim token, and only the holder of that token can settle the row,
 * so instances running the worker side by side never send a delivery twice.
 */
import type { Insertable, Kysely, Selectable } from "kysely";

import type { Dialect } from "../../db/database.js";
import type { Database, WebhookDeliveriesTable, WebhookEndpointsTable } from "../../db/schema.js";
import { dueAndFree, heldBy } from "../../lib/outbox-lease.js";

type Db = Kysely<Database>;
export type EndpointRow = Selectable<WebhookEndpointsTable>;
export type DeliveryRow = Selectable<WebhookDeliveriesTable>;

export async function insertEndpoint(db: Db, row: Insertable<WebhookEndpointsTable>) {
  await db.insertInto("webhook_endpoints").values(row).execute();
}

export function endpointsOf(db: Db, orgId: string): Promise<EndpointRow[]> {
  return db
    .selectFrom("webhook_endpoints")
    .selectAll()
    .where("org_id", "=", orgId)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
}

export function endpoint(db: Db, orgId: string, id: string): Promise<EndpointRow | undefined> {
  return db
    .selectFrom("webhook_endpoints")
    .selectAll()
    .where("org_id", "=", orgId)
    .where("id", "=", id)
    .executeTakeFirst();
}

/** Sets the given fields of one endpoint of the organization; false when there is none. */
export async function updateEndpoint(
  db: Db,
  orgId: string,
  id: string,
  set: Partial<
    Pick<
      WebhookEndpointsTable,
      "url" | "events" | "format" | "include_names" | "enabled" | "created_by" | "paused_reason"
    >
  >,
): Promise<boolean> {
  if (Object.keys(set).length === 0) return (await endpoint(db, orgId, id)) !== undefined;
  const result = await db
    .updateTable("webhook_endpoints")
    .set(set)
    .where("org_id", "=", orgId)
    .where("id", "=", id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Pauses the endpoints `userId` owns, in `orgId` or everywhere, because they are no longer its
 * admin (removed, left, demoted, account deleted): inside the membership change's transaction.
 * An endpoint an admin had paused by hand gets the reason too, so its resume hands it over.
 */
export async function pauseOwnedBy(
  db: Db,
  args: { userId: string; orgId?: string | undefined },
): Promise<number> {
  const result = await db
    .updateTable("webhook_endpoints")
    .set({ enabled: 0, paused_reason: "creator_not_admin" })
    .where("created_by", "=", args.userId)
    .$if(args.orgId !== undefined, (qb) => qb.where("org_id", "=", args.orgId ?? ""))
    .where("paused_reason", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function deleteEndpoint(db: Db, orgId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom("webhook_endpoints")
    .where("org_id", "=", orgId)
    .where("id", "=", id)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/**
 * A delivery as it enters the outbox: pending, due at once, never tried. The test button and the
 * audit hook queue the same row, so the worker cannot tell them apart.
 */
export function pendingDelivery(args: {
  id: string;
  endpointId: string;
  type: string;
  payload: string;
  now: number;
}): Insertable<WebhookDeliveriesTable> {
  return {
    id: args.id,
    endpoint_id: args.endpointId,
    type: args.type,
    payload: args.payload,
    status: "pending",
    next_attempt_at: args.now,
    locked_until: null,
    claim_token: null,
    created_at: args.now,
    last_attempt_at: null,
    response_status: null,
    last_error_code: null,
  };
}

export async function insertDeliveries(db: Db, rows: Insertable<WebhookDeliveriesTable>[]) {
  if (rows.length > 0) await db.insertInto("webhook_deliveries").values(rows).execute();
}

export function deliveriesOf(db: Db, endpointId: string, limit: number) {
  return db
    .selectFrom("webhook_deliveries")
    .selectAll()
    .where("endpoint_id", "=", endpointId)
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
}

/**
 * Takes up to `batch` due pending deliveries nobody holds a live lease on, counting the attempt,
 * with their endpoint's URL, format and sealed secret. PostgreSQL skips rows another instance is
 * claiming right now; the outer statement repeats the conditions (SQLite has one writer anyway).
 */
export async function claimDue(
  db: Db,
  args: { now: number; leaseMs: number; batch: number; claimToken: string; dialect: Dialect },
) {
  const candidates = db
    .selectFrom("webhook_deliveries")
    .select("id")
    .where("status", "=", "pending")
    .where(dueAndFree(args.now))
    .orderBy("next_attempt_at")
    .limit(args.batch)
    .$if(args.dialect === "postgres", (qb) => qb.forUpdate().skipLocked());
  const claimed = await db
    .updateTable("webhook_deliveries")
    .set((eb) => ({
      attempts: eb("attempts", "+", 1),
      locked_until: args.now + args.leaseMs,
      claim_token: args.claimToken,
      last_attempt_at: args.now,
    }))
    .where("id", "in", candidates)
    .where("status", "=", "pending")
    .where(dueAndFree(args.now))
    .returningAll()
    .execute();
  if (claimed.length === 0) return [];
  const endpoints = await db
    .selectFrom("webhook_endpoints")
    .select(["id", "url", "secret"])
    .where("id", "in", [...new Set(claimed.map((d) => d.endpoint_id))])
    .execute();
  const byId = new Map(endpoints.map((e) => [e.id, e]));
  return claimed.flatMap((delivery) => {
    const found = byId.get(delivery.endpoint_id);
    return found ? [{ delivery, endpoint: found }] : [];
  });
}

/** Settles a delivery this claim still holds: delivered, failed, or pending again later. */
export async function settle(
  db: Db,
  args: {
    id: string;
    claimToken: string;
    status: "pending" | "delivered" | "failed";
    nextAttemptAt: number | null;
    responseStatus: number | null;
    errorCode: string | null;
  },
): Promise<boolean> {
  const result = await db
    .updateTable("webhook_deliveries")
    .set({
      status: args.status,
      next_attempt_at: args.nextAttemptAt,
      locked_until: null,
      claim_token: null,
      response_status: args.responseStatus,
      last_error_code: args.errorCode,
    })
    .where(heldBy(args))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Forgets settled deliveries created before `before` (the log keeps the recent ones). */
export async function pruneSettled(db: Db, before: number): Promise<number> {
  const result = await db
    .deleteFrom("webhook_deliveries")
    .where("status", "in", ["delivered", "failed"])
    .where("created_at", "<", before)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
