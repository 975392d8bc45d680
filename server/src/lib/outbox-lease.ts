/**
 * The lease both outboxes (mail_outbox, webhook_deliveries) keep on their rows, as conditions for
 * their repositories' statements: one rule for what a claim may take, and one for what only the
 * claim's holder may change (lib/outbox-runner.ts runs the claims). Typed over both tables, so it
 * may name only the columns they share.
 */
import type { ExpressionBuilder } from "kysely";

import type { Database } from "../db/schema.js";

type Leased = "mail_outbox" | "webhook_deliveries";

/** Due by `now` and under no live lease: never claimed, settled, or its lease ran out. */
export function dueAndFree(now: number) {
  return (eb: ExpressionBuilder<Database, Leased>) =>
    eb.and([
      eb("next_attempt_at", "<=", now),
      eb.or([eb("locked_until", "is", null), eb("locked_until", "<", now)]),
    ]);
}

/** The row `id` while the claim `claimToken` still holds it; nothing once another took it. */
export function heldBy(args: { id: string; claimToken: string }) {
  return (eb: ExpressionBuilder<Database, Leased>) =>
    eb.and([eb("id", "=", args.id), eb("claim_token", "=", args.claimToken)]);
}
