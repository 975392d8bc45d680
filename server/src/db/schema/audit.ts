/** The audit log (features/audit). */
import type { Generated } from "kysely";

/** One audit log entry (features/audit); prev and hash are lower-case hex SHA-256. */
export interface AuditEntriesTable {
  org_id: string;
  seq: number;
  at: number;
  type: string;
  actor_kind: string;
  actor_id: string | null;
  ip: string | null;
  target_kind: string | null;
  target_id: string | null;
  outcome: string;
  prev: string;
  hash: string;
  /** How, where the type does not say (AuditEntry.via); null on most entries. */
  via: string | null;
}

/** Each organization's chain end, and where pruning cut it. */
export interface AuditHeadsTable {
  org_id: string;
  seq: number;
  hash: string;
  cut_seq: Generated<number>;
  cut_hash: string | null;
}
