import { Trans } from "@lingui/react/macro";

/** Closes a value shown only once (an API token, a signing secret), once it has been copied. */
export function CopiedDone({ onDone }: { onDone: () => void }) {
  return (
    <div className="form-actions">
      <button type="button" className="button button--secondary" onClick={onDone}>
        <Trans>Done, I copied it</Trans>
      </button>
    </div>
  );
}
