import type { Kysely } from "kysely";

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen history */

/**
 * A webhook endpoint belongs to the admin who added it (docs/SPEC.md, "Webhooks"): `created_by`
 * is that account (or the admin who resumed it since), and `paused_reason` says why the server
 * paused it (`creator_not_admin`: its owner left the organization or stopped being an admin),
 * null while it runs or an admin paused it by hand. No foreign key: the owner's id stays on an
 * endpoint paused when the account was deleted, until an admin resumes it.
 *
 * Endpoints from before get their owner from the audit log's `webhook.created` entry where the
 * retention kept one (none: no owner, and nothing pauses them); those whose owner is no longer
 * an admin of the organization are paused now, as they would have been at the change.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("webhook_endpoints").addColumn("created_by", "varchar(36)").execute();
  await db.schema
    .alterTable("webhook_endpoints")
    .addColumn("paused_reason", "varchar(32)")
    .execute();
  await db
    .updateTable("webhook_endpoints")
    .set((eb) => ({
      created_by: eb
        .selectFrom("audit_entries")
        .select("audit_entries.actor_id")
        .whereRef("audit_entries.org_id", "=", "webhook_endpoints.org_id")
        .where("audit_entries.type", "=", "webhook.created")
        .where("audit_entries.target_kind", "=", "webhook")
        .whereRef("audit_entries.target_id", "=", "webhook_endpoints.id")
        .where("audit_entries.outcome", "=", "success")
        .orderBy("audit_entries.seq")
        .limit(1),
    }))
    .execute();
  await db
    .updateTable("webhook_endpoints")
    .set({ enabled: 0, paused_reason: "creator_not_admin" })
    .where("created_by", "is not", null)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom("memberships")
            .select("memberships.user_id")
            .whereRef("memberships.org_id", "=", "webhook_endpoints.org_id")
            .whereRef("memberships.user_id", "=", "webhook_endpoints.created_by")
            .where("memberships.role", "=", "admin"),
        ),
      ),
    )
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("webhook_endpoints").dropColumn("paused_reason").execute();
  await db.schema.alterTable("webhook_endpoints").dropColumn("created_by").execute();
}
