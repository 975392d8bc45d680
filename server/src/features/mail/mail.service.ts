/**
 * The outbox (SPEC F9, §3). Features queue a message inside their own transaction, so it exists
 * exactly when the change that causes it commits; a worker on every instance sends what is due.
 *
 * - Recipient and payload are sealed with the root key, bound to the entry's id and kind.
 * - An entry is deleted once SMTP accepted it, or after its last retry: a share's link does not
 *   outlive the hand-off.
 * - Instances never send one entry twice: claims are leases taken by one conditional UPDATE
 *   (SKIP LOCKED on PostgreSQL), and only the holder of the claim can finish it.
 * - Logs carry {id, kind, attempts, errorCode}: never an address, a link or the server's text.
 */
import { join } from "node:path";

import type { Kysely } from "kysely";
import type { Logger } from "pino";
import type { z } from "zod";

import type { Clock } from "../../clock.js";
import type { Config } from "../../config.js";
import { checkpoint, type DatabaseHandle } from "../../db/database.js";
import type { Database } from "../../db/schema.js";
import { BadRequestError } from "../../errors.js";
import { codeOf } from "../../lib/error-code.js";
import { openWithRootKey, sealWithRootKey } from "../../lib/sealing.js";
import { newId } from "../../lib/tokens.js";
import * as repo from "./mail.repository.js";
import type { OutboxRow } from "./mail.repository.js";
import {
  isMailKind,
  MAIL_KINDS,
  MailAddress,
  mailDataSchemas,
  type MailData,
  type MailKind,
  type MailMessage,
} from "./mail.schemas.js";
import {
  createFileTransport,
  createSmtpTransport,
  SEND_TIMEOUT_MS,
  sendFailure,
  type MailTransport,
} from "./mail.transport.js";
import { renderMail } from "./templates.js";

const MINUTE = 60_000;
/** Waits after the 1st, 2nd, … failed attempt: about an hour in all, then the entry is dropped. */
export const RETRY_DELAYS_MS = [1, 2, 4, 8, 16, 30].map((m) => m * MINUTE);
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;
/** Longer than one send can take (SEND_TIMEOUT_MS), so a live claim never expires mid-send. */
export const LEASE_MS = 2 * SEND_TIMEOUT_MS;
const DEFAULT_BATCH = 10;
const DEFAULT_INTERVAL_MS = 15_000;
/** enqueue's own nudge waits a little: the caller's transaction has usually committed by then. */
const ENQUEUE_KICK_DELAY_MS = 500;

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

export interface MailServiceDeps {
  config: Pick<Config, "publicUrl" | "smtpUrl" | "mailFrom" | "dataDir">;
  database: Pick<DatabaseHandle, "db" | "dialect">;
  /** The instance root key; retired keys may follow it while old entries drain. */
  rootKey: Buffer | readonly Buffer[];
  clock: Clock;
  logger: Logger;
  onDelivered?: MailHook;
  onFailed?: MailHook;
  /** Tests and tuning; defaults suit production. */
  intervalMs?: number;
  batchSize?: number;
  /** Replaces the SMTP or file transport (tests). */
  transport?: MailTransport;
}

export class MailInputError extends BadRequestError {}

/** Where an entry's sealed fields are bound: moving one to another row or kind breaks it. */
const aadFor = (id: string, kind: string, field: "recipient" | "payload") =>
  `hushlink/mail_outbox/${id}/${kind}/${field}`;

