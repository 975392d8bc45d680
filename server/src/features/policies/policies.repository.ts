/** SQL for organizations' sharing policies (org_policies), and nothing else. */
import type { Kysely } from "kysely";

import type { Database } from "../../db/schema.js";

type Db = Kysely<Database>;

export async function findPolicy(db: Db, orgId: string) {
  return db
    .selectFrom("org_policies")
    .select(["policy", "updated_at"])
    .where("org_id", "=", orgId)
    .executeTakeFirst();
}

/** One statement: the first PUT inserts, later ones replace. */
export async function upsertPolicy(
  db: Db,
  row: { org_id: string; policy: string; updated_at: number; updated_by: string | null },
): Promise<void> {
  const { org_id: _orgId, ...changes } = row;
  await db
    .insertInto("org_policies")
    .values(row)
    .onConflict((oc) => oc.column("org_id").doUpdateSet(changes))
    .execute();
}
