import { useCallback, useEffect, useRef, useState } from "react";

import { useCopy } from "./use-copy";

/** How long a copied secret stays on the clipboard before the page clears it. */
export const CLEAR_CLIPBOARD_AFTER_MS = 60_000;

export type ClearState = "none" | "pending" | "cleared" | "kept" | "unavailable";

/** Whether the page may read the clipboard without asking (so it can check before clearing). */
async function mayReadClipboard(): Promise<boolean> {
  try {
    const status = await navigator.permissions.query({ name: "clipboard-read" as PermissionName });
    return status.state === "granted";
  } catch {
    return false;
  }
}

/** Empties the clipboard if it still holds `text` (or cannot be read); "refused" without focus. */
async function clearClipboard(
  text: string,
): Promise<Exclude<ClearState, "none" | "pending"> | "refused"> {
  if (!window.isSecureContext || !("clipboard" in navigator)) return "unavailable";
  if (await mayReadClipboard()) {
    try {
      if ((await navigator.clipboard.readText()) !== text) return "kept";
    } catch {
      // Not readable after all (no focus): the write below decides.
    }
  }
  try {
    await navigator.clipboard.writeText("");
    return "cleared";
  } catch {
    return "refused";
  }
}

/**
 * Copy for secrets: a minute later the clipboard is emptied, so the secret does not stay there
 * for whatever is pasted next. Where the page may read the clipboard it first checks that it
 * still holds the secret and leaves anything copied since alone; where it may not (reading would
 * prompt), it clears anyway: the secret matters more. Browsers only let a focused page write, so
 * a clear that is refused waits for the tab to get focus back.
 */
export function useClearingCopy(afterMs = CLEAR_CLIPBOARD_AFTER_MS) {
  const { state, copy } = useCopy();
  const [clear, setClear] = useState<ClearState>("none");
  const timer = useRef<number | undefined>(undefined);
  const retry = useRef<(() => void) | null>(null);

  const dropRetry = useCallback(() => {
    if (retry.current) window.removeEventListener("focus", retry.current);
    retry.current = null;
  }, []);

  useEffect(
    () => () => {
      window.clearTimeout(timer.current);
      dropRetry();
    },
    [dropRetry],
  );

  const clearSoon = useCallback(
    (text: string) => {
      const run = async () => {
        const outcome = await clearClipboard(text);
        if (outcome !== "refused") {
          setClear(outcome);
          return;
        }
        dropRetry();
        const again = () => {
          dropRetry();
          void run();
        };
        retry.current = again;
        window.addEventListener("focus", again);
      };
      void run();
    },
    [dropRetry],
  );

  const copyAndClear = useCallback(
    async (text: string) => {
      const ok = await copy(text);
      window.clearTimeout(timer.current);
      dropRetry();
      if (!ok) return;
      setClear("pending");
      timer.current = window.setTimeout(() => clearSoon(text), afterMs);
    },
    [afterMs, clearSoon, copy, dropRetry],
  );

  return { state, clear, copy: copyAndClear };
}
