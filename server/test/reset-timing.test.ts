/**
 * A password-reset request tells nobody by its timing whether an address has an account: both
 * answer after the same work (the address's mail limit), and a known address's token and mail
 * are made after the answer. Over real HTTP with a real SMTP server, on both dialects: interleaved
 * pairs, compared by the mean of their faster halves (helpers/timing.ts).
 */
import { describe, expect, it } from "vitest";

import { uniqueEmail } from "./helpers/accounts.js";
import { testDialects } from "./helpers/databases.js";
import { LiveClient, signupLive } from "./helpers/live.js";
import { liveSuite } from "./helpers/suite.js";
import { fasterHalfMean, fasterHalvesGap, interleavedPairs } from "./helpers/timing.js";

const TIMING_PAIRS = 150;
const TIMING_WARMUP = 4;
/**
 * The least the faster halves may differ by before the test fails. Queuing the reset mail before
 * the answer (a token, an outbox row with its locale lookups and encryption) measured 2.5-5 ms;
 * the bootstrap raises the tolerance when the run was too noisy to tell that much.
 */
const TIMING_TOLERANCE_MS = 1.5;
/** How long queuing the reset mail is made to take in the second test. */
const SLOW_QUEUE_MS = 300;

describe.each(testDialects)("password-reset timing on %s", (dialect) => {
  // Every request for the known address within its limit, so each one queues a mail.
  const live = liveSuite(dialect, { MAIL_LIMIT_RECIPIENT: "100000" });
  const { smtp, t } = live;

  /** Counts the reset mails SMTP received for `email`, after sending what is due. */
  const resetsTo = (email: string) => async () => {
    // A pass sends a batch at a time: run until one finds nothing due.
    while (Object.values(await t.services.mail.runOnce()).some((n) => n > 0));
    return smtp.messages.filter(
      (m) => m.envelopeTo.includes(email) && /reset/i.test(m.parsed.subject ?? ""),
    ).length;
  };

  it("answers a known and an unknown address in the same time, and mails the known one", async (context) => {
    const known = uniqueEmail("reset-timed");
    await signupLive(live.base, known);
    const anonymous = new LiveClient(live.base);
    const timed = async (email: string) => {
      const started = performance.now();
      const res = await anonymous.post("/api/v1/auth/password-reset", { email });
      const ms = performance.now() - started;
      expect(res.status).toBe(204);
      return ms;
    };
    const resets = resetsTo(known);

    const before = await resets();
    await timed(known);
    await timed(uniqueEmail("reset-nobody"));
    // The mail is made after the answer, and still goes out.
    await expect.poll(resets).toBe(before + 1);
    for (let i = 0; i < TIMING_WARMUP; i++) {
      await timed(known);
      await timed(uniqueEmail("reset-nobody"));
    }
    // Interleaved, alternating which goes first, so that slow spells and the after-effects of
    // the known address's deferred work fall on both alike.
    const { base: unknown, other: knownMs } = await interleavedPairs(TIMING_PAIRS, {
      base: () => timed(uniqueEmail("reset-nobody")),
      other: () => timed(known),
    });
    const { gap, tolerance } = fasterHalvesGap(unknown, knownMs, TIMING_TOLERANCE_MS);
    await context.annotate(
      `password reset on ${dialect}, ${TIMING_PAIRS} of each: faster halves ` +
        `${fasterHalfMean(knownMs).toFixed(1)} ms (known) vs ` +
        `${fasterHalfMean(unknown).toFixed(1)} ms (unknown), ${gap.toFixed(1)} ms apart ` +
        `(tolerance ${tolerance.toFixed(1)} ms)`,
    );
    expect(Math.abs(gap)).toBeLessThan(tolerance);
    // Every one of them was mailed, none lost by being made after the answer (a pass the
    // requests kicked may still hold the last ones).
    await expect.poll(resets).toBe(before + 1 + TIMING_WARMUP + TIMING_PAIRS);
  }, 180_000);

  it("answers before a known address's mail is queued, and logs a failure to queue it", async () => {
    const known = uniqueEmail("reset-slow");
    await signupLive(live.base, known);
    const anonymous = new LiveClient(live.base);
    const mail = t.services.mail;
    const enqueue = mail.enqueue.bind(mail);
    // Queuing the reset mail made slow enough that no load on the machine hides it.
    let failing = false;
    mail.enqueue = async (db, message) => {
      if (message.kind !== "password_reset") return enqueue(db, message);
      await new Promise((resolve) => setTimeout(resolve, SLOW_QUEUE_MS));
      if (failing) throw new Error(`cannot queue for ${message.to}`);
      return enqueue(db, message);
    };
    try {
      const timed = async (email: string) => {
        const started = performance.now();
        const res = await anonymous.post("/api/v1/auth/password-reset", { email });
        expect(res.status).toBe(204);
        return performance.now() - started;
      };
      expect(await timed(known)).toBeLessThan(SLOW_QUEUE_MS);
      await expect.poll(resetsTo(known)).toBe(1);

      failing = true;
      const logged = t.logs.length;
      expect(await timed(known)).toBeLessThan(SLOW_QUEUE_MS);
      await mail.runOnce();
      const failure = t.logs.slice(logged).filter((l) => l.includes("mail not queued"));
      expect(failure).toHaveLength(1);
      expect(failure[0]).toContain('"kind":"password_reset"');
      expect(failure[0]).not.toContain(known);
      expect(failure[0]).not.toContain("reset-password#");
      expect(await resetsTo(known)()).toBe(1);
    } finally {
      mail.enqueue = enqueue;
    }
  });
});
