import { randomBytes } from "node:crypto";

import { sql, type Kysely } from "kysely";

import { createOrgSsoDomainsKeyedByDomain } from "./20261202044000_sso.js";

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen history */

/**
 * SSO domains are proven by a DNS TXT record before they count (SPEC F15). A claim is now keyed by
 * (organization, domain), so many organizations may wait on one domain; only a proven claim
 * (`proven_at` set) routes sign-in, and at most one per domain (a partial unique index, which
 * SQLite and PostgreSQL both have). The primary key changes, which SQLite cannot alter: the table
 * is built anew. Rows from before were accepted by an operator's admin and are in use: they are
 * kept as proven (at the migration's time), each with a proof value of its own for later checks.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const old = await db.selectFrom("org_sso_domains").select(["domain", "org_id"]).execute();
  await db.schema.dropTable("org_sso_domains").execute();
  await db.schema
    .createTable("org_sso_domains")
    .addColumn("org_id", "varchar(36)", (c) =>
      c.notNull().references("orgs.id").onDelete("cascade"),
    )
    .addColumn("domain", "varchar(253)", (c) => c.notNull())
    .addColumn("proof", "varchar(64)", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("proven_at", "bigint")
    .addPrimaryKeyConstraint("org_sso_domains_pk", ["org_id", "domain"])
    .execute();
  await db.schema
    .createIndex("org_sso_domains_proven")
    .on("org_sso_domains")
    .column("domain")
    .unique()
    .where(sql.ref("proven_at"), "is not", null)
    .execute();
  const now = Date.now();
  if (old.length > 0)
    await db
      .insertInto("org_sso_domains")
      .values(
        old.map((row) => ({
          ...row,
          proof: randomBytes(16).toString("hex"),
          created_at: now,
          proven_at: now,
        })),
      )
      .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  const proven = await db
    .selectFrom("org_sso_domains")
    .select(["domain", "org_id"])
    .where("proven_at", "is not", null)
    .execute();
  await db.schema.dropTable("org_sso_domains").execute();
  await createOrgSsoDomainsKeyedByDomain(db);
  if (proven.length > 0) await db.insertInto("org_sso_domains").values(proven).execute();
}
