import type { Kysely } from "kysely";

import type { Database } from "../db/schema.js";

/**
 * What features need from e-mail: put a message in the outbox inside their own transaction, so a
 * message exists exactly when the change that causes it commits. features/mail implements it.
 */
export interface MailQueue {
  enqueue(
    db: Kysely<Database>,
    message: { kind: string; to: string; data: Record<string, unknown>; shareId?: string },
  ): Promise<unknown>;
  /** Ask the worker to run soon instead of at its next interval. */
  kick?(): void;
}
