/**
 * PostgreSQL named prepared statements (DATABASE_PREPARED_STATEMENTS, src/db/pg-prepared.ts):
 * with the setting, a connection prepares each statement text once under a name derived from the
 * text, at most MAX_PREPARED_PER_CONNECTION of them; without it (the default, safe behind
 * PgBouncer in transaction mode) nothing stays prepared on the server. One pooled connection, so
 * `pg_prepared_statements` (which lists the current session's) sees what the app's requests left.
 */
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { loadConfig } from "../src/config.js";
import { openDatabase, type DatabaseHandle } from "../src/db/database.js";
import { MAX_PREPARED_PER_CONNECTION, statementName } from "../src/db/pg-prepared.js";
import { createTestApp, type TestApp } from "./helpers/app.js";
import { buildShare } from "./helpers/builders.js";
import { createTestDatabase, testDialects, type TestDatabase } from "./helpers/databases.js";
import { createShare, json, reveal } from "./helpers/http.js";

interface Prepared {
  name: string;
  statement: string;
}

async function preparedOn(handle: DatabaseHandle): Promise<Prepared[]> {
  const { rows } = await sql<Prepared>`select name, statement from pg_prepared_statements`.execute(
    handle.db,
  );
  return rows;
}

describe("DATABASE_PREPARED_STATEMENTS", () => {
  it("is off unless set", () => {
    expect(loadConfig({}).databasePreparedStatements).toBe(false);
    expect(loadConfig({ DATABASE_PREPARED_STATEMENTS: "on" }).databasePreparedStatements).toBe(
      true,
    );
    expect(() => loadConfig({ DATABASE_PREPARED_STATEMENTS: "sometimes" })).toThrow(
      /DATABASE_PREPARED_STATEMENTS/,
    );
  });
});

describe("statement names", () => {
  it("are the same for the same text and differ between texts", () => {
    const reveal = "update shares set view_count = view_count + 1 where id = $1";
    expect(statementName(reveal)).toBe(statementName(`${reveal}`));
    expect(statementName(reveal)).not.toBe(statementName(`${reveal} and status = $2`));
    expect(statementName(reveal)).toMatch(/^hl_[A-Za-z0-9_-]{32}$/);
  });
});

describe.each(testDialects.filter((d) => d === "postgres"))(
  "prepared statements on %s",
  (dialect) => {
    let testDb: TestDatabase;
    beforeAll(async () => {
      testDb = await createTestDatabase(dialect);
    });
    afterAll(async () => {
      await testDb.drop();
    });

    async function appOn(
      preparedStatements: boolean,
    ): Promise<{ t: TestApp; handle: DatabaseHandle }> {
      const handle = openDatabase({
        databaseUrl: testDb.url,
        dataDir: testDb.dataDir,
        poolSize: 1,
        preparedStatements,
      });
      const t = await createTestApp(dialect, { database: { testDb, handle } });
      return { t, handle };
    }

    /** A share revealed three times; every answer as without the setting. */
    async function createAndReveal(t: TestApp) {
      const share = await buildShare({ maxViews: 3 });
      expect((await createShare(t.app, share.body)).statusCode).toBe(201);
      for (const left of [2, 1, 0]) {
        const res = await reveal(t.app, share.body.id, { viewToken: share.body.viewToken });
        expect(res.statusCode).toBe(200);
        expect(json(res)).toMatchObject({
          ciphertext: share.body.ciphertext,
          viewsRemaining: left,
        });
      }
      const gone = await reveal(t.app, share.body.id, { viewToken: share.body.viewToken });
      expect(gone.statusCode).toBe(410);
    }

    it("with the setting, the create and the reveal are prepared once each on the connection", async () => {
      const { t, handle } = await appOn(true);
      try {
        await createAndReveal(t);
        await createAndReveal(t);
        const prepared = await preparedOn(handle);
        const reveals = prepared.filter((p) => p.statement.includes('"consumed"'));
        const creates = prepared.filter((p) => p.statement.startsWith('insert into "shares"'));
        expect(reveals).toHaveLength(1);
        expect(creates).toHaveLength(1);
        for (const p of prepared) expect(p.name).toBe(statementName(p.statement));
      } finally {
        await t.close();
        await handle.close();
      }
    });

    it("without it (the default), nothing stays prepared", async () => {
      const { t, handle } = await appOn(false);
      try {
        await createAndReveal(t);
        expect(await preparedOn(handle)).toEqual([]);
      } finally {
        await t.close();
        await handle.close();
      }
    });

    it("a connection keeps at most MAX_PREPARED_PER_CONNECTION; further texts still run, unnamed", async () => {
      const handle = openDatabase({
        databaseUrl: testDb.url,
        dataDir: testDb.dataDir,
        poolSize: 1,
        preparedStatements: true,
      });
      try {
        const texts = MAX_PREPARED_PER_CONNECTION + 50;
        for (let i = 0; i < texts; i++) {
          // A different text each time, as an IN list of varying length would make.
          const { rows } = await sql<{
            n: number;
          }>`select ${i}::int + ${sql.raw(String(i))} as n`.execute(handle.db);
          expect(rows[0]?.n).toBe(2 * i);
        }
        expect(await preparedOn(handle)).toHaveLength(MAX_PREPARED_PER_CONNECTION);
      } finally {
        await handle.close();
      }
    });
  },
);
