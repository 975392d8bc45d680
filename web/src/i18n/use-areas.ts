/**
 * For a component that a budgeted page ("/") shows only sometimes, such as the share form's
 * options for signed-in members: its messages are in an area of their own, loaded in the active
 * language when the component first mounts, so that a first visit does not carry them.
 */
import { useEffect, useState } from "react";

import { activateLocale, activeLocale, areasLoaded } from "./i18n";
import type { Area } from "./page-areas";

/** True once the areas' messages are loaded; render nothing (or a placeholder) until then. */
export function useAreas(areas: readonly Area[]): boolean {
  const [ready, setReady] = useState(() => areasLoaded(areas));
  useEffect(() => {
    if (ready) return;
    let mounted = true;
    activateLocale(activeLocale(), areas).then(
      () => {
        if (mounted) setReady(true);
      },
      (error: unknown) => console.error("Messages could not be loaded", error),
    );
    return () => {
      mounted = false;
    };
    // The areas a component needs do not change while it is mounted.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return ready;
}
