import { Trans } from "@lingui/react/macro";

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
      <button type="button" className="button button--secondary" disabled={busy} onClick={onLoad}>
        {busy && <span className="spinner" aria-hidden="true" />}
        <span>{busy ? <Trans>Loading…</Trans> : <Trans>Load more</Trans>}</span>
      </button>
      {error && (
        <p className="field__error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
