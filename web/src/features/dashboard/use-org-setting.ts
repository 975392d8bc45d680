import { useCallback, useEffect, useRef, useState } from "react";

import { dashboardError } from "./errors";

export type OrgSetting<T> =
  { kind: "loading" } | { kind: "failed"; message: string } | { kind: "ready"; value: T };

/**
 * One setting of the organization, loaded when the section mounts, again for another
 * organization, and on retry(). An answer that arrives after the section left, or after a newer
 * load started, is dropped. `onLoaded` receives each loaded value (to fill the form's draft);
 * `setValue` records what a save answered. `load` must keep its identity (a module-level function).
 */
export function useOrgSetting<T>(
  orgId: string,
  load: (orgId: string) => Promise<T>,
  onLoaded?: (value: T) => void,
) {
  const [setting, setSetting] = useState<OrgSetting<T>>({ kind: "loading" });
  const [attempt, setAttempt] = useState(0);
  const onLoadedRef = useRef(onLoaded);
  useEffect(() => {
    onLoadedRef.current = onLoaded;
  });

  useEffect(() => {
    let cancelled = false;
    load(orgId).then(
      (value) => {
        if (cancelled) return;
        setSetting({ kind: "ready", value });
        onLoadedRef.current?.(value);
      },
      (caught: unknown) => {
        if (!cancelled) setSetting({ kind: "failed", message: dashboardError(caught) });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [orgId, load, attempt]);

  const setValue = useCallback((value: T) => setSetting({ kind: "ready", value }), []);
  const retry = useCallback(() => {
    setSetting({ kind: "loading" });
    setAttempt((n) => n + 1);
  }, []);

  return { setting, setValue, retry };
}
