/**
 * PostgreSQL named prepared statements (DATABASE_PREPARED_STATEMENTS, src/db/pg-prepared.ts):
 * with `on`, a connection prepares each statement text once under a name derived from the text,
 * at most MAX_PREPARED_PER_CONNECTION of them; with `off` nothing stays prepared on the server;
 * with `auto` (the default) only the hot compiled statements on the pool are, and a name the
 * server refuses (PgBouncer in transaction mode before 1.21) runs the statement again unnamed,
 * once, with naming off from then on (src/db/direct-postgres.ts). One pooled connection, so
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
  it("is auto unless set", () => {
    expect(loadConfig({}).databasePreparedStatements).toBe("auto");
    expect(loadConfig({ DATABASE_PREPARED_STATEMENTS: "on" }).databasePreparedStatements).toBe(
      true,
    );
    expect(loadConfig({ DATABASE_PREPARED_STATEMENTS: "off" }).databasePreparedStatements).toBe(
      false,
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

    /** Runs `body` on an app over a pool of its own (one connection), then closes both. */
    async function withAppOn<T>(
      preparedStatements: boolean | undefined,
      body: (t: TestApp, handle: DatabaseHandle) => Promise<T>,
      onUnnamedStatements?: (code: string) => void,
    ): Promise<T> {
      const handle = openDatabase({
        databaseUrl: testDb.url,
        dataDir: testDb.dataDir,
        poolSize: 1,
        preparedStatements,
        onUnnamedStatements,
      });
      const t = await createTestApp(dialect, { database: { testDb, handle } });
      try {
        return await body(t, handle);
      } finally {
        await t.close();
        await handle.close();
      }
    }

    /**
     * A share revealed three times; every answer as without the setting. `between` runs after
     * the first view.
     */
    async function createAndReveal(t: TestApp, between?: () => Promise<void>) {
      const share = await buildShare({ maxViews: 3 });
      expect((await createShare(t.app, share.body)).statusCode).toBe(201);
      for (const left of [2, 1, 0]) {
        const res = await reveal(t.app, share.body.id, { viewToken: share.body.viewToken });
        expect(res.statusCode).toBe(200);
        expect(json(res)).toMatchObject({
          ciphertext: share.body.ciphertext,
          viewsRemaining: left,
        });
        if (left === 2) await between?.();
      }
      const gone = await reveal(t.app, share.body.id, { viewToken: share.body.viewToken });
      expect(gone.statusCode).toBe(410);
    }

    const isReveal = (p: Prepared) => p.statement.includes('"consumed"');

    it("with the setting, the create and the reveal are prepared once each on the connection", async () => {
      await withAppOn(true, async (t, handle) => {
        await createAndReveal(t);
        await createAndReveal(t);
        const prepared = await preparedOn(handle);
        const reveals = prepared.filter((p) => p.statement.includes('"consumed"'));
        const creates = prepared.filter((p) => p.statement.startsWith('insert into "shares"'));
        expect(reveals).toHaveLength(1);
        expect(creates).toHaveLength(1);
        for (const p of prepared) expect(p.name).toBe(statementName(p.statement));
      });
    });

    it("by default (auto), the hot statements are prepared once each, and nothing else", async () => {
      await withAppOn(undefined, async (t, handle) => {
        await createAndReveal(t);
        await createAndReveal(t);
        const prepared = await preparedOn(handle);
        expect(prepared.filter(isReveal)).toHaveLength(1);
        expect(prepared.filter((p) => p.statement.startsWith('insert into "shares"'))).toHaveLength(
          1,
        );
        for (const p of prepared) expect(p.name).toBe(statementName(p.statement));
        // Kysely's own statements (this one, the migrations') stay unnamed.
        expect(prepared.filter((p) => p.statement.includes("pg_prepared_statements"))).toEqual([]);
      });
    });

    it("auto: a name the server does not know runs the statement unnamed, once; every view counts once", async () => {
      const refused: string[] = [];
      await withAppOn(
        undefined,
        async (t, handle) => {
          // The session loses its statements, as behind PgBouncer in transaction mode, where the
          // next transaction may run on another server connection.
          await createAndReveal(t, async () => {
            await sql`deallocate all`.execute(handle.db);
          });
          expect(refused).toEqual(["26000"]);
          // Named no more: the statements after the refusal ran unnamed.
          expect(await preparedOn(handle)).toEqual([]);
          await createAndReveal(t);
          expect(refused).toEqual(["26000"]);
        },
        (code) => refused.push(code),
      );
    });

    it("auto: a name the server already holds (another client's session) runs unnamed", async () => {
      const reveal = await withAppOn(undefined, async (t, handle) => {
        await createAndReveal(t);
        return (await preparedOn(handle)).find(isReveal);
      });
      expect(reveal).toBeDefined();
      const refused: string[] = [];
      await withAppOn(
        undefined,
        async (t, handle) => {
          // The pooled connection's session already has the name, which this client never sent.
          await sql.raw(`prepare "${reveal!.name}" as ${reveal!.statement}`).execute(handle.db);
          await createAndReveal(t);
          expect(refused).toEqual(["42P05"]);
        },
        (code) => refused.push(code),
      );
    });

    it("with off, nothing stays prepared", async () => {
      await withAppOn(false, async (t, handle) => {
        await createAndReveal(t);
        expect(await preparedOn(handle)).toEqual([]);
      });
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
