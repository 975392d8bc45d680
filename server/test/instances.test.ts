import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestApp, type TestApp } from "./helpers/app.js";
import { buildShare } from "./helpers/builders.js";
import { testDialects } from "./helpers/databases.js";
import { createShare, getShare, json, reveal } from "./helpers/http.js";
import { clockPerTest } from "./helpers/suite.js";

const HOUR = 3600 * 1000;

/*
 * Two app instances in one process on one database: on PostgreSQL each has its own pool, as two
 * servers would. SQLite's driver is synchronous, so two connections in one process would block
 * each other's busy-wait; there the instances share one handle, and real processes on one file
 * are tested in processes.test.ts.
 */
describe.each(testDialects)("two instances on one %s database", (dialect) => {
  let first: TestApp;
  let second: TestApp;
  const clock = clockPerTest();
  beforeAll(async () => {
    first = await createTestApp(dialect, { clock });
    second = await createTestApp(dialect, {
      clock,
      database: {
        testDb: first.testDb,
        handle: dialect === "postgres" ? first.testDb.openAnother() : first.testDb.handle,
      },
    });
  });
  afterAll(async () => {
    await second.app.close();
    await first.close();
  });

  it.each([1, 5])(
    "64 concurrent reveals of a %s-view share split across both succeed exactly that often",
    async (maxViews) => {
      const share = await buildShare({ maxViews });
      expect((await createShare(first.app, share.body)).statusCode).toBe(201);
      const results = await Promise.all(
        Array.from({ length: 64 }, (_, i) =>
          reveal(i % 2 ? first.app : second.app, share.body.id, {
            viewToken: share.body.viewToken,
          }),
        ),
      );
      expect(results.filter((r) => r.statusCode === 200)).toHaveLength(maxViews);
      expect(results.filter((r) => r.statusCode !== 200 && r.statusCode !== 410)).toEqual([]);
      expect(json(await getShare(second.app, share.body.id))).toMatchObject({
        error: { reason: "viewed" },
      });
    },
  );

  it("two sweepers at once destroy each share once", async () => {
    const shares = await Promise.all(
      Array.from({ length: 40 }, () => buildShare({ expiresIn: 60 })),
    );
    for (const s of shares) await createShare(first.app, s.body);
    clock.advance(HOUR);
    const [r1, r2] = await Promise.all([
      first.services.sweeper.runOnce(),
      second.services.sweeper.runOnce(),
    ]);
    // Each sweeper counts the rows its own UPDATE changed: a share destroyed by both would make
    // the sum exceed 40.
    expect(r1.expired + r2.expired).toBe(40);
    const tombstones = await first.database.db
      .selectFrom("shares")
      .select(["status", "gone_at", "expires_at", "ciphertext"])
      .where(
        "id",
        "in",
        shares.map((s) => s.body.id),
      )
      .execute();
    expect(tombstones).toHaveLength(40);
    for (const t of tombstones) {
      expect(t).toMatchObject({ status: "expired", gone_at: t.expires_at, ciphertext: null });
    }
  });
});
