/**
 * SQL for an organization's branding (its colours and default language on the orgs row, its logo
 * in org_logos), and
 * nothing else. Every function takes the Kysely instance to run on.
 */
import type { Kysely } from "kysely";

import type { Database } from "../../db/schema.js";

type Db = Kysely<Database>;

/** The organization's name, colours and logo reference; undefined when there is no such org. */
export async function findBranding(db: Db, orgId: string) {
  return db
    .selectFrom("orgs")
    .leftJoin("org_logos", "org_logos.org_id", "orgs.id")
    .select([
      "orgs.name",
      "orgs.primary_color",
      "orgs.background_color",
      "orgs.text_color",
      "orgs.default_locale",
      "org_logos.hash",
      "org_logos.content_type",
    ])
    .where("orgs.id", "=", orgId)
    .executeTakeFirst();
}

/** Colours and default language, on the orgs row. */
export async function setBranding(
  db: Db,
  orgId: string,
  settings: {
    primary_color: string | null;
    background_color: string | null;
    text_color: string | null;
    default_locale: string | null;
  },
): Promise<void> {
  await db.updateTable("orgs").set(settings).where("id", "=", orgId).execute();
}

/** One logo per organization: a new one replaces the old in the same statement. */
export async function upsertLogo(
  db: Db,
  orgId: string,
  logo: { hash: string; content_type: string; data: string; created_at: number },
): Promise<void> {
  await db
    .insertInto("org_logos")
    .values({ org_id: orgId, ...logo })
    .onConflict((oc) => oc.column("org_id").doUpdateSet(logo))
    .execute();
}

export async function deleteLogo(db: Db, orgId: string): Promise<void> {
  await db.deleteFrom("org_logos").where("org_id", "=", orgId).execute();
}

export async function findLogo(db: Db, hash: string) {
  return db
    .selectFrom("org_logos")
    .select(["content_type", "data"])
    .where("hash", "=", hash)
    .executeTakeFirst();
}
