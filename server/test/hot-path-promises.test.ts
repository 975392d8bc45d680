/**
 * Issue 24: the promises a warm anonymous request makes. With the audit context's
 * AsyncLocalStorage on (features/audit/audit.context.ts), Node 20 runs its promise hooks for every
 * promise the process makes, so each promise on a hot path costs more than its own allocation and
 * microtask. The auth context answers a call without credentials without one (it was an async
 * hook: a promise, and Fastify's `then` on it). The hot compiled statements run straight on
 * better-sqlite3 (db/direct-sqlite.ts): 37 -> 16 per read, 131 -> 83 per create, and 53 once
 * the group commit's BEGIN and COMMIT do too (one create at a time here: a group each). A live
 * anonymous share's metadata is answered without a promise where SQLite can read at once
 * (shares.metadata.ts): 16 -> 6 per read. The counts include light-my-request's own.
 */
import { createHook } from "node:async_hooks";

import { afterEach, describe, expect, it } from "vitest";

import { createTestApp, type TestApp } from "./helpers/app.js";
import { buildShare } from "./helpers/builders.js";
import { createShare, getShare } from "./helpers/http.js";

/** Promises made per request, over `times` requests one after the other; every answer is kept. */
async function promisesPer<T>(times: number, request: () => Promise<T>) {
  const answers: T[] = [];
  let made = 0;
  const hook = createHook({
    init(_id, type) {
      if (type === "PROMISE") made++;
    },
  });
  hook.enable();
  try {
    for (let i = 0; i < times; i++) answers.push(await request());
  } finally {
    hook.disable();
  }
  return { perRequest: made / times, answers };
}

describe("the hot paths' promises", () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
  });

  it("an anonymous metadata read and create stay within their budget", async () => {
    t = await createTestApp("sqlite");
    const app = t.app;
    const share = await buildShare();
    expect((await createShare(app, share.body)).statusCode).toBe(201);
    const read = () => getShare(app, share.body.id);
    const bodies = await Promise.all(Array.from({ length: 25 }, () => buildShare()));
    const create = () => createShare(app, bodies.pop()!.body);
    await promisesPer(5, read);
    await promisesPer(5, create);

    const reads = await promisesPer(20, read);
    for (const res of reads.answers) expect(res.statusCode).toBe(200);
    const creates = await promisesPer(20, create);
    for (const res of creates.answers) expect(res.statusCode, res.body).toBe(201);
    expect(reads.perRequest).toBeLessThanOrEqual(6.5);
    expect(creates.perRequest).toBeLessThanOrEqual(53.5);
  });
});
