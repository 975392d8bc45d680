import { useState } from "react";

import { dashboardError } from "./errors";

/**
 * The state behind a ConfirmDialog that asks before acting on one row (delete a share, revoke a
 * token…): which row, whether the action is running, and why it failed. `run` closes the dialog
 * when the action resolves and keeps it open with the message when it throws, so an action only
 * throws what the person should read; an answer that means "done already" it handles itself.
 */
export function useConfirm<T>(describeError: (error: unknown) => string = dashboardError) {
  const [target, setTarget] = useState<T | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  function ask(item: T) {
    setError(null);
    setTarget(item);
  }

  async function run(action: (item: T) => Promise<void>) {
    if (target === null) return;
    setBusy(true);
    setError(null);
    try {
      await action(target);
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
    dialog: { open: target !== null, busy, error, onCancel: () => setTarget(null) },
  };
}
