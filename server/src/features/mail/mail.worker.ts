/**
 * The delivery worker: on every instance, the outbox runner (lib/outbox-runner.ts) claims what is
 * due in the outbox; this sends each entry and settles it. An entry is deleted once SMTP accepted
 * it, or after its last retry, so a share's link does not outlive the hand-off. Only the claim's
 * holder can finish an entry, so instances never send one twice.
 * Logs carry {id, kind, attempts, errorCode}: never an address, a link or SMTP's text.
 */
import type { Logger } from "pino";

import { checkpoint } from "../../db/database.js";
import { codeOf } from "../../lib/error-code.js";
import {
  createOutboxRunner,
  nextAttemptAt,
  type OutboxWorkerDeps,
} from "../../lib/outbox-runner.js";
import type { Outbox } from "./mail.outbox.js";
import * as repo from "./mail.repository.js";
import type { OutboxRow } from "./mail.repository.js";
import { SEND_TIMEOUT_MS, sendFailure, type MailTransport } from "./mail.transport.js";
import type * as Templates from "./templates.js";

const MINUTE = 60_000;
/** Waits after the 1st, 2nd, … failed attempt: about an hour in all, then the entry is dropped. */
export const RETRY_DELAYS_MS = [1, 2, 4, 8, 16, 30].map((m) => m * MINUTE);
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;
/** Longer than one send can take (SEND_TIMEOUT_MS), so a live claim never expires mid-send. */
export const LEASE_MS = 2 * SEND_TIMEOUT_MS;
const DEFAULT_INTERVAL_MS = 15_000;

/**
 * The templates come with Lingui and every language's catalog: loaded with the first message to
 * send, so an instance that sends none (or has not yet) does without them.
 */
let templates: Promise<typeof Templates> | undefined;
const loadTemplates = () => (templates ??= import("./templates.js"));

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

const OUTCOMES = ["sent", "retrying", "failed"] as const;
export type RunResult = Record<(typeof OUTCOMES)[number], number>;

export function createDeliveryWorker(
  deps: OutboxWorkerDeps & {
    logger: Logger;
    outbox: Pick<Outbox, "open" | "recipientOf">;
    transport: MailTransport;
    publicUrl: string;
    onDelivered?: MailHook | undefined;
    onFailed?: MailHook | undefined;
  },
) {
  const { database, clock, logger, outbox, transport, publicUrl } = deps;

  const deliveredHooks: MailHook[] = deps.onDelivered ? [deps.onDelivered] : [];
  const failedHooks: MailHook[] = deps.onFailed ? [deps.onFailed] : [];

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
      const { renderMail } = await loadTemplates();
      const rendered = renderMail(opened.kind, opened.data, { publicUrl, locale: opened.locale });
      await transport.send({ id: row.id, to, ...rendered });
    } catch (error) {
      const failure = sendFailure(error);
      to ??= outbox.recipientOf(row);
      const now = clock.now();
      const next = failure.permanent
        ? null
        : nextAttemptAt({ delays: RETRY_DELAYS_MS, maxAttempts: MAX_ATTEMPTS }, row.attempts, now);
      const log = {
        id: row.id,
        kind: row.kind,
        attempts: row.attempts,
        errorCode: failure.errorCode,
      };
      if (next === null) {
        // Reported only by the claim that still held the entry, so never twice.
        if (await repo.deleteClaimed(database.db, { id: row.id, claimToken })) {
          logger.error(log, "mail undeliverable, dropped");
          await emit(failedHooks, { ...base, to, errorCode: failure.errorCode });
        }
        return "failed";
      }
      await repo.reschedule(database.db, {
        id: row.id,
        claimToken,
        nextAttemptAt: next,
        errorCode: failure.errorCode,
      });
      logger.warn({ ...log, retryInMs: next - now }, "mail not sent, will retry");
      return "retrying";
    }
    const held = await repo.deleteClaimed(database.db, { id: row.id, claimToken });
    // Only reachable if a send outlived its lease; the message went out, so say so.
    if (!held) logger.warn({ id: row.id, kind: row.kind }, "mail sent after its lease expired");
    logger.info({ id: row.id, kind: row.kind, attempts: row.attempts }, "mail sent");
    await emit(deliveredHooks, { ...base, to });
    return "sent";
  }

  const runner = createOutboxRunner(deps, {
    name: "mail",
    outcomes: OUTCOMES,
    leaseMs: LEASE_MS,
    defaultIntervalMs: DEFAULT_INTERVAL_MS,
    claim: repo.claimDue,
    attempt: deliver,
    async afterPass(settled) {
      // SQLite: deleted entries linger in the WAL until a checkpoint. They are sealed, but a link
      // should leave the disk as soon as it has left the server.
      const removedLinks = settled.some(
        ({ row, outcome }) => outcome !== "retrying" && row.kind === "share_delivery",
      );
      if (removedLinks) await checkpoint(database).catch(() => undefined);
    },
  });

  return {
    runOnce: runner.runOnce,
    kick: runner.kick,

    /** Registers a hook; returns a function that removes it. */
    onDelivered: (hook: MailHook): (() => void) => addHook(deliveredHooks, hook),
    onFailed: (hook: MailHook): (() => void) => addHook(failedHooks, hook),

    /** Starts the worker: a pass every interval (timer unref'd), plus one now. */
    start: runner.start,
    /** Stops the worker and waits for the pass in progress. */
    stop: runner.stop,
  };
}

function addHook(list: MailHook[], hook: MailHook): () => void {
  list.push(hook);
  return () => {
    const at = list.indexOf(hook);
    if (at >= 0) list.splice(at, 1);
  };
}
