/**
 * /readyz says ready only when the database answers and holds this build's schema: a database
 * recreated empty (or restored from an older backup) under a running server answers `select 1`
 * but fails every feature, so a load balancer must not route to it.
 */
import { sql } from "kysely";
import { describe, expect, it } from "vitest";

import { LATEST_MIGRATION } from "../src/db/migrator.js";
import { testDialects } from "./helpers/databases.js";
import { suiteApp } from "./helpers/suite.js";

describe.each(testDialects)("readiness on %s", (dialect) => {
  const t = suiteApp(dialect);
  const readyz = async () => {
    const res = await t.app.inject({ url: "/readyz" });
    return { status: res.statusCode, body: res.json<Record<string, unknown>>() };
  };

  it("answers 503 while this build's newest migration is missing, and 200 once it is back", async () => {
    expect(await readyz()).toEqual({ status: 200, body: { status: "ready" } });
    const [row] = (
      await sql<{
        name: string;
        timestamp: string;
      }>`select name, timestamp from kysely_migration where name = ${LATEST_MIGRATION}`.execute(
        t.database.db,
      )
    ).rows;
    expect(row?.name).toBe(LATEST_MIGRATION);

    await sql`delete from kysely_migration where name = ${LATEST_MIGRATION}`.execute(t.database.db);
    const outdated = await readyz();
    expect(outdated.status).toBe(503);
    expect(outdated.body).toMatchObject({
      error: { code: "unavailable", message: expect.stringContaining("schema") as unknown },
    });

    await sql`insert into kysely_migration (name, timestamp) values (${row?.name}, ${row?.timestamp})`.execute(
      t.database.db,
    );
    expect((await readyz()).status).toBe(200);
  });

  it("answers 503 for a database emptied under it (no migration table at all)", async () => {
    await sql`alter table kysely_migration rename to kysely_migration_aside`.execute(t.database.db);
    try {
      const empty = await readyz();
      expect(empty.status).toBe(503);
      expect(empty.body).toMatchObject({
        error: { code: "unavailable", message: expect.stringContaining("schema") as unknown },
      });
    } finally {
      await sql`alter table kysely_migration_aside rename to kysely_migration`.execute(
        t.database.db,
      );
    }
    expect((await readyz()).status).toBe(200);
  });
});
