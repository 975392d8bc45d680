/**
 * Issue 24, fifteenth round: inside a group commit the reveal's conditional UPDATE and its
 * access-log INSERT run at once on SQLite's kept statements (consumeViewNow and addEventNow,
 * compiled-query.ts's `now`), not through their awaited forms. The statements are compiled once
 * per shape and bound per call, so many reveals of different shares in one group must each bind
 * their own values: every share gives exactly its views, and each view is logged against its own
 * share. On PostgreSQL the same requests take the one-statement reveal. Half the shares are a
 * member's, half anonymous: an anonymous share keeps no access log (nobody may read it), so its
 * views must stay exact without the INSERT beside them.
 */
import { describe, expect, it } from "vitest";

import { signup } from "./helpers/accounts.js";
import { testDialects } from "./helpers/databases.js";
import { buildShare } from "./helpers/builders.js";
import { createShare, getShare, reveal } from "./helpers/http.js";
import { suiteApp } from "./helpers/suite.js";

describe.each(testDialects)("the reveal's statements on %s", (dialect) => {
  const t = suiteApp(dialect);

  it("32 concurrent reveals of 8 shares take exactly each one's views, each logged on its own share", async () => {
    const maxViews = [1, 2, 3, 5, null, 1, 2, null];
    const shares = await Promise.all(maxViews.map((views) => buildShare({ maxViews: views })));
    const member = await signup(t);
    // Even shares a member's (logged), odd ones anonymous (not logged).
    const creatorOf = (i: number) => (i % 2 === 0 ? member : t.app);
    for (const [i, share] of shares.entries()) {
      expect((await createShare(creatorOf(i), share.body)).statusCode).toBe(201);
    }
    // Four reveals of each share, interleaved, all in flight at once (so most share a group).
    const order = Array.from({ length: 32 }, (_, i) => shares[i % shares.length]!);
    const answers = await Promise.all(
      order.map((share) => reveal(t.app, share.body.id, { viewToken: share.body.viewToken })),
    );
    for (const [i, share] of shares.entries()) {
      const mine = answers.filter((_, j) => j % shares.length === i);
      const opened = mine.filter((res) => res.statusCode === 200);
      const allowed = Math.min(maxViews[i] ?? 4, 4);
      expect(opened, `share ${i}`).toHaveLength(allowed);
      expect(mine.filter((res) => res.statusCode !== 200 && res.statusCode !== 410)).toEqual([]);
      for (const res of opened) {
        // Its own content, not another share's bound into the same compiled statement.
        expect(res.json()).toMatchObject({ ciphertext: share.body.ciphertext, iv: share.body.iv });
      }
      const remaining = opened.map((res) => res.json<{ viewsRemaining: number | null }>());
      const left = remaining.map((r) => r.viewsRemaining);
      if (maxViews[i] === null) expect(left).toEqual([null, null, null, null]);
      else {
        const max = maxViews[i]!;
        expect(left.sort()).toEqual(Array.from({ length: allowed }, (_, k) => max - allowed + k));
      }
      const logged = await t.database.db
        .selectFrom("share_events")
        .select(["type", "ip"])
        .where("share_id", "=", share.body.id)
        .execute();
      expect(logged, `share ${i}`).toEqual(
        Array.from({ length: i % 2 === 0 ? allowed : 0 }, () => ({
          type: "revealed",
          ip: "127.0.0.1",
        })),
      );
      const metadata = await getShare(t.app, share.body.id);
      if (maxViews[i] === null || maxViews[i]! > 4) {
        expect(metadata.json()).toMatchObject({
          viewsRemaining: maxViews[i] === null ? null : maxViews[i]! - 4,
        });
      } else {
        expect(metadata.statusCode).toBe(410);
      }
    }
  });
});
