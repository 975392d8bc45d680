/**
 * For a component that a budgeted page ("/") shows only sometimes, such as the share form's
 * options for signed-in members: its messages are in an area of their own, loaded in the page's
 * language when the component first mounts, so that a first visit does not carry them.
 */
import { useEffect, useState } from "react";

import { areasLoaded, i18n, loadAreas } from "./i18n";
import type { Area } from "./page-areas";

/** True once the areas' messages are loaded; render nothing (or a placeholder) until then. */
export function useAreas(areas: readonly Area[]): boolean {
  const [ready, setReady] = useState(() => areasLoaded(areas));
  useEffect(() => {
    // Ready when the active language has them, which may be another call's doing: a switch of
    // language started earlier supersedes this call, which then activates nothing.
    const check = () => setReady(areasLoaded(areas));
    const stop = i18n.on("change", check);
    if (!areasLoaded(areas)) {
      loadAreas(areas).then(check, (error: unknown) =>
        console.error("Messages could not be loaded", error),
      );
    }
    check();
    return stop;
    // The areas a component needs do not change while it is mounted.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return ready;
}