export function createMailService(deps: MailServiceDeps) {
  const { config, database, clock } = deps;
  const logger = deps.logger.child({ component: "mail" });
  const keys: readonly Buffer[] = Buffer.isBuffer(deps.rootKey) ? [deps.rootKey] : deps.rootKey;
  const currentKey = keys[0];
  if (!currentKey) throw new Error("createMailService needs a root key");
  const schemas = mailDataSchemas(config.publicUrl);
  const host = new URL(config.publicUrl).hostname;
  const transport: MailTransport =
    deps.transport ??
    (config.smtpUrl
      ? createSmtpTransport({ smtpUrl: config.smtpUrl, from: config.mailFrom, host })
      : createFileTransport({ folder: join(config.dataDir, "mail"), from: config.mailFrom, host }));
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

  function refuse(code: string, issues: z.core.$ZodIssue[], prefix: string): never {
    const list = issues.map((i) => ({
      path: [prefix, ...i.path.map(String)].join("."),
      message: i.message,
    }));
    throw new MailInputError(
      code,
      `Cannot queue the message: ${list.map((i) => `${i.path} ${i.message}`).join("; ")}`,
      { issues: list },
    );
  }

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

  function openRow(row: OutboxRow): { to: string; data: MailData[MailKind]; kind: MailKind } {
    const to = openWithRootKey(keys, row.recipient, aadFor(row.id, row.kind, "recipient"));
    if (!isMailKind(row.kind)) throw codedError("unknown_kind");
    const sealed = JSON.parse(
      openWithRootKey(keys, row.payload, aadFor(row.id, row.kind, "payload")),
    ) as { data?: unknown };
    const parsed = schemas[row.kind].safeParse(sealed.data);
    if (!parsed.success) throw codedError("invalid_payload");
    return { to, data: parsed.data, kind: row.kind };
  }

  function tryOpenRecipient(row: OutboxRow): string | null {
    try {
      return openWithRootKey(keys, row.recipient, aadFor(row.id, row.kind, "recipient"));
    } catch {
      return null;
    }
  }

  /** Sends one claimed entry and settles it; returns what happened. */
  async function deliver(row: OutboxRow, claimToken: string): Promise<keyof RunResult> {
    const base = { id: row.id, kind: row.kind, shareId: row.share_id, ref: row.ref };
    let to: string | null = null;
    try {
      const opened = openRow(row);
      to = opened.to;
      const rendered = renderMail(opened.kind, opened.data, { publicUrl: config.publicUrl });
      await transport.send({ id: row.id, to, ...rendered });
    } catch (error) {
      const failure = sendFailure(error);
      to ??= tryOpenRecipient(row);
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
    /** "files" when no SMTP_URL is set: messages go to `folder` (main.ts logs this). */
    mode: transport.mode,
    folder: transport.folder,
    /** Share links are only e-mailed over SMTP (SPEC F9: recipients need SMTP). */
    canDeliverShares: transport.mode === "smtp",
    kinds: MAIL_KINDS,

    /**
     * Queues a message in the caller's transaction (pass `trx`, or the app's Kysely instance).
     * Throws MailInputError (400) for a bad address or data, and 400 email_not_configured for a
     * share delivery without SMTP. Call kick() after the commit to send at once.
     */
    async enqueue(db: Kysely<Database>, message: MailMessage): Promise<string> {
      const kind = message.kind as string;
      if (!isMailKind(kind)) {
        throw new MailInputError("invalid_mail", `Cannot queue the message: unknown kind.`, {
          issues: [{ path: "kind", message: `must be one of ${MAIL_KINDS.join(", ")}` }],
        });
      }
      if (kind === "share_delivery" && transport.mode !== "smtp") {
        throw new BadRequestError(
          "email_not_configured",
          "E-mail recipients need SMTP, which this server does not have configured.",
        );
      }
      const to = MailAddress.safeParse(message.to);
      if (!to.success) refuse("invalid_email", to.error.issues, "to");
      const data = schemas[kind].safeParse(message.data);
      if (!data.success) refuse("invalid_mail", data.error.issues, "data");

      const id = newId();
      const now = clock.now();
      await repo.insertEntry(db, {
        id,
        kind,
        recipient: sealWithRootKey(currentKey, to.data, aadFor(id, kind, "recipient")),
        // The validated form (times as epoch ms); the worker validates again when it opens it.
        payload: sealWithRootKey(
          currentKey,
          JSON.stringify({ data: data.data }),
          aadFor(id, kind, "payload"),
        ),
        share_id: message.shareId ?? null,
        ref: message.ref ?? null,
        next_attempt_at: now,
        created_at: now,
      });
      // A fallback for callers that do not kick after their commit.
      kick(ENQUEUE_KICK_DELAY_MS);
      return id;
    },

    /**
     * Drops the queued messages about a share (when it is deleted), except any being sent this
     * moment. Returns the dropped entries so delivery state can be updated.
     */
    async cancelForShare(db: Kysely<Database>, shareId: string) {
      const rows = await repo.deleteForShare(db, { shareId, now: clock.now() });
      return rows.map((r) => ({ id: r.id, kind: r.kind, ref: r.ref, shareId: r.share_id }));
    },

    runOnce,
    kick,

    /** Registers a hook; returns a function that removes it. */
    onDelivered(hook: MailHook): () => void {
      return addHook(deliveredHooks, hook);
    },
    onFailed(hook: MailHook): () => void {
      return addHook(failedHooks, hook);
    },

    /** Starts the worker: a pass every interval (timer unref'd), plus one now. */
    start() {
      if (started) return;
      started = true;
      stopping = false;
      schedule();
      kick();
    },
    /** Stops the worker; waits for the pass in progress, then closes the transport. */
    async stop() {
      started = false;
      stopping = true;
      if (timer) clearTimeout(timer);
      if (kickTimer) clearTimeout(kickTimer);
      timer = kickTimer = null;
      kickAt = Infinity;
      await running?.catch(() => undefined);
      transport.close();
    },
  };
}

export type MailService = ReturnType<typeof createMailService>;

function addHook(list: MailHook[], hook: MailHook): () => void {
  list.push(hook);
  return () => {
    const at = list.indexOf(hook);
    if (at >= 0) list.splice(at, 1);
  };
}

function codedError(code: string): Error & { code: string } {
  return Object.assign(new Error(code), { code });
}
