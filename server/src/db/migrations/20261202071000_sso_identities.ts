import type { Kysely } from "kysely";

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen history */

export async function up(db: Kysely<any>): Promise<void> {
  // Who the provider says someone is (iss + sub, OpenID Connect Core 5.7): the e-mail address
  // may change at the provider, the subject does not. One subject per account per issuer.
  await db.schema
    .createTable("sso_identities")
    .addColumn("issuer", "varchar(500)", (c) => c.notNull())
    .addColumn("subject", "varchar(255)", (c) => c.notNull())
    .addColumn("user_id", "varchar(36)", (c) =>
      c.notNull().references("users.id").onDelete("cascade"),
    )
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("sso_identities_pk", ["issuer", "subject"])
    .execute();
  await db.schema
    .createIndex("sso_identities_user")
    .on("sso_identities")
    .columns(["user_id", "issuer"])
    .unique()
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("sso_identities").execute();
}
