import { useEffect, useState } from "react";

import { dashboardApi } from "./api";

/**
 * Whether "Delete all expired" has anything to delete: an expired share of the organization for
 * an admin, of one's own for a member (what `DELETE /api/v1/shares/expired` removes), whatever
 * the list's filters. Asked of the server as one row, since the loaded rows are only the newest
 * pages. Asked again whenever `version` changes (the list was loaded again: after a purge, or
 * with a share that expired meanwhile); a failed answer counts as nothing to delete, the list
 * shows its own error. A late answer to an older question is dropped.
 */
export function useHasExpired(orgId: string, admin: boolean, version: number): boolean {
  const [hasExpired, setHasExpired] = useState(false);
  useEffect(() => {
    let cancelled = false;
    const filters = { status: "expired", creator: admin ? undefined : "me" };
    dashboardApi.shares(orgId, null, 1, filters).then(
      (page) => !cancelled && setHasExpired(page.items.length > 0),
      () => !cancelled && setHasExpired(false),
    );
    return () => {
      cancelled = true;
    };
  }, [orgId, admin, version]);
  return hasExpired;
}
