/**
 * Issue 24: a create, a metadata read and a reveal compile no query once the app is warm. Kysely
 * builds and compiles each query anew unless told otherwise; the reveal's conditional UPDATE
 * alone was a fifth of its CPU on SQLite. The hot queries are compiled once per shape
 * (db/compiled-query.ts) and the group commit's transaction control is compiled at load.
 */
import { DefaultQueryCompiler, type CompiledQuery } from "kysely";
import { afterEach, describe, expect, it, vi } from "vitest";

import { createTestApp, type TestApp } from "./helpers/app.js";
import { buildShare } from "./helpers/builders.js";
import { testDialects } from "./helpers/databases.js";
import { createShare, getShare, json, reveal } from "./helpers/http.js";

describe.each(testDialects)("the hot paths' queries, on %s", (dialect) => {
  let app: TestApp | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    await app?.close();
  });

  it("a create, a metadata read and a reveal compile nothing once warm", async () => {
    app = await createTestApp(dialect);
    const cycle = async (maxViews: number | null) => {
      const share = await buildShare({ maxViews });
      const created = await createShare(app!.app, share.body);
      expect(created.statusCode, created.body).toBe(201);
      expect((await getShare(app!.app, share.body.id)).statusCode).toBe(200);
      const res = await reveal(app!.app, share.body.id, { viewToken: share.body.viewToken });
      expect(res.statusCode, res.body).toBe(200);
      expect(json<{ viewsRemaining: number | null }>(res).viewsRemaining).toBe(
        maxViews === null ? null : maxViews - 1,
      );
    };
    await cycle(null);
    await cycle(2);

    // Calls through to Kysely's compiler and records what it compiled.
    const compile = vi.spyOn(DefaultQueryCompiler.prototype, "compileQuery");
    for (let i = 0; i < 5; i++) {
      await cycle(null);
      await cycle(2);
    }
    expect(compile.mock.results.map((r) => (r.value as CompiledQuery).sql)).toEqual([]);
  });
});
