/**
 * The organization's audit log (SPEC F18; docs/SPEC.md, "Audit log"), for admins: JSON pages for
 * reading, newest first and filtered, and the NDJSON export, which is the chain `hushlink audit
 * verify` checks.
 */
import type { AuditEntry, AuditEntryPage, AuditEventType } from "@hushlink/protocol";

import { api, segment } from "../../lib/api";

export type { AuditEntry, AuditEntryPage, AuditEventType };

/** What the Audit tab filters by; null for "any". Times are ISO, `until` exclusive. */
export interface AuditFilter {
  type: AuditEventType | null;
  /** A user's id: what they did, by session or through their API tokens. */
  actor: string | null;
  since: string | null;
  until: string | null;
}

export const NO_AUDIT_FILTER: AuditFilter = { type: null, actor: null, since: null, until: null };

const auditPath = (orgId: string) => `/api/v1/orgs/${segment(orgId)}/audit`;

export const auditApi = {
  entries: (orgId: string, filter: AuditFilter, cursor: string | null, limit: number) =>
    api.get<AuditEntryPage>(`${auditPath(orgId)}/entries`, {
      query: { ...filter, cursor, limit },
    }),

  /**
   * The export's address for a plain link (the session cookie goes with it): the whole chain
   * between the dates, whatever the type and actor, since a chain with gaps cannot be verified.
   */
  exportHref: (orgId: string, range: Pick<AuditFilter, "since" | "until">): string => {
    const query = new URLSearchParams();
    if (range.since) query.set("since", range.since);
    if (range.until) query.set("until", range.until);
    const search = query.toString();
    return search ? `${auditPath(orgId)}?${search}` : auditPath(orgId);
  },
};
