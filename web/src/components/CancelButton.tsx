import { Trans } from "@lingui/react/macro";

import { unlessBusy } from "../lib/busy";

/** The Cancel beside a form's submit button: closes the form, changing nothing. */
export function CancelButton({
  onCancel,
  busy = false,
}: {
  onCancel: () => void;
  /** The form is saving: focusable, aria-disabled, a press ignored (unlessBusy), never disabled. */
  busy?: boolean;
}) {
  return (
    <button
      type="button"
      className="button button--ghost"
      aria-disabled={busy || undefined}
      onClick={unlessBusy(busy, onCancel)}
    >
      <Trans>Cancel</Trans>
    </button>
  );
}
