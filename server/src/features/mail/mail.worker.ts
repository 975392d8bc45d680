/**
 * The delivery worker: on every instance, claims what is due in the outbox, sends it, and settles
 * each entry. An entry is deleted once SMTP accepted it, or after its last retry, so a share's
 * link does not outlive the hand-off. Instances never send one entry twice: claims are leases
 * taken by one conditional UPDATE (SKIP LOCKED on PostgreSQL), and only the claim's holder can
 * finish it. Logs carry {id, kind, attempts, errorCode}: never an address, a link or SMTP's text.
 */
import type { Logger } from "pino";

import type { Clock } from "../../clock.js";
import { checkpoint, type DatabaseHandle } from "../../db/database.js";
import { codeOf } from "../../lib/error-code.js";
import { newId } from "../../lib/tokens.js";
import type { Outbox } from "./mail.outbox.js";
import * as repo from "./mail.repository.js";
import type { OutboxRow } from "./mail.repository.js";
import { SEND_TIMEOUT_MS, sendFailure, type MailTransport } from "./mail.transport.js";
import { renderMail } from "./templates.js";

const MINUTE = 60_000;
/** Waits after the 1st, 2nd, … failed attempt: about an hour in all, then the entry is dropped. */
export const RETRY_DELAYS_MS = [1, 2, 4, 8, 16, 30].map((m) => m * MINUTE);
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;
/** Longer than one send can take (SEND_TIMEOUT_MS), so a live claim never expires mid-send. */
export const LEASE_MS = 2 * SEND_TIMEOUT_MS;
const DEFAULT_BATCH = 10;
const DEFAULT_INTERVAL_MS = 15_000;

/** What the delivery hooks receive: enough to record state per recipient, no content. */
export interface MailEvent {
  id: string;
  kind: string;
  shareId: string | null;
  ref: string | null;
  /** The address, or null if the entry could not be opened (root key changed). */
  to: string | null;
  /** Set on failure: why the last attempt failed (see describeSendError). */
  errorCode?: string;
}
export type MailHook = (event: MailEvent) => void | Promise<void>;

export interface RunResult {
  sent: number;
  retrying: number;
  failed: number;
}

