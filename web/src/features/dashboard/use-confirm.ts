import { useRef, useState } from "react";

import { dashboardError } from "./errors";

/**
 * The state behind a ConfirmDialog that asks before acting on one row (delete a share, revoke a
 * token…): which row, whether the action is running, and why it failed. `run` closes the dialog
 * when the action resolves and keeps it open with the message when it throws, so an action only
 * throws what the person should read; an answer that means "done already" it handles itself.
 * An action may resolve to what should happen once the dialog has closed (see refocus.ts):
 * moving focus before that does not work, the modal dialog keeps it.
 */
export function useConfirm<T>(describeError: (error: unknown) => string = dashboardError) {
  const [target, setTarget] = useState<T | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const afterClose = useRef<(() => void) | null>(null);

  function ask(item: T) {
    setError(null);
    setTarget(item);
  }

  async function run(action: (item: T) => Promise<void | (() => void)>) {
    if (target === null) return;
    setBusy(true);
    setError(null);
    try {
      const then = await action(target);
      afterClose.current = typeof then === "function" ? then : null;
      setTarget(null);
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setBusy(false);
    }
  }

  return {
    target,
    ask,
    run,
    /** What ConfirmDialog takes, apart from its texts and `onConfirm`. */
    dialog: {
      open: target !== null,
      busy,
      error,
      onCancel: () => setTarget(null),
      onClosed: () => {
        const then = afterClose.current;
        afterClose.current = null;
        then?.();
      },
    },
  };
}
