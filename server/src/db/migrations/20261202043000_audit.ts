import type { Kysely } from "kysely";

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen history */

export async function up(db: Kysely<any>): Promise<void> {
  // The audit log (SPEC F18), one chain per organization: seq 1, 2, 3 …, each entry's prev the
  // hash of the one before (features/audit). Deleting an organization deletes its log.
  await db.schema
    .createTable("audit_entries")
    .addColumn("org_id", "varchar(36)", (c) =>
      c.notNull().references("orgs.id").onDelete("cascade"),
    )
    .addColumn("seq", "bigint", (c) => c.notNull())
    .addColumn("at", "bigint", (c) => c.notNull())
    .addColumn("type", "varchar(40)", (c) => c.notNull())
    .addColumn("actor_kind", "varchar(16)", (c) => c.notNull())
    .addColumn("actor_id", "varchar(36)")
    .addColumn("ip", "varchar(64)")
    .addColumn("target_kind", "varchar(16)")
    .addColumn("target_id", "varchar(64)")
    .addColumn("outcome", "varchar(8)", (c) => c.notNull())
    .addColumn("prev", "varchar(64)", (c) => c.notNull())
    .addColumn("hash", "varchar(64)", (c) => c.notNull())
    .addPrimaryKeyConstraint("audit_entries_pk", ["org_id", "seq"])
    .execute();
  await db.schema
    .createIndex("audit_entries_org_at")
    .on("audit_entries")
    .columns(["org_id", "at"])
    .execute();
  // Retention finds the organizations with entries past it without reading every entry.
  await db.schema.createIndex("audit_entries_at").on("audit_entries").column("at").execute();

  // The end of each chain: the row an append locks (PostgreSQL) and moves, so appends of one
  // organization take turns. cut_seq/cut_hash: the last entry pruning removed, so the first
  // entry kept still links to something on record.
  await db.schema
    .createTable("audit_heads")
    .addColumn("org_id", "varchar(36)", (c) =>
      c.primaryKey().references("orgs.id").onDelete("cascade"),
    )
    .addColumn("seq", "bigint", (c) => c.notNull())
    .addColumn("hash", "varchar(64)", (c) => c.notNull())
    .addColumn("cut_seq", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("cut_hash", "varchar(64)")
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("audit_heads").execute();
  await db.schema.dropTable("audit_entries").execute();
}
