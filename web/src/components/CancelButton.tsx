import { Trans } from "@lingui/react/macro";

/** The Cancel beside a form's submit button: closes the form, changing nothing. */
export function CancelButton({
  onCancel,
  disabled = false,
}: {
  onCancel: () => void;
  disabled?: boolean;
}) {
  return (
    <button type="button" className="button button--ghost" disabled={disabled} onClick={onCancel}>
      <Trans>Cancel</Trans>
    </button>
  );
}
