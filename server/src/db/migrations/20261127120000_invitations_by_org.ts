import type { Kysely } from "kysely";

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen history */

export async function up(db: Kysely<any>): Promise<void> {
  // The Members tab lists an organization's pending invitations; accepted and expired ones stay
  // in the table, so without this every listing would read all organizations' invitations.
  await db.schema
    .createIndex("invitations_org")
    .on("invitations")
    .columns(["org_id", "created_at"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("invitations_org").execute();
}
