import type { Kysely } from "kysely";

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen history */

export async function up(db: Kysely<any>): Promise<void> {
  // What a token may do (issue 25): tokens made before scopes keep doing everything, for ever.
  await db.schema
    .alterTable("api_tokens")
    .addColumn("scope", "varchar(16)", (c) => c.notNull().defaultTo("full"))
    .execute();
  await db.schema.alterTable("api_tokens").addColumn("expires_at", "bigint").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("api_tokens").dropColumn("expires_at").execute();
  await db.schema.alterTable("api_tokens").dropColumn("scope").execute();
}
