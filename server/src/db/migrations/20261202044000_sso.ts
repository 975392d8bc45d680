import type { Kysely } from "kysely";

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen history */

export async function up(db: Kysely<any>): Promise<void> {
  // One OpenID Connect provider per organization; the client secret sealed with the root key.
  await db.schema
    .createTable("org_sso")
    .addColumn("org_id", "varchar(36)", (c) =>
      c.primaryKey().references("orgs.id").onDelete("cascade"),
    )
    .addColumn("enabled", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("issuer", "varchar(500)", (c) => c.notNull())
    .addColumn("client_id", "varchar(300)", (c) => c.notNull())
    .addColumn("client_secret_sealed", "text")
    .addColumn("require_sso", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();
  await createOrgSsoDomainsKeyedByDomain(db);
  await db.schema
    .createTable("org_sso_break_glass")
    .addColumn("org_id", "varchar(36)", (c) =>
      c.notNull().references("orgs.id").onDelete("cascade"),
    )
    .addColumn("user_id", "varchar(36)", (c) =>
      c.notNull().references("users.id").onDelete("cascade"),
    )
    .addPrimaryKeyConstraint("org_sso_break_glass_pk", ["org_id", "user_id"])
    .execute();
  // A sign-in under way: state stored hashed, the PKCE verifier and nonce sealed; single use.
  await db.schema
    .createTable("sso_logins")
    .addColumn("state_hash", "varchar(64)", (c) => c.primaryKey())
    .addColumn("org_id", "varchar(36)", (c) =>
      c.notNull().references("orgs.id").onDelete("cascade"),
    )
    .addColumn("sealed", "text", (c) => c.notNull())
    .addColumn("return_to", "varchar(500)", (c) => c.notNull())
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("sso_logins_expires").on("sso_logins").column("expires_at").execute();
}

/**
 * org_sso_domains as this migration makes it: a domain signs in through one organization only, and
 * the primary key says so. 20261206110000_sso_domain_proof's down builds it again from here.
 */
export async function createOrgSsoDomainsKeyedByDomain(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("org_sso_domains")
    .addColumn("domain", "varchar(253)", (c) => c.primaryKey())
    .addColumn("org_id", "varchar(36)", (c) =>
      c.notNull().references("orgs.id").onDelete("cascade"),
    )
    .execute();
  await db.schema
    .createIndex("org_sso_domains_org")
    .on("org_sso_domains")
    .column("org_id")
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("sso_logins").execute();
  await db.schema.dropTable("org_sso_break_glass").execute();
  await db.schema.dropTable("org_sso_domains").execute();
  await db.schema.dropTable("org_sso").execute();
}
