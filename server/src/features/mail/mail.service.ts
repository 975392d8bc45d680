/**
 * E-mail (SPEC F9, §3): features queue a message inside their own transaction, so it exists
 * exactly when the change that causes it commits (the outbox, mail.outbox.ts); a worker on every
 * instance sends what is due (mail.worker.ts) through SMTP, or into .eml files without SMTP
 * (mail.transport.ts). This module puts the three together as the MailQueue features use.
 */
import { join } from "node:path";

import type { Kysely } from "kysely";
import type { Logger } from "pino";

import type { Clock } from "../../clock.js";
import type { Config } from "../../config.js";
import type { DatabaseHandle } from "../../db/database.js";
import type { Database } from "../../db/schema.js";
import { createOutbox } from "./mail.outbox.js";
import { MAIL_KINDS, mailDataSchemas, type MailMessage } from "./mail.schemas.js";
import { createFileTransport, createSmtpTransport, type MailTransport } from "./mail.transport.js";
import { createDeliveryWorker, type MailHook } from "./mail.worker.js";

export { MailInputError } from "./mail.outbox.js";
export {
  LEASE_MS,
  MAX_ATTEMPTS,
  RETRY_DELAYS_MS,
  type MailEvent,
  type MailHook,
  type RunResult,
} from "./mail.worker.js";

/** enqueue's own nudge waits a little: the caller's transaction has usually committed by then. */
const ENQUEUE_KICK_DELAY_MS = 500;

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

export function createMailService(deps: MailServiceDeps) {
  const { config, database, clock } = deps;
  const logger = deps.logger.child({ component: "mail" });
  const keys: readonly Buffer[] = Buffer.isBuffer(deps.rootKey) ? [deps.rootKey] : deps.rootKey;
  if (!keys[0]) throw new Error("createMailService needs a root key");
  const host = new URL(config.publicUrl).hostname;
  const transport: MailTransport =
    deps.transport ??
    (config.smtpUrl
      ? createSmtpTransport({ smtpUrl: config.smtpUrl, from: config.mailFrom, host })
      : createFileTransport({ folder: join(config.dataDir, "mail"), from: config.mailFrom, host }));
  const outbox = createOutbox({
    keys,
    schemas: mailDataSchemas(config.publicUrl),
    clock,
    canDeliverShares: transport.mode === "smtp",
  });
  const worker = createDeliveryWorker({
    database,
    clock,
    logger,
    outbox,
    transport,
    publicUrl: config.publicUrl,
    onDelivered: deps.onDelivered,
    onFailed: deps.onFailed,
    intervalMs: deps.intervalMs,
    batchSize: deps.batchSize,
  });

  /** Work handed to afterAnswer that has not finished yet. */
  const deferred = new Set<Promise<void>>();

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
      const id = await outbox.insert(db, message);
      // A fallback for callers that do not kick after their commit.
      worker.kick(ENQUEUE_KICK_DELAY_MS);
      return id;
    },

    /**
     * Runs `work` (which queues a mail of `kind` in its own transaction) once the request that
     * calls this has answered: the answer then takes no longer for having a mail to queue. A
     * failure is logged with the kind and the error's name only, never thrown.
     */
    afterAnswer(kind: string, work: () => Promise<void>): void {
      const done: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
        .then(work)
        .catch((error: unknown) => {
          const { name, code } = (error ?? {}) as { name?: unknown; code?: unknown };
          logger.error({ kind, error: name, code }, "mail not queued after the answer");
        })
        .finally(() => deferred.delete(done));
      deferred.add(done);
    },

    cancelForShare: outbox.cancelForShare,
    /** One pass of the worker, after the mails handed to afterAnswer are queued. */
    async runOnce() {
      await Promise.all(deferred);
      return worker.runOnce();
    },
    kick: worker.kick,
    onDelivered: worker.onDelivered,
    onFailed: worker.onFailed,
    start: worker.start,

    /** Stops the worker; waits for deferred mails and the pass in progress, then closes. */
    async stop() {
      await Promise.all(deferred);
      await worker.stop();
      transport.close();
    },
  };
}

export type MailService = ReturnType<typeof createMailService>;
