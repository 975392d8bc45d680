/**
 * Issue 24: shares_parent and shares_org_created are partial on their key being set, so an
 * anonymous share (no parent, no organization: every create of the bench and of a signed-out
 * sender) writes no entry in either; both held one per share before, which no lookup by `=` can
 * find. The lookups by parent (a share's recipient links) and by organization (the org's list)
 * still go through them on both dialects.
 */
import { CompiledQuery, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { DatabaseHandle } from "../src/db/database.js";
import { listOrgShares } from "../src/features/shares/shares.list.repository.js";
import { destroyLinksOf } from "../src/features/shares/shares.repository.js";
import {
  createTestDatabase,
  recordStatements,
  testDialects,
  type TestDatabase,
} from "./helpers/databases.js";

const PARTIAL = {
  shares_parent: "parent_id",
  shares_org_created: "org_id",
} as const;

describe.each(testDialects)("the shares' indexes by parent and by organization, %s", (dialect) => {
  let testDb: TestDatabase;
  let handle: DatabaseHandle;

  beforeAll(async () => {
    testDb = await createTestDatabase(dialect);
    handle = testDb.handle;
  });
  afterAll(async () => {
    await testDb.drop();
  });

  /** Each index's condition, as the database stores it ("" for an index on every row). */
  async function conditionOf(index: string): Promise<string> {
    if (dialect === "sqlite") {
      const { rows } = await sql<{
        sql: string;
      }>`select sql from sqlite_master where type = 'index' and name = ${index}`.execute(handle.db);
      return /\bwhere\b(.*)$/i.exec(rows[0]!.sql)?.[1]?.trim() ?? "";
    }
    const { rows } = await sql<{
      indexdef: string;
    }>`select indexdef from pg_indexes where indexname = ${index}`.execute(handle.db);
    return /\bWHERE\b(.*)$/.exec(rows[0]!.indexdef)?.[1]?.trim() ?? "";
  }

  it("hold only the shares whose key is set", async () => {
    for (const [index, column] of Object.entries(PARTIAL)) {
      const condition = (await conditionOf(index)).replace(/[()"]/g, "").toLowerCase();
      expect(condition, index).toBe(`${column} is not null`);
    }
  });

  /** The plan of each statement `run` sends, rolled back; PostgreSQL without sequential scans. */
  async function plansOf(run: (db: DatabaseHandle["db"]) => Promise<unknown>): Promise<string[]> {
    const recording = recordStatements(handle);
    await run(recording.handle.db);
    const plans: string[] = [];
    for (const query of recording.sent) {
      if (dialect === "sqlite") {
        const plan = await handle.db.executeQuery<{ detail: string }>(
          CompiledQuery.raw(`explain query plan ${query.sql}`, [...query.parameters]),
        );
        plans.push(plan.rows.map((r) => r.detail).join("\n"));
        continue;
      }
      // An empty table is read whole by PostgreSQL's choice; what is asked here is whether the
      // partial index can serve the query at all (its condition implied by the query's).
      const plan = await handle.db.transaction().execute(async (trx) => {
        await sql`set local enable_seqscan = off`.execute(trx);
        return trx.executeQuery<{ "QUERY PLAN": string }>(
          CompiledQuery.raw(`explain ${query.sql}`, [...query.parameters]),
        );
      });
      plans.push(plan.rows.map((r) => r["QUERY PLAN"]).join("\n"));
    }
    return plans;
  }

  it("still serve the lookup of a share's recipient links and the organization's list", async () => {
    const [links] = await plansOf((db) =>
      destroyLinksOf(db, { parentId: "p1", reason: "deleted", at: Date.now() }),
    );
    const [list] = await plansOf((db) =>
      listOrgShares(db, { orgId: "o1", limit: 20, after: null }),
    );
    if (dialect === "sqlite") {
      expect(links).toContain("USING INDEX shares_parent (parent_id=?)");
      expect(list).toContain("USING INDEX shares_org_created (org_id=?)");
    } else {
      expect(links).toMatch(
        /(Index Scan(?: Backward)? using|Bitmap Index Scan on) shares_parent\b/,
      );
      expect(list).toMatch(
        /(Index Scan(?: Backward)? using|Bitmap Index Scan on) shares_org_created\b/,
      );
    }
  });
});
