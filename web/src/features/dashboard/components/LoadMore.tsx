import { Trans } from "@lingui/react/macro";
import { BusyButton } from "../../../components/BusyButton";

/** "Load more" under a paged table; a failure shows here and leaves the loaded rows alone. */
export function LoadMore({
  busy,
  error,
  onLoad,
}: {
  busy: boolean;
  error: string | null;
  onLoad: () => void;
}) {
  return (
    <div className="load-more">
      <BusyButton className="button button--secondary" busy={busy} spinner onClick={onLoad}>
        <span>{busy ? <Trans>Loading…</Trans> : <Trans>Load more</Trans>}</span>
      </BusyButton>
      {error && (
        <p className="field__error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
