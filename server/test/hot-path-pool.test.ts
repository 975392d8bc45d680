/**
 * Issue 24, sixteenth round: on PostgreSQL the hot compiled statements of the database itself go
 * straight to the pool (db/direct-postgres.ts) instead of through Kysely's executor, connection
 * provider and driver: 38 -> 16 promises per anonymous one-statement reveal in a test app. A
 * transaction's statements must keep to the transaction's own client. Both dialects run both
 * tests: on SQLite the reveal keeps its group commit's budget (hot-path-promises.test.ts).
 */
import { describe, expect, it } from "vitest";

import { poolRuns } from "../src/db/direct-postgres.js";
import * as repo from "../src/features/shares/shares.repository.js";
import { buildShare } from "./helpers/builders.js";
import { testDialects } from "./helpers/databases.js";
import { createShare, reveal } from "./helpers/http.js";
import { promisesPer } from "./helpers/promises.js";
import { appPerTest } from "./helpers/suite.js";

// Measured in a test app, light-my-request's own promises included.
const REVEAL_BUDGET = { sqlite: 44.5, postgres: 16.5 };

describe.each(testDialects)("compiled statements on the pool, %s", (dialect) => {
  const t = appPerTest(dialect);

  it("an anonymous reveal stays within its dialect's promise budget", async () => {
    const share = await buildShare({ maxViews: null });
    expect((await createShare(t.app, share.body)).statusCode).toBe(201);
    const open = () => reveal(t.app, share.body.id, { viewToken: share.body.viewToken });
    await promisesPer(5, open);
    const pooled = poolRuns.count;
    const reveals = await promisesPer(20, open);
    for (const res of reveals.answers) expect(res.statusCode).toBe(200);
    expect(reveals.perCall).toBeLessThanOrEqual(REVEAL_BUDGET[dialect]);
    // PostgreSQL's one-statement reveal took the pool's path; SQLite never does.
    expect(poolRuns.count - pooled).toBe(dialect === "postgres" ? 20 : 0);
  });

  it("a transaction's compiled statements run on its own client, and its rollback undoes them", async () => {
    const { db } = t.database;
    const share = await buildShare({ maxViews: 1 });
    const id = share.body.id;
    const pooled = poolRuns.count;
    const rolledBack = new Error("roll back");
    await expect(
      db.transaction().execute(async (trx) => {
        await repo.insertShare(trx, {
          id,
          access: "anyone",
          created_at: t.clock.now(),
          expires_at: t.clock.now() + 60_000,
        });
        // The transaction sees its own row: the read ran on the same client.
        expect((await repo.findShare(trx, id))?.id).toBe(id);
        throw rolledBack;
      }),
    ).rejects.toBe(rolledBack);
    expect(poolRuns.count - pooled).toBe(0);
    // Rolled back: a statement sent to another client would have committed on its own.
    expect(await repo.findShare(db, id)).toBeUndefined();
    if (dialect === "postgres") expect(poolRuns.count - pooled).toBe(1);
  });
});
