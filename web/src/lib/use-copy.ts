import { useCallback, useEffect, useRef, useState } from "react";

import { copyText } from "./clipboard";

export type CopyState = "idle" | "copied" | "failed";

/** Copy with a short-lived "Copied" state for the button that triggered it. */
export function useCopy(resetAfterMs = 2500) {
  const [state, setState] = useState<CopyState>("idle");
  const timer = useRef<number | undefined>(undefined);

  useEffect(() => () => window.clearTimeout(timer.current), []);

  const copy = useCallback(
    async (text: string): Promise<boolean> => {
      const ok = await copyText(text);
      setState(ok ? "copied" : "failed");
      window.clearTimeout(timer.current);
      timer.current = window.setTimeout(() => setState("idle"), resetAfterMs);
      return ok;
    },
    [resetAfterMs],
  );

  return { state, copy };
}
