/**
 * The outboxes' lease (lib/outbox-lease.ts, shared by mail_outbox and webhook_deliveries), told
 * through the mail outbox's statements on a real database: a claim takes only entries that are
 * due and under no live lease, and only the claim that still holds an entry can settle it, so a
 * worker that stalled past its lease cannot undo what the one that took over did.
 */
import { describe, expect, it } from "vitest";

import * as repo from "../src/features/mail/mail.repository.js";
import { createTestDatabase, testDialects } from "./helpers/databases.js";
import { madeBeforeAll } from "./helpers/suite.js";

const LEASE_MS = 50;

describe.each(testDialects)("the outbox lease on %s", (dialect) => {
  const testDb = madeBeforeAll(
    () => createTestDatabase(dialect),
    (made) => made.drop(),
  );

  const entry = (id: string, dueAt: number) =>
    repo.insertEntry(testDb.handle.db, {
      id,
      kind: "verify_email",
      recipient: "sealed",
      payload: "sealed",
      share_id: null,
      ref: null,
      locale: null,
      next_attempt_at: dueAt,
      created_at: 0,
    });
  const claim = async (now: number, claimToken: string) =>
    (
      await repo.claimDue(testDb.handle.db, {
        now,
        leaseMs: LEASE_MS,
        batch: 10,
        claimToken,
        dialect,
      })
    ).map((row) => row.id);
  const row = (id: string) =>
    testDb.handle.db
      .selectFrom("mail_outbox")
      .select(["claim_token", "locked_until", "next_attempt_at", "attempts"])
      .where("id", "=", id)
      .executeTakeFirstOrThrow();

  it("takes what is due and free, and lets only the claim that holds an entry settle it", async () => {
    await entry("due", 100);
    await entry("later", 200);
    expect(await claim(99, "early")).toEqual([]);
    expect(await claim(100, "stalled")).toEqual(["due"]);
    // Held until its lease ends at 150, then free for another claim.
    expect(await claim(150, "other")).toEqual([]);
    expect(await claim(151, "other")).toEqual(["due"]);

    // The stalled worker lost the entry: it can neither reschedule nor delete it.
    const retry = { id: "due", nextAttemptAt: 300, errorCode: "ETIMEDOUT" };
    expect(await repo.reschedule(testDb.handle.db, { ...retry, claimToken: "stalled" })).toBe(
      false,
    );
    expect(await repo.deleteClaimed(testDb.handle.db, { id: "due", claimToken: "stalled" })).toBe(
      false,
    );
    expect(await row("due")).toEqual({
      claim_token: "other",
      locked_until: 151 + LEASE_MS,
      next_attempt_at: 100,
      attempts: 2,
    });
    // The holder can, and its reschedule frees the entry until its next attempt.
    expect(await repo.reschedule(testDb.handle.db, { ...retry, claimToken: "other" })).toBe(true);
    expect(await row("due")).toEqual({
      claim_token: null,
      locked_until: null,
      next_attempt_at: 300,
      attempts: 2,
    });

    expect(await claim(200, "next")).toEqual(["later"]);
    expect(await repo.deleteClaimed(testDb.handle.db, { id: "later", claimToken: "next" })).toBe(
      true,
    );
    expect(await claim(300, "last")).toEqual(["due"]);
  });
});
