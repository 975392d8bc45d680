import { useEffect, useState } from "react";

import { policiesApi, type SharingPolicy } from "./api";

/**
 * The sharing policy of the organization a share is made in, or null (signed out, no org, or
 * not loaded yet). A failed load leaves null: the server still refuses what the policy forbids.
 */
export function useOrgPolicy(orgId: string | null): SharingPolicy | null {
  const [loaded, setLoaded] = useState<{ orgId: string; policy: SharingPolicy } | null>(null);
  useEffect(() => {
    if (orgId === null) return;
    let cancelled = false;
    policiesApi.get(orgId).then(
      (answer) => {
        if (!cancelled) setLoaded({ orgId, policy: answer.policy });
      },
      () => {
        // Keep the form as it is (see above).
      },
    );
    return () => {
      cancelled = true;
    };
  }, [orgId]);
  return loaded && loaded.orgId === orgId ? loaded.policy : null;
}
