/**
 * The audit log (SPEC F18): appends chained entries per organization, pages them out for the
 * export, and prunes past retention. An append is one serialised step per organization: the
 * chain end is read and moved inside one write transaction that holds it (audit.repository.ts),
 * so concurrent writers, on one instance or several, each link to the entry before theirs.
 */
import { createHash } from "node:crypto";

import type { Logger } from "pino";

import type { Kysely } from "kysely";

import { canonicalJson, type AuditEntry } from "@hushlink/protocol";

import type { Clock } from "../../clock.js";
import type { Database } from "../../db/schema.js";
import { writeTransaction, type DatabaseHandle } from "../../db/database.js";
import { NO_CALLER, type AuditEvent, type AuditSink } from "../../lib/audit-sink.js";
import { decodeCursor, encodeCursor } from "../../lib/cursor.js";
import { codeOf } from "../../lib/error-code.js";
import { orgsOf } from "../../lib/owners.js";
import { publicTarget } from "../../lib/request-ref.js";
import * as repo from "./audit.repository.js";

const DAY_MS = 24 * 3600 * 1000;
const PAGE = 500;

/** An entry as exported: the wire form the hash is computed over. */
export function entryOf(row: repo.EntryRow): AuditEntry {
  return {
    v: 1,
    org: row.org_id,
    seq: Number(row.seq),
    at: new Date(Number(row.at)).toISOString(),
    type: row.type as AuditEntry["type"],
    actor: { kind: row.actor_kind as AuditEntry["actor"]["kind"], id: row.actor_id },
    ip: row.ip,
    target:
      row.target_kind === null || row.target_id === null
        ? null
        : { kind: row.target_kind as NonNullable<AuditEntry["target"]>["kind"], id: row.target_id },
    outcome: row.outcome as AuditEntry["outcome"],
    // Absent, not null, where there is none: entries from before `via` hash as they did.
    ...(row.via === null ? {} : { via: row.via as NonNullable<AuditEntry["via"]> }),
    prev: row.prev,
    hash: row.hash,
  };
}

/**
 * The entry's hash as the protocol's auditEntryHash computes it, but synchronously: the append
 * holds the write lock meanwhile, and WebCrypto's digest would wait on the thread pool behind
 * password hashing while every other write waits on the lock.
 */
function hashOf(entry: AuditEntry): string {
  const { hash: _own, ...content } = entry;
  return createHash("sha256").update(canonicalJson(content), "utf8").digest("hex");
}

export function createAuditService(deps: {
  database: Pick<DatabaseHandle, "db" | "dialect">;
  clock: Clock;
  logger: Pick<Logger, "warn">;
  retentionDays: number;
  /**
   * Webhooks (features/webhooks): queues the entry's deliveries inside the append's transaction,
   * so an event is queued once, by the instance that recorded it, and only if it committed.
   */
  webhooks?: {
    enqueue: (
      trx: Kysely<Database>,
      entry: AuditEntry,
      subject: AuditEntry["target"],
    ) => Promise<number>;
    /** After the commit, when something was queued: send it now. */
    kick: () => void;
  };
}) {
  const { database, clock } = deps;

  async function appendTo(
    orgId: string,
    event: AuditEvent & Required<Pick<AuditEvent, "actor" | "ip">>,
  ): Promise<void> {
    // A request is named by its reference, never its id, which would answer it (request-ref.ts).
    const target = event.target ? publicTarget(event.target) : null;
    const queued = await writeTransaction(database, async (trx) => {
      const end = await repo.lockHead(trx, database.dialect, orgId);
      if (!end) return 0; // the organization was deleted meanwhile
      const row: repo.EntryRow = {
        org_id: orgId,
        seq: Number(end.seq) + 1,
        at: clock.now(),
        type: event.type,
        actor_kind: event.actor.kind,
        actor_id: event.actor.id,
        ip: event.ip,
        target_kind: target?.kind ?? null,
        target_id: target?.id ?? null,
        outcome: event.outcome ?? "success",
        via: event.via ?? null,
        prev: end.hash,
        hash: "",
      };
      const entry = entryOf(row);
      row.hash = entry.hash = hashOf(entry);
      await repo.append(trx, row);
      // The real target too, for the name lookup of endpoints that include names.
      return (await deps.webhooks?.enqueue(trx, entry, event.target ?? null)) ?? 0;
    });
    if (queued > 0) deps.webhooks?.kick();
  }

  const sink: AuditSink = {
    async record(event, caller = NO_CALLER) {
      try {
        const full = {
          ...event,
          actor: event.actor ?? caller.actor,
          ip: event.ip === undefined ? caller.ip : event.ip,
        };
        for (const orgId of await orgsOf(database.db, event.org)) await appendTo(orgId, full);
      } catch (error) {
        // The change itself has committed; a lost entry is logged, never turned into a failure
        // of the request that caused it.
        deps.logger.warn({ errorCode: codeOf(error), event: event.type }, "audit append failed");
      }
    },
  };

  return {
    sink,

    /** Entries of an organization in chain order, within [since, until), a page at a time. */
    async *entries(orgId: string, range: { since: number | null; until: number | null }) {
      let afterSeq = 0;
      for (;;) {
        const rows = await repo.page(database.db, { orgId, afterSeq, ...range, limit: PAGE });
        for (const row of rows) yield entryOf(row);
        if (rows.length < PAGE) return;
        afterSeq = Number(rows.at(-1)?.seq ?? afterSeq);
      }
    },

    /** A page for the Audit tab: newest first, filtered; `nextCursor` continues below it. */
    async page(
      orgId: string,
      filter: {
        type: string | undefined;
        actorId: string | undefined;
        since: number | null;
        until: number | null;
        cursor: string | undefined;
        limit: number;
      },
    ): Promise<{ entries: AuditEntry[]; nextCursor: string | null }> {
      const beforeSeq = filter.cursor === undefined ? null : decodeCursor(filter.cursor).createdAt;
      const rows = await repo.filtered(database.db, { orgId, beforeSeq, ...filter });
      const last = rows.at(-1);
      return {
        entries: rows.map(entryOf),
        nextCursor:
          rows.length === filter.limit && last ? encodeCursor(Number(last.seq), "seq") : null,
      };
    },

    /** The chain end and the retention cut, so a full export can be checked at both ends. */
    async head(orgId: string) {
      const row = await repo.head(database.db, orgId);
      return {
        seq: Number(row?.seq ?? 0),
        hash: row?.hash ?? null,
        cutSeq: Number(row?.cut_seq ?? 0),
        cutHash: row?.cut_hash ?? null,
      };
    },

    /** Drops entries older than the retention (AUDIT_RETENTION_DAYS), keeping each cut's hash. */
    async prune(): Promise<number> {
      const before = clock.now() - deps.retentionDays * DAY_MS;
      let removed = 0;
      for (const orgId of await repo.orgsWithEntriesBefore(database.db, before)) {
        removed += await writeTransaction(database, async (trx) => {
          if (!(await repo.lockHead(trx, database.dialect, orgId))) return 0;
          return repo.prunePrefix(trx, orgId, before);
        });
      }
      return removed;
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
