import type { Kysely } from "kysely";

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen history */

export async function up(db: Kysely<any>): Promise<void> {
  // Languages (SPEC F17): the one an account picked, and an organization's default (beside its
  // branding colours, which it is the default of for branded pages). NULL: none picked. BCP 47
  // tags from the protocol's SUPPORTED_LOCALES ("zh-Hans" is the longest).
  await db.schema.alterTable("users").addColumn("locale", "varchar(16)").execute();
  await db.schema.alterTable("orgs").addColumn("default_locale", "varchar(16)").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("orgs").dropColumn("default_locale").execute();
  await db.schema.alterTable("users").dropColumn("locale").execute();
}
