import { sql, type Kysely } from "kysely";

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen history */

/**
 * A share's "created" and "expired" access-log entries are read off the share row from now on
 * (its creator, creation time and address; its tombstone's status and time), instead of being a
 * row each in share_events: one insert less per create and per expired share, which made a create
 * a single statement and the sweep of a large backlog about twice as fast. The creator's address
 * moves onto the share; the rows that are no longer needed go.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("shares").addColumn("created_ip", "varchar(64)").execute();
  await sql`
    update shares set created_ip = (
      select e.ip from share_events e where e.share_id = shares.id and e.type = 'created' limit 1
    )
  `.execute(db);
  await db.deleteFrom("share_events").where("type", "in", ["created", "expired"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    insert into share_events (id, share_id, type, at, ip, user_id)
    select id || '-c', id, 'created', created_at, created_ip, creator_id from shares
  `.execute(db);
  await sql`
    insert into share_events (id, share_id, type, at, ip, user_id)
    select id || '-e', id, 'expired', gone_at, null, null from shares where status = 'expired'
  `.execute(db);
  await db.schema.alterTable("shares").dropColumn("created_ip").execute();
}
