/**
 * PostgreSQL's plans for the hot lookups by id, on a table it has not analyzed yet: every new
 * database in its first minute, and every bench run. Without statistics the planner estimated
 * the old (status, expires_at) index at one row for `id = ? AND status = 'active' AND expires_at
 * > ?`, as it does the primary key, and took it: each reveal read every live share (issue 24).
 * The sweeper's queries use the partial indexes of live shares and of tombstones.
 */
import { CompiledQuery, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { DatabaseHandle } from "../src/db/database.js";
import * as repo from "../src/features/shares/shares.repository.js";
import {
  createTestDatabase,
  recordStatements,
  testDialects,
  type TestDatabase,
} from "./helpers/databases.js";

const SHARES = 1000;

describe.each(testDialects.filter((d) => d === "postgres"))("query plans on %s", (dialect) => {
  let testDb: TestDatabase;
  let handle: DatabaseHandle;
  const now = Date.now();

  beforeAll(async () => {
    testDb = await createTestDatabase(dialect);
    handle = testDb.handle;
    // Autovacuum would analyze the table within a minute; the first minute is what is tested.
    await sql`alter table shares set (autovacuum_enabled = off)`.execute(handle.db);
    await sql`insert into shares (id, ciphertext, iv, view_token_hash, created_at, expires_at)
      select 'share' || i, repeat('c', 180), 'iv', 'token' || i, ${now}::bigint,
        ${now + 86_400_000}::bigint
      from generate_series(1, ${SHARES}::int) as i`.execute(handle.db);
  });
  afterAll(async () => {
    await testDb.drop();
  });

  /** EXPLAIN of each statement `run` sends, as PostgreSQL words it, one string per plan. */
  async function plansOf(run: (db: DatabaseHandle["db"]) => Promise<unknown>): Promise<string[]> {
    const recording = recordStatements(handle);
    // Run inside a transaction rolled back, so the table stays as seeded for the next plan.
    await recording.handle.db
      .transaction()
      .execute(async (trx) => {
        await run(trx);
        throw new Error("roll back");
      })
      .catch((error: Error) => {
        if (error.message !== "roll back") throw error;
      });
    const plans: string[] = [];
    for (const query of recording.sent) {
      const plan = await handle.db.executeQuery<{ "QUERY PLAN": string }>(
        CompiledQuery.raw(`explain ${query.sql}`, [...query.parameters]),
      );
      plans.push(plan.rows.map((r) => r["QUERY PLAN"]).join("\n"));
    }
    return plans;
  }

  /** The scans of the shares table in a plan: "Index Scan using shares_pkey", … */
  const sharesScans = (plan: string) =>
    [...plan.matchAll(/(\w[\w ]*Scan(?: using \w+)?) on shares\b/g)].map((m) => m[1]);

  it("has no statistics of the seeded shares table (the case under test)", async () => {
    const { rows } = await sql<{
      reltuples: number;
    }>`select reltuples from pg_class where relname = 'shares'`.execute(handle.db);
    expect(rows[0]?.reltuples).toBeLessThan(0);
  });

  it("reveals in one statement through the primary key, not the live shares' index", async () => {
    const [plan] = await plansOf((db) =>
      repo.revealInOneStatement(db, {
        id: "share500",
        viewTokenHash: "token500",
        verifierHash: null,
        emailCodeHash: null,
        spentCodeHash: null,
        now,
        viewerId: null,
        ip: "127.0.0.1",
        eventId: "event-1",
      }),
    );
    // The "before" read and the UPDATE, each one row by its key.
    expect(sharesScans(plan!)).toEqual([
      "Index Scan using shares_pkey",
      "Index Scan using shares_pkey",
    ]);
  });

  it("consumes a view, and takes a password attempt, through the primary key", async () => {
    const view = {
      id: "share7",
      viewTokenHash: "token7",
      verifierHash: "verifier",
      emailCodeHash: null,
      spentCodeHash: null,
      now,
      viewerId: null,
    };
    const plans = await plansOf(async (db) => {
      await repo.consumeView(db, view);
      await repo.takePasswordAttempt(db, "share7", now);
    });
    expect(plans.map(sharesScans)).toEqual([
      ["Index Scan using shares_pkey"],
      ["Index Scan using shares_pkey"],
    ]);
  });

  it("expires and prunes through the indexes of live shares' and of tombstones' expiry", async () => {
    const [expiring] = await plansOf((db) =>
      repo.expireBatch(db, { now, batch: 1000, dialect: "postgres" }),
    );
    expect(expiring).toContain("shares_live_expiry");
    const [pruning] = await plansOf((db) => repo.pruneTombstones(db, { before: now, batch: 1000 }));
    expect(pruning).toContain("shares_gone_expires");
  });
});