export function createDeliveryWorker(deps: {
  database: Pick<DatabaseHandle, "db" | "dialect">;
  clock: Clock;
  logger: Logger;
  outbox: Pick<Outbox, "open" | "recipientOf">;
  transport: MailTransport;
  publicUrl: string;
  onDelivered?: MailHook | undefined;
  onFailed?: MailHook | undefined;
  intervalMs?: number | undefined;
  batchSize?: number | undefined;
}) {
  const { database, clock, logger, outbox, transport, publicUrl } = deps;
  const batchSize = deps.batchSize ?? DEFAULT_BATCH;
  const intervalMs = deps.intervalMs ?? DEFAULT_INTERVAL_MS;

  const deliveredHooks: MailHook[] = deps.onDelivered ? [deps.onDelivered] : [];
  const failedHooks: MailHook[] = deps.onFailed ? [deps.onFailed] : [];

  let started = false;
  let stopping = false;
  let timer: NodeJS.Timeout | null = null;
  let kickTimer: NodeJS.Timeout | null = null;
  let kickAt = Infinity;
  let running: Promise<RunResult> | null = null;
  let runAgain = false;

  async function emit(hooks: MailHook[], event: MailEvent) {
    for (const hook of hooks) {
      try {
        await hook(event);
      } catch (error) {
        logger.error(
          { id: event.id, kind: event.kind, errorCode: codeOf(error) },
          "mail hook failed",
        );
      }
    }
  }

  /** Sends one claimed entry and settles it; returns what happened. */
  async function deliver(row: OutboxRow, claimToken: string): Promise<keyof RunResult> {
    const base = { id: row.id, kind: row.kind, shareId: row.share_id, ref: row.ref };
    let to: string | null = null;
    try {
      const opened = outbox.open(row);
      to = opened.to;
      const rendered = renderMail(opened.kind, opened.data, { publicUrl });
      await transport.send({ id: row.id, to, ...rendered });
    } catch (error) {
      const failure = sendFailure(error);
      to ??= outbox.recipientOf(row);
      const last = failure.permanent || row.attempts >= MAX_ATTEMPTS;
      const log = {
        id: row.id,
        kind: row.kind,
        attempts: row.attempts,
        errorCode: failure.errorCode,
      };
      if (last) {
        // Reported only by the claim that still held the entry, so never twice.
        if (await repo.deleteClaimed(database.db, { id: row.id, claimToken })) {
          logger.error(log, "mail undeliverable, dropped");
          await emit(failedHooks, { ...base, to, errorCode: failure.errorCode });
        }
        return "failed";
      }
      const delay = RETRY_DELAYS_MS[row.attempts - 1] ?? RETRY_DELAYS_MS.at(-1) ?? MINUTE;
      await repo.reschedule(database.db, {
        id: row.id,
        claimToken,
        nextAttemptAt: clock.now() + delay,
        errorCode: failure.errorCode,
      });
      logger.warn({ ...log, retryInMs: delay }, "mail not sent, will retry");
      return "retrying";
    }
    const held = await repo.deleteClaimed(database.db, { id: row.id, claimToken });
    // Only reachable if a send outlived its lease; the message went out, so say so.
    if (!held) logger.warn({ id: row.id, kind: row.kind }, "mail sent after its lease expired");
    logger.info({ id: row.id, kind: row.kind, attempts: row.attempts }, "mail sent");
    await emit(deliveredHooks, { ...base, to });
    return "sent";
  }

  async function run(): Promise<RunResult> {
    const result: RunResult = { sent: 0, retrying: 0, failed: 0 };
    let removedLinks = false;
    for (;;) {
      const claimToken = newId();
      const rows = await repo.claimDue(database.db, {
        now: clock.now(),
        leaseMs: LEASE_MS,
        batch: batchSize,
        claimToken,
        dialect: database.dialect,
      });
      // Sent side by side: each send is bounded by SEND_TIMEOUT_MS, well inside the lease.
      const outcomes = await Promise.all(rows.map((row) => deliver(row, claimToken)));
      for (const [i, outcome] of outcomes.entries()) {
        result[outcome] += 1;
        if (outcome !== "retrying" && rows[i]?.kind === "share_delivery") removedLinks = true;
      }
      // Rescheduled entries are not due again within this pass, so this ends.
      if (rows.length < batchSize || stopping) break;
    }
    // SQLite: deleted entries linger in the WAL until a checkpoint. They are sealed, but a link
    // should leave the disk as soon as it has left the server.
    if (removedLinks) await checkpoint(database).catch(() => undefined);
    return result;
  }

  /** One pass over what is due. Calls while a pass runs share it (and trigger one more). */
  function runOnce(): Promise<RunResult> {
    if (running) {
      runAgain = true;
      return running;
    }
    running = run().finally(() => {
      running = null;
      if (runAgain && started) {
        runAgain = false;
        kick();
      }
    });
    return running;
  }

  function runLogged() {
    runOnce().catch((error: unknown) =>
      logger.warn({ errorCode: codeOf(error) }, "mail run failed"),
    );
  }

  /** Runs soon (after `delayMs`), at most one pending nudge; a no-op until start(). */
  function kick(delayMs = 0) {
    if (!started) return;
    const at = Date.now() + delayMs;
    if (kickTimer && kickAt <= at) return;
    if (kickTimer) clearTimeout(kickTimer);
    kickAt = at;
    kickTimer = setTimeout(() => {
      kickTimer = null;
      kickAt = Infinity;
      runLogged();
    }, delayMs);
    kickTimer.unref();
  }

  function schedule() {
    if (!started) return;
    timer = setTimeout(() => {
      runOnce()
        .catch((error: unknown) => logger.warn({ errorCode: codeOf(error) }, "mail run failed"))
        .finally(schedule);
    }, intervalMs);
    timer.unref();
  }

  return {
    runOnce,
    kick,

    /** Registers a hook; returns a function that removes it. */
    onDelivered: (hook: MailHook): (() => void) => addHook(deliveredHooks, hook),
    onFailed: (hook: MailHook): (() => void) => addHook(failedHooks, hook),

    /** Starts the worker: a pass every interval (timer unref'd), plus one now. */
    start: () => {
      if (started) return;
      started = true;
      stopping = false;
      schedule();
      kick();
    },
    /** Stops the worker and waits for the pass in progress. */
    async stop() {
      started = false;
      stopping = true;
      if (timer) clearTimeout(timer);
      if (kickTimer) clearTimeout(kickTimer);
      timer = kickTimer = null;
      kickAt = Infinity;
      await running?.catch(() => undefined);
    },
  };
}

function addHook(list: MailHook[], hook: MailHook): () => void {
  list.push(hook);
  return () => {
    const at = list.indexOf(hook);
    if (at >= 0) list.splice(at, 1);
  };
}
